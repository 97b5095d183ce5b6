import type { MuxClient } from '../../mux/mux-client.js';
import { tmuxVersionAtLeast } from '../../mux/tmux-version.js';
import { environmentOptionName, parseEnvironmentNames } from '../../shell/environment-names.js';
import type { SessionEnvironment } from '../apply.js';
import type { OverwrittenSession } from '../plan/plan-types.js';
import { clearingMarkerOnSignals, clearRestoringMarkerIf } from '../restoring-marker.js';
import { writeShellRestoreFiles } from '../shell-restore.js';
import { applyBatches } from './apply-batches.js';
import type { RestoreDependencies, RestoreLease } from './dependencies.js';
import type { PlannedRestore } from './plan-step.js';
import type { PreparedRestore } from './prepare.js';
import { overwriteRemovals, removeBootstrap, removeOverwritten } from './removals.js';
import { defaultSessionsPerBatch, type RestoreRequest } from './request.js';

/** What the batches left: the fresh session replaced or kept, the sessions overwritten, the failures. */
export interface ExecutedRestore {
  readonly replaced: string | undefined;
  readonly overwritten: readonly OverwrittenSession[];
  readonly failures: readonly string[];
}

/** Where and when the execute step runs, as the workflow set it up. */
export interface ExecuteContext {
  readonly lease: RestoreLease | undefined;
  readonly warn: (line: string) => void;
  /** When the restore started, by `clock`. */
  readonly started: number;
}

/**
 * Builds the plan in the server: the pre-restore hooks, the pane contents and shell restore files,
 * the batches (landing session first), the programs, then the removal of what the restored
 * sessions replace, and the post-restore-all hook. The restoring marker is set by the first batch
 * and unset once all of it is done, or failed.
 */
export async function executeRestore(
  dependencies: RestoreDependencies,
  request: RestoreRequest,
  prepared: PreparedRestore,
  { plan, programs }: PlannedRestore,
  context: ExecuteContext,
): Promise<ExecutedRestore> {
  const { mux } = dependencies;
  const { live, save, copies } = prepared;
  const { warn } = context;
  const server = live.snapshot.mux;
  const hook = { savePath: save.path, warn };
  const marker = await dependencies.restoringMarkerValue();
  let replaced = plan.replacedBootstrap;
  let overwritten = plan.overwritten;
  const failures: string[] = [];
  await clearingMarkerOnSignals(
    mux,
    marker,
    async () => context.lease?.release(),
    async () => {
      await dependencies.runHook('pre-restore-all', live.options, hook);
      await copies?.write();
      await writeShellRestoreFiles(
        save,
        plan.panesCreated.map(({ pane }) => pane),
        prepared.shellDirectory,
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
        const sessionEnvironment = sessionEnvironmentOf(prepared);
        failures.push(
          ...(await applyBatches(dependencies, mux, plan, programs.actions, {
            splitForHook,
            unsetInLastBatch,
            marker,
            sessionEnvironment,
            sessionsPerBatch: request.sessionsPerBatch ?? defaultSessionsPerBatch,
            progress: request.progress,
            started: context.started,
            server,
          })),
        );
        markerSet = !unsetInLastBatch;
        if (splitForHook) {
          await dependencies.runHook('pre-restore-pane-processes', live.options, hook);
          const rest = [...programs.actions, ...plan.finalActions];
          failures.push(
            ...(
              await dependencies.applyActions(mux, rest, server, {
                keepMarker: true,
                marker,
                sessionEnvironment,
              })
            ).errors,
          );
        }
        const kept = await removeBootstrap(mux, plan, server);
        if (kept !== undefined) {
          replaced = undefined;
          // The error names only the first tmux failure; this one must be seen too.
          warn(kept);
          failures.push(kept);
        }
        const notRemoved = await removeOverwritten(mux, plan, server);
        for (const line of notRemoved.lines) {
          warn(line);
          failures.push(line);
        }
        overwritten = notRemoved.overwritten;
      } finally {
        // The restoring marker stays set until the fresh server's session is gone and every batch
        // ran: an auto-save in between would record a half-restored server.
        if (markerSet) await clearMarker(mux, marker, warn);
      }
    },
  );
  await dependencies.runHook('post-restore-all', live.options, hook);
  return { replaced, overwritten, failures };
}

/** How created sessions get their environment: tmux 3.1 has no `new-session -e` (CHANGES, 3.2). */
function sessionEnvironmentOf(prepared: PreparedRestore): SessionEnvironment {
  const server = prepared.live.snapshot.mux;
  return server.name !== 'tmux' || tmuxVersionAtLeast(server.version, [3, 2])
    ? 'new-session-flag'
    : 'global-around';
}

async function clearMarker(mux: MuxClient, marker: string, warn: (line: string) => void): Promise<void> {
  await clearRestoringMarkerIf(mux, marker).catch((error: unknown) => {
    // Left set, it would hold off every auto-save of this server.
    warn(`could not unset @continuum-restoring: ${error instanceof Error ? error.message : error}`);
  });
}
