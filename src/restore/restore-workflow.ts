import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BusyError, NoSaveError, NoServerError } from '../errors.js';
import { runHookFromOptions } from '../hooks/run-hook.js';
import type { MuxClient } from '../mux/mux-client.js';
import { queryFields } from '../mux/query-fields.js';
import type { MuxVersion } from '../mux/session-name.js';
import { tmuxVersionAtLeast } from '../mux/tmux-version.js';
import { acquireLease, leaseKey, leaseOptionsFor } from '../platform/lease.js';
import { paneRunsJobs } from '../platform/pane-jobs.js';
import { optionalHome, type PathEnvironment, stateDirectory } from '../platform/paths.js';
import type { ServerIdentity } from '../server/server-identity.js';
import { lifetimeText } from '../server/server-lifetime.js';
import { optionSettings, settingsFrom } from '../settings/settings.js';
import { environmentOptionName, parseEnvironmentNames } from '../shell/environment-names.js';
import { paneDirectoryProblem, paneRecordsDirectory } from '../shell/pane-directory.js';
import { shellRestoreEnvironment, withShellRestore, writeShellRestoreFiles } from '../shell/restore-panes.js';
import { type CaptureDependencies, captureServer, type ServerCapture } from '../snapshot/capture.js';
import type { PaneSnapshot, Snapshot } from '../snapshot/schema.js';
import type { SaveSelector } from '../store/save-selector.js';
import type { LoadedSave, SaveStore } from '../store/save-store.js';
import { removeStaleTemporaryFiles } from '../store/temporary-files.js';
import type { RestoreAction } from './actions.js';
import { applyPlan, removeReplacedSession, type SessionEnvironment } from './apply.js';
import { inServerNameForm } from './names-for-server.js';
import {
  type FirstSessionFacts,
  findBootstrapSession,
  type LiveState,
  type MovedSession,
  type OverwrittenSession,
  type PlacedWindow,
  type PlanEnvironment,
  planRestore,
  type RestorePlan,
} from './plan.js';
import {
  paneStart,
  planPrograms,
  preparePaneContents,
  readProgramSettings,
  restoreExtraOptionNames,
} from './programs-and-contents.js';
import { batchRestore } from './restore-batches.js';
import { clearingMarkerOnSignals, clearRestoringMarkerIf, restoringMarkerValue } from './restoring-marker.js';
import { selectSessions } from './select-sessions.js';

/** Everything the workflow needs from outside: the CLI, the key binding and auto-restore give it. */
export interface RestoreDependencies extends CaptureDependencies {
  readonly paths: PathEnvironment;
  readonly directoryExists: (path: string) => boolean;
  /** The options read with the capture that decide the save directory (`@resurrect-dir` and more). */
  readonly storeOptionNames: readonly string[];
  /** This server's saves, given the live server's options (the command context's `store`). */
  readonly store: (options: ReadonlyMap<string, string>) => Promise<SaveStore>;
  readonly serverIdentity: ServerIdentity;
  /**
   * When this server has no save at all: the error to throw instead (one that says how to import
   * the old plugins' saves, when there are some).
   */
  readonly noSaveError?: (
    error: NoSaveError,
    directory: string,
    options: ReadonlyMap<string, string>,
  ) => Promise<Error>;
}

export interface RestoreRequest {
  /** Which save; this server's newest when absent. */
  readonly save?: SaveSelector | undefined;
  /** Only these saved sessions (by name) and the members of their groups; all when absent or empty. */
  readonly sessions?: readonly string[] | undefined;
  /** Plan only: nothing is changed. */
  readonly dryRun?: boolean | undefined;
  /** Sessions per batch after the first one (the session the user lands in). */
  readonly sessionsPerBatch?: number | undefined;
  /** Told each warning as it comes (they are in the outcome too, which a failure never returns). */
  readonly onWarning?: ((line: string) => void) | undefined;
  /** Told before each batch and once the landing session is usable. */
  readonly progress?: ((event: RestoreProgress) => void | Promise<void>) | undefined;
}

/** How far a restore is; `landed` is sent once, when the client's session is built and switched to. */
export type RestoreProgress =
  | {
      readonly kind: 'building';
      readonly sessions: readonly string[];
      readonly sessionsDone: number;
      readonly sessionsTotal: number;
      readonly panesDone: number;
      readonly panesTotal: number;
    }
  | { readonly kind: 'landed'; readonly session: string; readonly milliseconds: number }
  | {
      readonly kind: 'built';
      readonly sessionsDone: number;
      readonly sessionsTotal: number;
      readonly panesDone: number;
      readonly panesTotal: number;
      readonly batches: number;
    };

