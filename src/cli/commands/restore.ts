import { basename, join } from 'node:path';
import { serverLifetime } from '../../daemon/save-policy.js';
import { BusyError, ContinuumError, exitCodes, NoSaveError, PartialRestoreError } from '../../errors.js';
import { runHookFromOptions } from '../../hooks/run-hook.js';
import { describeCounts, localTime, plural } from '../../human-text.js';
import { socketPathFor } from '../../mux/socket-path.js';
import { acquireLease, leaseDirectory, leaseKey } from '../../platform/lease.js';
import { paneRunsJobs } from '../../platform/pane-jobs.js';
import { stateDirectory } from '../../platform/paths.js';
import { describeAction } from '../../restore/actions.js';
import { applyPlan, clearRestoringMarker, removeReplacedSession } from '../../restore/apply.js';
import {
  type FirstSessionFacts,
  findBootstrapSession,
  type LiveState,
  type PlanEnvironment,
  planRestore,
} from '../../restore/plan.js';
import {
  planPrograms,
  preparePaneContents,
  restoreExtraOptionNames,
} from '../../restore/programs-and-contents.js';
import { selectSessions } from '../../restore/select-sessions.js';
import { environmentOptionName, parseEnvironmentNames } from '../../shell/environment-names.js';
import { paneRecordsDirectory } from '../../shell/pane-directory.js';
import {
  shellRestoreEnvironment,
  withShellRestore,
  writeShellRestoreFiles,
} from '../../shell/restore-panes.js';
import { captureServer, type ServerCapture } from '../../snapshot/capture.js';
import type { PaneSnapshot, Snapshot } from '../../snapshot/schema.js';
import { countPanes } from '../../snapshot/structure.js';
import { holdsPsmuxSaves, psmuxResurrectDirectory } from '../../store/psmux-save-files.js';
import { type LoadedSave, SaveStore } from '../../store/save-store.js';
import { removeStaleTemporaryFiles } from '../../store/temporary-files.js';
import {
  findTmuxResurrectSaveDirectory,
  tmuxResurrectDirectories,
  tmuxResurrectImportHint,
} from '../../store/tmux-resurrect-directories.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf, storeOptionNames } from '../context.js';
import { printable, quoted } from '../printable-text.js';
import { selectSave } from '../save-argument.js';
import { continuumCommand } from './daemon-target.js';

export interface RestoreCommandOptions {
  readonly dryRun?: boolean;
  readonly quiet?: boolean;
  /** `--before TIME`: this server's newest save before it, instead of SAVE. */
  readonly before?: string;
  /** `--session NAME…`: only these sessions (and their groups) of the save. */
  readonly session?: readonly string[];
}

