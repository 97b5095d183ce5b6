/**
 * Why the daemon's last lap did not save. Decisions read `kind`; the words for people are made by
 * {@link describePauseReason} where they are printed (status, the log, the IPC status for `--json`).
 */
export type PauseReason =
  | { readonly kind: 'interval-off' }
  | { readonly kind: 'restoring' }
  | { readonly kind: 'no-sessions' }
  /** Every running session is one a save leaves out (`__` names, @resurrect-save-unnamed). */
  | { readonly kind: 'only-left-out-sessions' }
  | { readonly kind: 'auto-restore-failed' }
  | { readonly kind: 'bootstrap-guard'; readonly session: string }
  /** psmux: no session runs in the namespace the daemon watches (it waits a while, then exits). */
  | { readonly kind: 'empty-namespace'; readonly server: string };

export const pauseReasonKinds = [
  'interval-off',
  'restoring',
  'no-sessions',
  'only-left-out-sessions',
  'auto-restore-failed',
  'bootstrap-guard',
  'empty-namespace',
] as const satisfies readonly PauseReason['kind'][];

/** A reason as the status carries it: the typed reason and its words. */
export type DescribedPauseReason = PauseReason & { readonly text: string };

export function samePauseReason(a: PauseReason | null, b: PauseReason | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'bootstrap-guard' && b.kind === 'bootstrap-guard') return a.session === b.session;
  if (a.kind === 'empty-namespace' && b.kind === 'empty-namespace') return a.server === b.server;
  return a.kind === b.kind;
}

/** Pure: the sentence `continuum status` shows after "not saving". */
export function describePauseReason(reason: PauseReason): string {
  switch (reason.kind) {
    case 'interval-off':
      return 'auto-save is off (@continuum-save-interval is 0)';
    case 'restoring':
      return 'a restore is running';
    case 'no-sessions':
      return 'the server has no sessions';
    case 'only-left-out-sessions':
      return "every session is one a save leaves out (psmux's own `__` sessions, or unnamed ones: see @resurrect-save-unnamed)";
    case 'auto-restore-failed':
      return (
        'the auto-restore of this server failed; auto-saving resumes after a restore with the key ' +
        'binding (prefix C-r) or one save of your own (`continuum save`, prefix C-s)'
      );
    case 'bootstrap-guard':
      return (
        `the server holds only its first session "${reason.session}" and the newest save comes from an ` +
        'earlier server: not saving over it until it is restored (`continuum restore`) or something is added'
      );
    case 'empty-namespace':
      return `no session in ${reason.server}`;
  }
}

export function withDescription(reason: PauseReason): DescribedPauseReason {
  return { ...reason, text: describePauseReason(reason) };
}