/** What a restore did. Failures are tmux's own messages and the workflow's checks, one each. */
export type RestoreOutcome =
  | {
      readonly kind: 'planned';
      readonly savePath: string;
      readonly actions: readonly RestoreAction[];
      readonly warnings: readonly string[];
    }
  | {
      /** `sessions` named some the save does not hold: nothing was changed. */
      readonly kind: 'unknown-sessions';
      readonly savePath: string;
      readonly unknown: readonly string[];
      /** The sessions the save holds. */
      readonly held: readonly string[];
    }
  | {
      readonly kind: 'nothing-to-restore';
      readonly savePath: string;
      readonly warnings: readonly string[];
      /** The newest save of an earlier server lifetime that holds something missing (whole restores only). */
      readonly earlierSave: LoadedSave | undefined;
      readonly milliseconds: number;
    }
  | {
      readonly kind: 'restored';
      readonly savePath: string;
      readonly warnings: readonly string[];
      readonly created: readonly string[];
      /** Sessions restored with a chosen one (`sessions`) because they share its windows. */
      readonly groupMembers: readonly string[];
      /** Saved sessions that already existed (they only got their missing windows, if any). */
      readonly alreadyPresent: readonly string[];
      readonly windowsCreated: number;
      readonly panesCreated: number;
      readonly placedElsewhere: readonly PlacedWindow[];
      readonly movedAside: readonly MovedSession[];
      /** `@resurrect-overwrite`: live sessions that gave way to their saved namesakes. */
      readonly overwritten: readonly OverwrittenSession[];
      /** The fresh server's own session, removed because the restored ones replace it. */
      readonly replaced: string | undefined;
      readonly failures: readonly string[];
      readonly milliseconds: number;
    };

/** Sessions per `source-file` after the first: a few steps of progress without many tmux calls. */
export const defaultSessionsPerBatch = 8;

/**
 * The whole restore: the lease, the capture, the plan, the hooks, the batches and the removal of
 * the fresh server's own session. The session a waiting client lands in is built first and the
 * client switched to it; the other sessions follow in further batches of the same process.
 */