export async function runRestore(
  context: CommandContext,
  saveName: string | undefined,
  options: RestoreCommandOptions,
): Promise<void> {
  // A bad TIME is a usage error before anything is locked or asked of tmux.
  const selector = selectSave(saveName, options.before, context.now());
  // Two restores at once (a hook firing twice, a key pressed twice) would both see the same
  // missing windows and both create them; one restore per server at a time makes the second a no-op.
  const socketPath = socketPathFor(context.mux.server, context.paths.environment);
  const lease = options.dryRun
    ? undefined
    : await acquireLease(leaseKey('restore', socketPath), {
        runtimeDirectory: leaseDirectory(context.paths),
        timeoutMilliseconds: 30_000,
      });
  if (!options.dryRun && !lease) {
    throw new BusyError(
      `another restore into ${context.mux.describeServer()} is still running`,
      'wait for it to finish',
    );
  }
  try {
    const live = await captureServer(context, [
      ...storeOptionNames,
      ...restoreExtraOptionNames,
      environmentOptionName,
    ]);
    for (const line of live.warnings) context.warn(line);
    const store = new SaveStore(
      resolveSaveDirectory(context, live.options.get('@resurrect-dir')),
      serverIdentityOf(context),
    );
    const loaded = await store.load(selector).catch(async (error: unknown) => {
      throw selector.kind === 'newest' && error instanceof NoSaveError
        ? await withImportHint(error, store.directory, context, live.options.get('@resurrect-dir'))
        : error;
    });
    const chosen = options.session?.length ? chooseSessions(loaded, options.session) : undefined;
    const save = chosen?.save ?? loaded;
    // A restore killed half-way leaves its script directory behind; the next one clears it.
    if (!options.dryRun) await removeStaleTemporaryFiles(store.directory);
    const copies = await preparePaneContents(
      save,
      live.options,
      join(stateDirectory(context.paths), 'pane-contents'),
      context.warn,
    );
    const liveState: LiveState = { ...live, firstSession: await firstSessionFacts(live, context.now()) };
    const planOptions: PlanEnvironment = {
      directoryExists: context.directoryExists,
      home: context.paths.home,
      bootstrapParkingName: `continuum-bootstrap-${process.pid}`,
      temporarySessionPrefix: `continuum-restoring-${process.pid}`,
    };
    const shellDirectory = paneRecordsDirectory(context.paths);
    const plan = planRestore(save.snapshot, liveState, {
      ...planOptions,
      // A pane whose shell had `continuum shell-init` gets its identity and restore file.
      paneLaunch: (pane: PaneSnapshot) =>
        withShellRestore(copies?.launchFor(pane.id), shellRestoreEnvironment(pane, shellDirectory)),
    });
    const programs = await planPrograms(context.mux, plan.panesCreated, live.options);
    // Not save.warnings: they are about saved layouts, which the plan reports itself, once, for the
    // windows it creates and says what it does instead; an existing window keeps its own layout.
    for (const warning of [...plan.warnings, ...programs.warnings]) context.warn(warning);
    const allActions = [...plan.actions, ...programs.actions, ...plan.finalActions];
    if (options.dryRun) {
      const removal = plan.bootstrapRemoval
        ? [describeAction({ kind: 'kill-session', session: plan.bootstrapRemoval.session })]
        : [];
      context.print(
        `restore plan for ${save.path} (${plural(allActions.length + removal.length, 'action')}):`,
      );
      for (const line of [...allActions.map(describeAction), ...removal]) context.print(`  ${line}`);
      return;
    }
    const hook = { savePath: save.path, warn: context.warn };
    await runHookFromOptions('pre-restore-all', live.options, hook);
    await copies?.write();
    await writeShellRestoreFiles(
      save,
      plan.panesCreated.map(({ pane }) => pane),
      shellDirectory,
      parseEnvironmentNames(live.options.get(environmentOptionName) ?? ''),
      context.warn,
    );
    // With a pre-restore-pane-processes hook, programs start in a second batch after it ran.
    const splitForHook = (live.options.get('@resurrect-hook-pre-restore-pane-processes') ?? '').trim() !== '';
    // The restoring marker stays set until the fresh server's session is gone: an auto-save in
    // between would record the parked session beside the restored ones.
    const keepMarker = { keepMarker: plan.bootstrapRemoval !== undefined };
    const errors: string[] = [];
    let replaced = plan.replacedBootstrap;
    try {
      errors.push(
        ...(await applyPlan(context.mux, splitForHook ? plan.actions : allActions, keepMarker)).errors,
      );
      if (splitForHook) {
        await runHookFromOptions('pre-restore-pane-processes', live.options, hook);
        const rest = [...programs.actions, ...plan.finalActions];
        errors.push(...(await applyPlan(context.mux, rest, keepMarker)).errors);
      }
      if (plan.bootstrapRemoval) {
        const missing = await removeReplacedSession(
          context.mux,
          plan.bootstrapRemoval,
          plan.replacedBootstrap ?? plan.bootstrapRemoval.session,
        );
        if (missing.length > 0) {
          replaced = undefined;
          const kept =
            `kept the new server's session ${JSON.stringify(plan.replacedBootstrap)}: ` +
            `restored ${missing.length === 1 ? 'session' : 'sessions'} ${missing.map((name) => JSON.stringify(name)).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`;
          // The error names only the first tmux failure; this one must be seen too.
          context.warn(kept);
          errors.push(kept);
        }
      }
    } finally {
      if (keepMarker.keepMarker)
        await clearRestoringMarker(context.mux).catch((error: unknown) => {
          // Left set, it would hold off every auto-save of this server.
          context.warn(
            `could not unset @continuum-restoring: ${error instanceof Error ? error.message : error}`,
          );
        });
    }
    await runHookFromOptions('post-restore-all', live.options, hook);
    if (errors.length > 0) throw new PartialRestoreError(errors);
    if (options.quiet) return;
    if (plan.actions.length === 0) {
      context.print(`nothing to restore: every session and window in ${save.path} is already there`);
      // After a reboot without auto-restore, the daemon saves the first window the user opens;
      // that save is then "already there" while the save from before the reboot holds everything.
      const earlier =
        selector.kind === 'newest' && !chosen
          ? await earlierLifetimeSave(store, live, planOptions)
          : undefined;
      if (earlier) context.print(describeEarlierSave(context, earlier));
      return;
    }
    const created = plan.sessionsCreated.length;
    // Nothing of the save is left out silently: the one summary line (the key binding shows it)
    // says where whatever did not fit went.
    const notes = [
      ...(chosen && chosen.groupMembers.length > 0
        ? [
            `with ${chosen.groupMembers.map((name) => JSON.stringify(name)).join(', ')}, which ${chosen.groupMembers.length === 1 ? 'shares its windows' : 'share their windows'} in a session group`,
          ]
        : []),
      ...plan.movedAside.map(
        (moved) =>
          `moved session ${JSON.stringify(moved.from)} aside to ${JSON.stringify(moved.to)} (kept) to restore the saved one exactly`,
      ),
      ...plan.placedElsewhere.map(
        (placed) =>
          `placed saved window ${JSON.stringify(placed.session)}:${placed.savedIndex} ${JSON.stringify(placed.windowName)} at index ${placed.index} (index ${placed.savedIndex} holds another window)`,
      ),
    ];
    context.print(
      `restored ${plural(created, 'session')} and ${plural(plan.windowsCreated, 'window')} from ${save.path}` +
        (replaced === undefined ? '' : ` (replaced the new server's session "${replaced}")`) +
        notes.map((note) => `; ${note}`).join(''),
    );
  } finally {
    await lease?.release();
  }
}

