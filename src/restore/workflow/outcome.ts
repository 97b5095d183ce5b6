import type { LoadedSave } from '../../store/save-store.js';
import type { RestoreAction } from '../actions.js';
import type { MovedSession, OverwrittenSession, PlacedWindow } from '../plan/plan-types.js';

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