export async function restoreWorkflow(
  dependencies: RestoreDependencies,
  request: RestoreRequest,
): Promise<RestoreOutcome> {
  const started = Date.now();
  const { mux } = dependencies;
  // Two restores at once (a hook firing twice, a key pressed twice) would both see the same
  // missing windows and both create them; one restore per server at a time makes the second a no-op.
  // Keyed by the server's identity: a socket for tmux, the namespace for psmux (one server per
  // session there, so a socket path would name nothing).
  const lease = request.dryRun
    ? undefined
    : await acquireLease(leaseKey('restore', dependencies.serverIdentity.tag), {
        ...leaseOptionsFor(dependencies.paths, dependencies.serverIdentity.tag),
        timeoutMilliseconds: 30_000,
      });
  if (!request.dryRun && !lease) {
    throw new BusyError(
      `another restore into ${mux.describeServer()} is still running`,
      'wait for it to finish',
    );
  }
  try {
    const warnings: string[] = [];
    const warn = (line: string): void => {
      warnings.push(line);
      request.onWarning?.(line);
    };
    const live = await captureServer(dependencies, [
      ...dependencies.storeOptionNames,
      ...restoreExtraOptionNames,
      environmentOptionName,
      overwriteOption,
    ]);
    for (const line of live.warnings) warn(line);
    const server = live.snapshot.mux;
    const store = await dependencies.store(live.options);
    const selector: SaveSelector = request.save ?? { kind: 'newest' };
    const loaded = await store.load(selector).catch(async (error: unknown) => {
      throw selector.kind === 'newest' && error instanceof NoSaveError && dependencies.noSaveError
        ? await dependencies.noSaveError(error, store.directory, live.options)
        : error;
    });
    const chosen = request.sessions?.length ? selectSessions(loaded.snapshot, request.sessions) : undefined;
    if (chosen && !chosen.ok)
      return {
        kind: 'unknown-sessions',
        savePath: loaded.path,
        unknown: chosen.unknown,
        held: loaded.snapshot.sessions.map((session) => session.name),
      };
    // A save from another tmux version: its session names as this server stores them.
    const named = inServerNameForm(chosen ? chosen.snapshot : loaded.snapshot, server);
    for (const line of named.warnings) warn(line);
    const save = { ...loaded, snapshot: named.snapshot };
    // A restore killed half-way leaves its script directory behind; the next one clears it.
    if (!request.dryRun) await removeStaleTemporaryFiles(store.directory);
    const copies = await preparePaneContents(
      save,
      live.options,
      join(stateDirectory(dependencies.paths), 'pane-contents'),
      warn,
    );
    const liveState: LiveState = {
      ...live,
      firstSession: await firstSessionFacts(mux, live, dependencies.now()),
      ...(await globalIndexes(mux)),
    };
    const planOptions: PlanEnvironment = {
      directoryExists: dependencies.directoryExists,
      // A pane whose directory is gone starts here; without a home directory, at the root.
      home: optionalHome(dependencies.paths) ?? '/',
      bootstrapParkingName: `continuum-bootstrap-${process.pid}`,
      temporarySessionPrefix: `continuum-restoring-${process.pid}`,
      partial: chosen !== undefined,
      overwrite: settingsFrom(live.options).overwrite,
      ...ownSessionOf(live, dependencies.paths.environment),
    };
    const shellDirectory = paneRecordsDirectory(dependencies.paths);
    // Another user's pane directory gets no restore files; the panes come back without them.
    const shellDirectoryUsable = (await paneDirectoryProblem(shellDirectory)) === undefined;
    const programSettings = await readProgramSettings(
      mux,
      save.snapshot.sessions.flatMap((session) => session.windows.flatMap((window) => window.panes)),
      live.options,
    );
    const plan = planRestore(save.snapshot, liveState, {
      ...planOptions,
      // A pane whose shell had `continuum shell-init` gets its identity and restore file.
      paneLaunch: (pane: PaneSnapshot) =>
        withShellRestore(
          paneStart(pane, programSettings, copies, live.options),
          shellDirectoryUsable ? shellRestoreEnvironment(pane, shellDirectory) : undefined,
        ),
    });
    const programs = planPrograms(plan.panesCreated, programSettings, live.options);
    // Not save.warnings: they are about saved layouts, which the plan reports itself, once, for the
    // windows it creates and says what it does instead; an existing window keeps its own layout.
    for (const line of [...plan.warnings, ...programs.warnings]) warn(line);
    if (request.dryRun) {
      const removal: RestoreAction[] = [
        ...(plan.bootstrapRemoval ? [plan.bootstrapRemoval.session] : []),
        ...overwriteRemovals(plan).map((removal) => removal.session),
      ].map((session) => ({ kind: 'kill-session', session }));
      return {
        kind: 'planned',
        savePath: save.path,
        actions: [...plan.actions, ...programs.actions, ...plan.finalActions, ...removal],
        warnings,
      };
    }
    const hook = { savePath: save.path, warn };
    const marker = await restoringMarkerValue();
    // tmux 3.1 has no `new-session -e` (CHANGES, 3.2).
    const sessionEnvironment: SessionEnvironment =
      live.snapshot.mux.name !== 'tmux' || tmuxVersionAtLeast(live.snapshot.mux.version, [3, 2])
        ? 'new-session-flag'
        : 'global-around';
    let replaced = plan.replacedBootstrap;
    let overwritten = plan.overwritten;
    const failures: string[] = [];
    await clearingMarkerOnSignals(
      mux,
      marker,
      async () => lease?.release(),
      async () => {
        await runHookFromOptions('pre-restore-all', live.options, hook);
        await copies?.write();
        await writeShellRestoreFiles(
          save,
          plan.panesCreated.map(({ pane }) => pane),
          shellDirectory,
          parseEnvironmentNames(live.options.get(environmentOptionName) ?? ''),
          warn,
        );
        // With a pre-restore-pane-processes hook, programs start in a batch of their own after it ran.
        const splitForHook =
          (live.options.get('@resurrect-hook-pre-restore-pane-processes') ?? '').trim() !== '';
        // Unset by the last batch itself when nothing follows it: one tmux call less.
        const unsetInLastBatch =
          !splitForHook && plan.bootstrapRemoval === undefined && overwriteRemovals(plan).length === 0;
        let markerSet = true;
        try {
          failures.push(
            ...(await applyBatches(mux, plan, programs.actions, {
              splitForHook,
              unsetInLastBatch,
              marker,
              sessionEnvironment,
              landing: landingSession(plan, live, save.snapshot),
              sessionsPerBatch: request.sessionsPerBatch ?? defaultSessionsPerBatch,
              progress: request.progress,
              started,
              server,
            })),
          );
          markerSet = !unsetInLastBatch;
          if (splitForHook) {
            await runHookFromOptions('pre-restore-pane-processes', live.options, hook);
            const rest = [...programs.actions, ...plan.finalActions];
            failures.push(
              ...(await applyPlan(mux, rest, server, { keepMarker: true, marker, sessionEnvironment }))
                .errors,
            );
          }
          if (plan.bootstrapRemoval) {
            const missing = await removeReplacedSession(
              mux,
              plan.bootstrapRemoval,
              plan.replacedBootstrap ?? plan.bootstrapRemoval.session,
              server,
            );
            if (missing.length > 0) {
              replaced = undefined;
              const kept =
                `kept the new server's session ${JSON.stringify(plan.replacedBootstrap)}: ` +
                `restored ${missing.length === 1 ? 'session' : 'sessions'} ${missing.map((name) => JSON.stringify(name)).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`;
              // The error names only the first tmux failure; this one must be seen too.
              warn(kept);
              failures.push(kept);
            }
          }
          const notRemoved = await removeOverwritten(mux, plan, server);
          for (const line of notRemoved.lines) {
            warn(line);
            failures.push(line);
          }
          overwritten = plan.overwritten.filter((session) => !notRemoved.names.includes(session.name));
        } finally {
          // The restoring marker stays set until the fresh server's session is gone and every batch
          // ran: an auto-save in between would record a half-restored server.
          if (markerSet)
            await clearRestoringMarkerIf(mux, marker).catch((error: unknown) => {
              // Left set, it would hold off every auto-save of this server.
              warn(`could not unset @continuum-restoring: ${error instanceof Error ? error.message : error}`);
            });
        }
      },
    );
    await runHookFromOptions('post-restore-all', live.options, hook);
    if (plan.actions.length === 0) {
      // After a reboot without auto-restore, the daemon saves the first window the user opens;
      // that save is then "already there" while the save from before the reboot holds everything.
      const earlierSave =
        selector.kind === 'newest' && !chosen
          ? await earlierLifetimeSave(store, live, planOptions)
          : undefined;
      return {
        kind: 'nothing-to-restore',
        savePath: save.path,
        warnings,
        earlierSave,
        milliseconds: Date.now() - started,
      };
    }
    const created = new Set(plan.sessionsCreated);
    // What tmux accepted is not what exists: a pane whose command exits at once (a broken
    // default-command) takes its window and session with it. Read back what is there.
    const gone = await missingSessions(mux, plan.sessionsCreated);
    if (gone.length > 0) {
      const line =
        `${gone.length === 1 ? 'session' : 'sessions'} ${gone.map((name) => JSON.stringify(name)).join(', ')} ` +
        `${gone.length === 1 ? 'was' : 'were'} created but no longer ${gone.length === 1 ? 'exists' : 'exist'} ` +
        '(did its shell or default-command exit at once?)';
      warn(line);
      failures.push(line);
    }
    return {
      kind: 'restored',
      savePath: save.path,
      warnings,
      created: plan.sessionsCreated.filter((name) => !gone.includes(name)),
      groupMembers: chosen?.ok ? chosen.groupMembers : [],
      alreadyPresent: save.snapshot.sessions
        .map((session) => session.name)
        .filter((name) => !created.has(name)),
      windowsCreated: plan.windowsCreated,
      panesCreated: plan.panesCreated.length,
      placedElsewhere: plan.placedElsewhere,
      movedAside: plan.movedAside,
      overwritten,
      replaced,
      failures,
      milliseconds: Date.now() - started,
    };
  } finally {
    await lease?.release();
  }
}

