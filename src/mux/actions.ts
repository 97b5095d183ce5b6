/**
 * What a restore does, as data, in the terms of the multiplexer: sessions by name (exact match),
 * windows and panes by the saved indexes. The restore plans these (src/restore/plan.ts) and each
 * client renders them its own way (applyActions: a tmux script, or psmux's routed steps).
 */
import type { MuxVersion } from './session-name.js';

/**
 * Where a window or pane is, by session name (exact match) and the saved indexes: restore's
 * actions and the programs typed into created panes both address panes this way.
 */
export interface WindowAddress {
  readonly session: string;
  readonly windowIndex: number;
}

export interface PaneAddress extends WindowAddress {
  readonly paneIndex: number;
}

/** A created pane that starts with a command instead of the default shell (to show its saved text first). */
export interface PaneLaunch {
  /** Said by --dry-run. */
  readonly description: string;
  /** Run directly by tmux (several arguments: no shell parses them); empty for the default shell. */
  readonly command: readonly string[];
  /** Given to the pane at creation (`-e NAME=VALUE`): the shell integration's identity and restore file. */
  readonly environment?: Readonly<Record<string, string>>;
}

export type RestoreAction =
  | {
      readonly kind: 'rename-session';
      readonly from: string;
      readonly to: string;
      /**
       * park: the fresh server's session, removed at the end; move-aside: a live session kept
       * under a new name; final-name: a session built under a temporary name gets its own.
       */
      readonly purpose: 'park' | 'move-aside' | 'final-name';
    }
  | {
      readonly kind: 'create-session';
      readonly session: string;
      readonly windowIndex: number;
      /** Where tmux puts the first window (the server's base-index); moved when it differs. */
      readonly initialWindowIndex: number;
      readonly windowName: string;
      readonly cwd: string;
      readonly width: number;
      readonly height: number;
      readonly launch?: PaneLaunch;
    }
  | { readonly kind: 'join-group'; readonly session: string; readonly carrier: string }
  | {
      readonly kind: 'create-window';
      readonly address: WindowAddress;
      readonly windowName: string;
      readonly cwd: string;
      readonly launch?: PaneLaunch;
    }
  | {
      readonly kind: 'set-window-option';
      readonly address: WindowAddress;
      readonly name: string;
      readonly value: string;
    }
  | {
      readonly kind: 'set-session-option';
      readonly session: string;
      readonly name: string;
      readonly value: string | null;
    }
  | {
      readonly kind: 'split-pane';
      readonly after: PaneAddress;
      readonly cwd: string;
      readonly launch?: PaneLaunch;
    }
  | { readonly kind: 'set-layout'; readonly address: WindowAddress; readonly layout: string }
  | { readonly kind: 'set-pane-title'; readonly address: PaneAddress; readonly title: string }
  | { readonly kind: 'select-pane'; readonly address: PaneAddress }
  | { readonly kind: 'zoom-pane'; readonly address: PaneAddress }
  | { readonly kind: 'select-window'; readonly address: WindowAddress }
  | { readonly kind: 'switch-client'; readonly client: string; readonly session: string }
  | { readonly kind: 'kill-session'; readonly session: string }
  /** Types a command line into a pane the restore created, then Enter. */
  | {
      readonly kind: 'start-program';
      readonly address: PaneAddress;
      readonly commandLine: string;
      /** false: typed at the prompt and left for the user to run (an agent whose session is unknown). */
      readonly run?: boolean;
    };

/**
 * How a new session's first pane gets its environment: `new-session -e` (tmux 3.2 and later), or on
 * older ones the global environment for the length of the `new-session` (the lines of one
 * source-file run in order; the names are continuum's own, so no user's global value is lost).
 */
export type SessionEnvironment = 'new-session-flag' | 'global-around';

export interface ApplyOptions {
  /** The live multiplexer, whose stored form of session names the actions hold. */
  readonly server: MuxVersion;
  readonly sessionEnvironment?: SessionEnvironment;
  /**
   * A global option set before the first action and, unless `keep`, unset after the last: the
   * restore's marker that holds off auto-saves of a half-built server.
   */
  readonly marker?: { readonly option: string; readonly value: string; readonly keep: boolean };
}
