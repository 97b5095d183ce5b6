/**
 * What a restore does, as data: planned without touching tmux, printed by --dry-run, turned into
 * tmux commands by apply. Sessions are named (exact match), windows and panes addressed by the
 * saved indexes: those are what the plan creates, so they are stable within the batch.
 */
import {
  describePane,
  describeWindow,
  type PaneAddress,
  type WindowAddress,
} from '../snapshot/pane-address.js';

export {
  describePane,
  describeWindow,
  type PaneAddress,
  type WindowAddress,
} from '../snapshot/pane-address.js';

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

/** One line per action, for --dry-run. */
export function describeAction(action: RestoreAction): string {
  switch (action.kind) {
    case 'rename-session':
      return `rename session ${JSON.stringify(action.from)} to ${JSON.stringify(action.to)}${renamePurposes[action.purpose]}`;
    case 'create-session':
      return `create session ${JSON.stringify(action.session)} (${action.width}x${action.height}) with window ${action.windowIndex} ${JSON.stringify(action.windowName)} in ${action.cwd}${describeLaunch(action.launch)}`;
    case 'join-group':
      return `create session ${JSON.stringify(action.session)} sharing the windows of ${JSON.stringify(action.carrier)}`;
    case 'create-window':
      return `create window ${describeWindow(action.address)} ${JSON.stringify(action.windowName)} in ${action.cwd}${describeLaunch(action.launch)}`;
    case 'set-window-option':
      return `set ${action.name} ${action.value} on window ${describeWindow(action.address)}`;
    case 'set-session-option':
      return action.value === null
        ? `unset ${action.name} on session ${JSON.stringify(action.session)}`
        : `set ${action.name} ${action.value} on session ${JSON.stringify(action.session)}`;
    case 'split-pane':
      return `split pane ${describePane(action.after)}, new pane in ${action.cwd}${describeLaunch(action.launch)}`;
    case 'set-layout':
      return `apply layout ${action.layout} to window ${describeWindow(action.address)}`;
    case 'set-pane-title':
      return `title pane ${describePane(action.address)} ${JSON.stringify(action.title)}`;
    case 'select-pane':
      return `select pane ${describePane(action.address)}`;
    case 'zoom-pane':
      return `zoom pane ${describePane(action.address)}`;
    case 'select-window':
      return `select window ${describeWindow(action.address)}`;
    case 'switch-client':
      return `switch client ${action.client} to session ${JSON.stringify(action.session)}`;
    case 'kill-session':
      return `remove session ${JSON.stringify(action.session)}`;
    case 'start-program':
      return `type ${JSON.stringify(action.commandLine)} into pane ${describePane(action.address)}${action.run === false ? ' (not run)' : ''}`;
  }
}

const renamePurposes = {
  park: " (the fresh server's own session, removed once the restored sessions exist)",
  'move-aside': ' (kept: moved out of the way of the saved session of its name)',
  'final-name': '',
} as const;

function describeLaunch(launch: PaneLaunch | undefined): string {
  return launch ? `, ${launch.description}` : '';
}