/** psmux-resurrect's option: a running session of a saved name gives way to the saved one. */
export const overwriteOption = optionSettings.overwrite.name;

/**
 * The session `continuum restore` was typed into: the pane `TMUX_PANE` names, when `TMUX` names
 * this very server. Run by a key binding, the client's own session is known from the clients.
 */
function ownSessionOf(live: ServerCapture, environment: NodeJS.ProcessEnv): { ownSession?: string } {
  const socketPath = environment.TMUX?.split(',')[0];
  const paneId = environment.TMUX_PANE;
  if (!socketPath || !paneId || socketPath !== live.snapshot.server.socketPath) return {};
  const session = live.snapshot.sessions.find((candidate) =>
    candidate.windows.some((window) => window.panes.some((pane) => pane.id === paneId)),
  );
  return session ? { ownSession: session.name } : {};
}

/** The parked live sessions to remove once their saved namesakes exist. */
function overwriteRemovals(plan: RestorePlan): { session: string; requiredSessions: string[] }[] {
  return plan.overwritten
    .filter((session) => session.kept === undefined)
    .map((session) => ({ session: session.parkedAs, requiredSessions: [session.name] }));
}

/**
 * Removes what `@resurrect-overwrite` replaced, each only once its saved namesake exists; one
 * whose namesake is missing gets its name back (when free) and stays, and the restore says so.
 */