/**
 * The save narrowed to the sessions of `--session`. A name the save does not hold is an error
 * (exit 5, as a save that is not there) naming the sessions it does hold.
 */
function chooseSessions(
  loaded: LoadedSave,
  names: readonly string[],
): { save: LoadedSave; groupMembers: readonly string[] } {
  const selection = selectSessions(loaded.snapshot, names);
  if (!selection.ok) {
    const held = loaded.snapshot.sessions.map((session) => quoted(session.name));
    throw new ContinuumError(
      `${printable(basename(loaded.path, '.json'))} holds no session ${selection.unknown.map(quoted).join(', ')}; it holds ${held.join(', ')}`,
      { exitCode: exitCodes.noSave, hint: 'give --session one of those names (see `continuum show`)' },
    );
  }
  return { save: { ...loaded, snapshot: selection.snapshot }, groupMembers: selection.groupMembers };
}

/**
 * The facts that decide whether the server's lone session is the untouched first session of a
 * server that just started (only then may the restore kill it); none when the server holds more.
 */
async function firstSessionFacts(live: ServerCapture, now: Date): Promise<FirstSessionFacts | undefined> {
  const session = findBootstrapSession(live.snapshot);
  const pane = session && live.panes.get(session.windows[0]!.panes[0]!.id);
  if (!pane) return undefined;
  const seconds = now.getTime() / 1000;
  return {
    serverAge: seconds - live.snapshot.server.startTime,
    sessionAge: seconds - pane.sessionCreated,
    historySize: pane.historySize,
    cursorY: pane.cursorY,
    runsJobs: await paneRunsJobs()(pane.pid),
  };
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
  const current = serverLifetime(live.snapshot.server);
  for (const save of await store.listOwn()) {
    if (save.serverLifetime === current) continue;
    const loaded = await store.load(join(store.directory, save.fileName)).catch(() => undefined);
    if (!loaded) continue;
    return planRestore(loaded.snapshot, live, planOptions).actions.length > 0 ? loaded : undefined;
  }
  return undefined;
}

/** Names the earlier save and the command that restores it, with the options the user gave. */
function describeEarlierSave(context: CommandContext, earlier: LoadedSave): string {
  const name = basename(earlier.path, '.json');
  const command = continuumCommand(context, 'restore', name);
  return (
    `the newest save from before this server started is ${name} (${describeSnapshot(earlier.snapshot)}); ` +
    `to restore it: ${command}`
  );
}

function describeSnapshot(snapshot: Snapshot): string {
  return `saved ${localTime(snapshot.savedAt)}: ${describeCounts(countPanes(snapshot))}`;
}

/**
 * A tmux-resurrect or psmux user's first restore finds no continuum save but their old plugin's:
 * say how to bring them along instead of only "run `continuum save` first", which would save the empty bootstrap.
 */
async function withImportHint(
  error: NoSaveError,
  directory: string,
  context: CommandContext,
  resurrectDir: string | undefined,
): Promise<NoSaveError> {
  const suffix = ` in ${directory}`;
  const what = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : 'no save found';
  const tmuxResurrect = await findTmuxResurrectSaveDirectory(
    tmuxResurrectDirectories(context.paths, resurrectDir),
  );
  if (tmuxResurrect)
    return new NoSaveError(directory, what, `${tmuxResurrectImportHint(tmuxResurrect)}, then restore`);
  const psmuxDirectory = psmuxResurrectDirectory(context.paths.environment, context.paths.home);
  if (!(await holdsPsmuxSaves(psmuxDirectory))) return error;
  return new NoSaveError(
    directory,
    what,
    `psmux-resurrect saves are in ${psmuxDirectory}: bring them along with \`continuum import ${psmuxDirectory}\`, then restore`,
  );
}
