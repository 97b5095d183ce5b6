import { findBootstrapSession } from '../restore/plan.js';
import type { Snapshot } from '../snapshot/schema.js';

export type AutoSaveDecision = { readonly save: true } | { readonly save: false; readonly reason: string };

export interface AutoSaveFacts {
  readonly snapshot: Snapshot;
  /** `@continuum-restoring` is set: a restore is half-way through its commands. */
  readonly restoring: boolean;
  /** `@continuum-auto-restore-result` of this server lifetime ('' while none finished). */
  readonly autoRestoreResult: string;
  /** `startTime-pid` of the server the newest save came from, if there is a save. */
  readonly newestSaveLifetime: string | undefined;
}

/** `startTime-pid`, as save file names record it. */
export function serverLifetime(server: { readonly startTime: number; readonly pid: number }): string {
  return `${server.startTime}-${server.pid}`;
}

/**
 * Pure: may the daemon save this capture? It must never put "nothing" in front of a good save
 * (tmux-continuum's worst bug: after a reboot the fresh server's lone shell was auto-saved as the
 * newest save before it was restored, and retention then removed the good ones).
 */
export function decideAutoSave(facts: AutoSaveFacts): AutoSaveDecision {
  if (facts.restoring) return { save: false, reason: 'a restore is running' };
  if (facts.snapshot.sessions.length === 0) return { save: false, reason: 'the server has no sessions' };
  const bootstrap = findBootstrapSession(facts.snapshot);
  const earlierLifetime =
    facts.newestSaveLifetime !== undefined &&
    facts.newestSaveLifetime !== serverLifetime(facts.snapshot.server);
  if (facts.autoRestoreResult.startsWith('failed') && earlierLifetime) {
    // A half-done restore saved as the newest would be what the next restore brings back.
    return {
      save: false,
      reason:
        'the auto-restore of this server failed; auto-saving resumes after a restore with the key ' +
        'binding (prefix C-r) or one save of your own (`continuum save`, prefix C-s)',
    };
  }
  if (bootstrap && earlierLifetime && facts.autoRestoreResult !== 'restored') {
    return {
      save: false,
      reason:
        `the server holds only its first session "${bootstrap.name}" and the newest save comes from an ` +
        'earlier server: not saving over it until it is restored (`continuum restore`) or something is added',
    };
  }
  return { save: true };
}
