import { join } from 'node:path';
import { BusyError, NoServerError } from '../errors.js';
import type { MuxClient } from '../mux/mux-client.js';
import { queryFields } from '../mux/query-fields.js';
import { lifetimeText } from '../server/server-lifetime.js';
import type { ServerCapture } from '../snapshot/capture.js';
import type { LoadedSave, SaveStore } from '../store/save-store.js';
import { inServerNameForm } from './names-for-server.js';
import type { PlanEnvironment } from './plan/plan-types.js';
import { planRestore } from './plan.js';
import type { RestoreDependencies } from './workflow/dependencies.js';
import { type ExecutedRestore, executeRestore } from './workflow/execute.js';
import type { RestoreOutcome } from './workflow/outcome.js';
import { type PlannedRestore, plannedActions, planPreparedRestore } from './workflow/plan-step.js';
import { type PreparedRestore, prepareRestore } from './workflow/prepare.js';
import type { RestoreRequest } from './workflow/request.js';

/**
 * The whole restore: the lease, then prepare (capture, save, live facts), plan (pure), execute
 * (hooks, batches, removal of the fresh server's own session), and what came back. The session a
 * waiting client lands in is built first and the client switched to it; the other sessions follow
 * in further batches of the same process.
 */
export async function restoreWorkflow(
  dependencies: RestoreDependencies,
  request: RestoreRequest,
): Promise<RestoreOutcome> {
  const started = dependencies.clock();
  const lease = request.dryRun
    ? undefined
    : await dependencies.acquireLease(dependencies.serverIdentity, dependencies.paths);
  if (!request.dryRun && !lease) {
    throw new BusyError(
      `another restore into ${dependencies.mux.describeServer()} is still running`,
      'wait for it to finish',
    );
  }
  try {
    const warnings: string[] = [];
    const warn = (line: string): void => {
      warnings.push(line);
      request.onWarning?.(line);
    };
    const prepared = await prepareRestore(dependencies, request, warn);
    if (prepared.kind === 'unknown-sessions') return prepared;
    const planned = planPreparedRestore(prepared, warn);
    if (request.dryRun)
      return { kind: 'planned', savePath: prepared.save.path, actions: plannedActions(planned), warnings };
    const executed = await executeRestore(dependencies, request, prepared, planned, { lease, warn, started });
    if (planned.plan.actions.length === 0) {
      // After a reboot without auto-restore, the daemon saves the first window the user opens;
      // that save is then "already there" while the save from before the reboot holds everything.
      const earlierSave =
        prepared.selector.kind === 'newest' && !prepared.chosen
          ? await earlierLifetimeSave(prepared.store, prepared.live, prepared.planEnvironment)
          : undefined;
      return {
        kind: 'nothing-to-restore',
        savePath: prepared.save.path,
        warnings,
        earlierSave,
        milliseconds: dependencies.clock() - started,
      };
    }
    return await restoredOutcome(dependencies, prepared, planned, executed, { warnings, warn, started });
  } finally {
    await lease?.release();
  }
}

/** What a restore that had something to do built, read back from the server. */
async function restoredOutcome(
  dependencies: RestoreDependencies,
  { save, chosen }: PreparedRestore,
  { plan }: PlannedRestore,
  executed: ExecutedRestore,
  context: { readonly warnings: readonly string[]; readonly warn: (line: string) => void; started: number },
): Promise<RestoreOutcome> {
  const failures = [...executed.failures];
  const created = new Set(plan.sessionsCreated);
  // What tmux accepted is not what exists: a pane whose command exits at once (a broken
  // default-command) takes its window and session with it. Read back what is there.
  const gone = await missingSessions(dependencies.mux, plan.sessionsCreated);
  if (gone.length > 0) {
    const line =
      `${gone.length === 1 ? 'session' : 'sessions'} ${gone.map((name) => JSON.stringify(name)).join(', ')} ` +
      `${gone.length === 1 ? 'was' : 'were'} created but no longer ${gone.length === 1 ? 'exists' : 'exist'} ` +
      '(did its shell or default-command exit at once?)';
    context.warn(line);
    failures.push(line);
  }
  return {
    kind: 'restored',
    savePath: save.path,
    warnings: context.warnings,
    created: plan.sessionsCreated.filter((name) => !gone.includes(name)),
    groupMembers: chosen?.groupMembers ?? [],
    alreadyPresent: save.snapshot.sessions
      .map((session) => session.name)
      .filter((name) => !created.has(name)),
    windowsCreated: plan.windowsCreated,
    panesCreated: plan.panesCreated.length,
    placedElsewhere: plan.placedElsewhere,
    movedAside: plan.movedAside,
    overwritten: executed.overwritten,
    replaced: executed.replaced,
    failures,
    milliseconds: dependencies.clock() - context.started,
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
