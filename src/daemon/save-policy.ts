import { findBootstrapSession } from '../restore/plan.js';
import { lifetimeText } from '../server/server-lifetime.js';
import type { Snapshot } from '../snapshot/schema.js';
import type { AutoRestoreResult } from './auto-restore-result.js';
import type { PauseReason } from './pause-reason.js';

export type AutoSaveDecision =
  | { readonly save: true }
  | { readonly save: false; readonly reason: PauseReason };

export interface AutoSaveFacts {
  readonly snapshot: Snapshot;
  /** Running sessions the save leaves out (`__` names, @resurrect-save-unnamed); 0 when absent. */
  readonly skippedSessions?: number;
  /** `@continuum-restoring` is set: a restore is half-way through its commands. */
  readonly restoring: boolean;
  /** `@continuum-auto-restore-result` of this server lifetime. */
  readonly autoRestoreResult: AutoRestoreResult;
  /** `startTime-pid` of the server the newest save came from, if there is a save. */
  readonly newestSaveLifetime: string | undefined;
}

/**
 * Pure: may the daemon save this capture? It must never put "nothing" in front of a good save
 * (tmux-continuum's worst bug: after a reboot the fresh server's lone shell was auto-saved as the
 * newest save before it was restored, and retention then removed the good ones).
 */
export function decideAutoSave(facts: AutoSaveFacts): AutoSaveDecision {
  if (facts.restoring) return { save: false, reason: { kind: 'restoring' } };
  if (facts.snapshot.sessions.length === 0)
    return {
      save: false,
      reason: (facts.skippedSessions ?? 0) > 0 ? { kind: 'only-left-out-sessions' } : { kind: 'no-sessions' },
    };
  const bootstrap = findBootstrapSession(facts.snapshot);
  const earlierLifetime =
    facts.newestSaveLifetime !== undefined &&
    facts.newestSaveLifetime !== lifetimeText(facts.snapshot.server);
  if (facts.autoRestoreResult.kind === 'failed' && earlierLifetime) {
    // A half-done restore saved as the newest would be what the next restore brings back.
    return { save: false, reason: { kind: 'auto-restore-failed' } };
  }
  if (bootstrap && earlierLifetime && facts.autoRestoreResult.kind !== 'restored')
    return { save: false, reason: { kind: 'bootstrap-guard', session: bootstrap.name } };
  return { save: true };
}

/**
 * How often a CHANGE of the structure may be written, counted in daemon laps (5 s each by
 * default). A change that holds still for one lap is saved at once while credit lasts: an
 * accidental kill-window is in a save within one or two laps (5–10 s). Every change-save written
 * costs {@link lapsPerChangeSave} laps of credit, and credit grows by one per lap up to
 * {@link changeSaveBurst} saves' worth. So a quiet environment always has its 3 prompt saves,
 * while continuous churn (a pane whose shell loop alternates between two programs, a window that
 * renames itself) writes 3 saves, then at most one per 12 laps (one a minute at the default
 * poll) instead of one every lap (16 saves in 2 minutes before), and the last state is saved at
 * most 12 laps after the churn stops. Laps rather than seconds keep the numbers meaningful for
 * any `CONTINUUM_DAEMON_POLL_MS`.
 */
export const changeSaveBurst = 3;
/** Laps of credit one change-save costs, and the steady rate under churn: see {@link changeSaveBurst}. */
export const lapsPerChangeSave = 12;
/** A structure that never holds still for a lap is saved anyway after this many laps of change. */
export const maximumUnsettledLaps = 5;

/** Credit for change-saves, in laps, as counted at `lap`. Two numbers: memory stays flat. */
export interface ChangeSaveCredit {
  readonly laps: number;
  readonly lap: number;
}

/** Full credit: a daemon starts able to save its first changes at once. */
export function fullChangeSaveCredit(lap: number): ChangeSaveCredit {
  return { laps: changeSaveBurst * lapsPerChangeSave, lap };
}

/** The credit grown by the laps since it was counted, capped at the burst. */
export function changeSaveCreditAt(credit: ChangeSaveCredit, lap: number): ChangeSaveCredit {
  const grown = credit.laps + Math.max(0, lap - credit.lap);
  return { laps: Math.min(changeSaveBurst * lapsPerChangeSave, grown), lap };
}

/** The credit after a change-save was written at `lap` (saves that wrote nothing cost nothing). */
export function spendChangeSaveCredit(credit: ChangeSaveCredit, lap: number): ChangeSaveCredit {
  const now = changeSaveCreditAt(credit, lap);
  return { laps: now.laps - lapsPerChangeSave, lap };
}

export interface ChangeSaveFacts {
  readonly lap: number;
  /** The structure differs from the one last saved (or deliberately not saved). */
  readonly changed: boolean;
  /** The structure is the same as on the previous lap. */
  readonly stable: boolean;
  /** Laps in a row that the structure has differed from the one last saved. */
  readonly unsettledLaps: number;
  readonly credit: ChangeSaveCredit;
}

export type ChangeSaveDecision =
  | { readonly save: true }
  | { readonly save: false; readonly reason: 'unchanged' | 'still changing' | 'rate limited' };

/** Pure: does this lap write the changed structure? See {@link changeSaveBurst} for the numbers. */
export function decideChangeSave(facts: ChangeSaveFacts): ChangeSaveDecision {
  if (!facts.changed) return { save: false, reason: 'unchanged' };
  if (!facts.stable && facts.unsettledLaps < maximumUnsettledLaps)
    return { save: false, reason: 'still changing' };
  if (changeSaveCreditAt(facts.credit, facts.lap).laps < lapsPerChangeSave)
    return { save: false, reason: 'rate limited' };
  return { save: true };
}
