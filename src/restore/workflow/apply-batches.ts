import type { MuxClient } from '../../mux/mux-client.js';
import type { MuxVersion } from '../../mux/session-name.js';
import type { RestoreAction } from '../actions.js';
import type { SessionEnvironment } from '../apply.js';
import type { RestorePlan } from '../plan/plan-types.js';
import { batchRestore } from '../restore-batches.js';
import type { RestoreCollaborators } from './dependencies.js';
import type { RestoreRequest } from './request.js';

export interface BatchSettings {
  readonly splitForHook: boolean;
  readonly unsetInLastBatch: boolean;
  readonly marker: string;
  readonly sessionEnvironment: SessionEnvironment;
  readonly sessionsPerBatch: number;
  readonly progress: RestoreRequest['progress'];
  /** When the restore started, by `clock`. */
  readonly started: number;
  /** The live tmux, whose form of session names the plan's actions hold. */
  readonly server: MuxVersion;
}

/** Runs the plan batch by batch, landing session first, and returns tmux's failures. */
export async function applyBatches(
  collaborators: Pick<RestoreCollaborators, 'applyActions' | 'clock'>,
  mux: MuxClient,
  plan: RestorePlan,
  programs: readonly RestoreAction[],
  settings: BatchSettings,
): Promise<string[]> {
  const landing = plan.landingSession;
  const batches = batchRestore({
    actions: plan.actions,
    programs: settings.splitForHook ? [] : programs,
    finalActions: settings.splitForHook ? [] : plan.finalActions,
    landing,
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
        await collaborators.applyActions(mux, batch.actions, settings.server, {
          keepMarker,
          marker: settings.marker,
          sessionEnvironment: settings.sessionEnvironment,
        })
      ).errors,
    );
    sessionsDone += batch.sessions.length;
    panesDone += batch.panes;
    if (position === 0 && landing !== undefined && batch.sessions.includes(landing))
      await settings.progress?.({
        kind: 'landed',
        session: landing,
        milliseconds: collaborators.clock() - settings.started,
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