async function removeOverwritten(
  mux: MuxClient,
  plan: RestorePlan,
  server: MuxVersion,
): Promise<{ readonly names: readonly string[]; readonly lines: readonly string[] }> {
  const names: string[] = [];
  const lines: string[] = [];
  for (const removal of overwriteRemovals(plan)) {
    const name = removal.requiredSessions[0]!;
    let missing: readonly string[];
    try {
      missing = await removeReplacedSession(mux, removal, name, server);
    } catch (error) {
      names.push(name);
      lines.push(
        `could not remove the replaced session ${JSON.stringify(name)}, now ${JSON.stringify(removal.session)}: ${error instanceof Error ? error.message : error}`,
      );
      continue;
    }
    if (missing.length === 0) continue;
    names.push(name);
    lines.push(
      `kept the running session ${JSON.stringify(name)}: its saved namesake was not created, so it was not replaced`,
    );
  }
  return { names, lines };
}

interface BatchSettings {
  readonly splitForHook: boolean;
  readonly unsetInLastBatch: boolean;
  readonly marker: string;
  readonly sessionEnvironment: SessionEnvironment;
  readonly landing: string | undefined;
  readonly sessionsPerBatch: number;
  readonly progress: RestoreRequest['progress'];
  readonly started: number;
  /** The live tmux, whose form of session names the plan's actions hold. */
  readonly server: MuxVersion;
}

/** Runs the plan batch by batch, landing session first, and returns tmux's failures. */
async function applyBatches(
  mux: MuxClient,
  plan: RestorePlan,
  programs: readonly RestoreAction[],
  settings: BatchSettings,
): Promise<string[]> {
  const batches = batchRestore({
    actions: plan.actions,
    programs: settings.splitForHook ? [] : programs,
    finalActions: settings.splitForHook ? [] : plan.finalActions,
    landing: settings.landing,
    sessionsPerBatch: settings.sessionsPerBatch,
  });
  const sessionsTotal = batches.reduce((sum, batch) => sum + batch.sessions.length, 0);
  const panesTotal = batches.reduce((sum, batch) => sum + batch.panes, 0);
  let sessionsDone = 0;
  let panesDone = 0;
  const failures: string[] = [];
  for (const [position, batch] of batches.entries()) {
    await settings.progress?.({
      kind: 'building',
      sessions: batch.sessions,
      sessionsDone,
      sessionsTotal,
      panesDone,
      panesTotal,
    });
    const keepMarker = !(settings.unsetInLastBatch && position === batches.length - 1);
    failures.push(
      ...(
        await applyPlan(mux, batch.actions, settings.server, {
          keepMarker,
          marker: settings.marker,
          sessionEnvironment: settings.sessionEnvironment,
        })
      ).errors,
    );
    sessionsDone += batch.sessions.length;
    panesDone += batch.panes;
    if (position === 0 && settings.landing !== undefined && batch.sessions.includes(settings.landing))
      await settings.progress?.({
        kind: 'landed',
        session: settings.landing,
        milliseconds: Date.now() - settings.started,
      });
  }
  await settings.progress?.({
    kind: 'built',
    sessionsDone,
    sessionsTotal,
    panesDone,
    panesTotal,
    batches: batches.length,
  });
  return failures;
}

/**
 * The saved session a waiting client lands in: the one the plan switches the most recent client
 * to. Without a client to switch, none: the plan's order stands, which creates the saved active
 * session last, so that a later `tmux attach` (it picks the session active last) lands in it.
 */
function landingSession(plan: RestorePlan, live: ServerCapture, saved: Snapshot): string | undefined {
  if (live.clients.length === 0) return undefined;
  const switches = plan.actions.filter((action) => action.kind === 'switch-client');
  const target = switches.at(-1)?.session;
  if (target === undefined) return undefined;
  const renamed = plan.finalActions.find(
    (action) => action.kind === 'rename-session' && action.from === target,
  );
  const name = renamed?.kind === 'rename-session' ? renamed.to : target;
  return saved.sessions.some((session) => session.name === name) ? name : undefined;
}

