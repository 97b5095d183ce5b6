import type { SaveSelector } from '../../store/save-selector.js';

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

/** Sessions per `source-file` after the first: a few steps of progress without many tmux calls. */
export const defaultSessionsPerBatch = 8;