/**
 * The facts that decide whether the server's lone session is the untouched first session of a
 * server that just started (only then may the restore kill it); none when the server holds more.
 * The cursor and the pane's text come from one tmux invocation, so they describe the same moment.
 */
async function firstSessionFacts(
  mux: MuxClient,
  live: ServerCapture,
  now: Date,
): Promise<FirstSessionFacts | undefined> {
  const session = findBootstrapSession(live.snapshot);
  const paneId = session?.windows[0]?.panes[0]?.id;
  const pane = paneId === undefined ? undefined : live.panes.get(paneId);
  if (!session || paneId === undefined || !pane) return undefined;
  const marker = `continuum-cursor-${randomBytes(8).toString('hex')}`;
  const output = await mux
    .runCommands([
      ['display-message', '-p', '-t', paneId, `${marker} #{history_size} #{cursor_y} #{cursor_x}`],
      ['capture-pane', '-p', '-S', '-', '-t', paneId],
    ])
    .catch(() => undefined);
  if (output === undefined) return undefined;
  const [first = '', ...lines] = output.replace(/\n$/, '').split('\n');
  const [label, history, row, column] = first
    .split(' ')
    .map((word, index) => (index === 0 ? word : Number(word)));
  if (label !== marker || ![history, row, column].every((value) => Number.isInteger(value))) return undefined;
  const scrolled = history as number;
  const cursorRow = scrolled + (row as number);
  const seconds = now.getTime() / 1000;
  return {
    serverAge: seconds - live.snapshot.server.startTime,
    sessionAge: seconds - pane.sessionCreated,
    firstOfServer: session.id === '$0',
    scrollback: lines.slice(0, scrolled),
    screenAbove: lines.slice(scrolled, cursorRow),
    prompt: (lines[cursorRow] ?? '').slice(0, column as number),
    runsJobs: await paneRunsJobs()(pane.pid),
  };
}

/** The sessions of `names` that the server does not hold now (all of them once it has exited). */
async function missingSessions(mux: MuxClient, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  // Read as every other field is (src/mux/query-fields.ts): a name holding a newline, or printed
  // escaped by 3.4 and 3.5, is then still the name the plan holds.
  const listed = await queryFields(mux, (format) => ['list-sessions', '-F', format], ['session_name']).then(
    (sessions) => new Set(sessions.map((session) => session.get('session_name'))),
    (error: unknown) => {
      if (error instanceof NoServerError) return new Set<string | undefined>();
      throw error;
    },
  );
  return names.filter((name) => !listed.has(name));
}

/**
 * The server's global base-index and pane-base-index, which new sessions and windows get: the
 * first live session may hold values of its own (issue 15: a restore then built one pane instead
 * of two, or failed). Nothing when they cannot be read: the plan then falls back to that session.
 */
async function globalIndexes(mux: MuxClient): Promise<Pick<LiveState, 'globalIndexes'>> {
  const output = await mux
    .runCommands([
      ['show-options', '-gv', 'base-index'],
      ['show-options', '-gwv', 'pane-base-index'],
    ])
    .catch(() => '');
  const [baseIndex, paneBaseIndex] = output.split('\n').map((line) => Number(line.trim()));
  if (!Number.isInteger(baseIndex) || !Number.isInteger(paneBaseIndex)) return {};
  return { globalIndexes: { baseIndex: baseIndex as number, paneBaseIndex: paneBaseIndex as number } };
}

/**
 * The newest save of this server from an earlier server lifetime, when restoring it would bring
 * back something the live server lacks.
 */
async function earlierLifetimeSave(
  store: SaveStore,
  live: ServerCapture,
  planOptions: PlanEnvironment,
): Promise<LoadedSave | undefined> {
  const current = lifetimeText(live.snapshot.server);
  for (const save of await store.listOwn()) {
    if (save.serverLifetime === current) continue;
    const loaded = await store.load(join(store.directory, save.fileName)).catch(() => undefined);
    if (!loaded) continue;
    return planRestore(inServerNameForm(loaded.snapshot, live.snapshot.mux).snapshot, live, planOptions)
      .actions.length > 0
      ? loaded
      : undefined;
  }
  return undefined;
}
