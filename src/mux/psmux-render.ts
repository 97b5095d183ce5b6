import type { ApplyOptions, RestoreAction } from './actions.js';
import { psmuxSessionTarget } from './psmux-dialect.js';
import { literalForFormat } from './script.js';
import { nameAsGiven } from './session-name.js';
import {
  commandsFor,
  createSessionCommands,
  launchArguments,
  markerCommands,
  splitPaneCommand,
  windowTarget,
} from './tmux-render.js';

/** What a split asked for besides its place, so a refused layout can make the pane again. */
export interface SplitRequest {
  readonly cwd: string;
  readonly launch: readonly string[];
}

/**
 * One step of a restore on psmux, typed by what psmux must do about it (docs/psmux.md): one step
 * per line of the tmux script, so a failure is numbered the same on both.
 */
export type PsmuxStep =
  /** Any other command, routed by its target. */
  | { readonly kind: 'command'; readonly command: readonly string[] }
  /** Made, then waited for: psmux returns before the session's server answers. */
  | {
      readonly kind: 'new-session';
      readonly command: readonly string[];
      /** The session's name as psmux stores it (what has-session is asked for). */
      readonly session: string;
      /** The session whose server runs the command (a group's carrier), else unrouted. */
      readonly routedTo?: string;
    }
  /** Made at the next free index of `session`, waited for, then moved to `windowIndex`. */
  | {
      readonly kind: 'new-window';
      readonly command: readonly string[];
      readonly session: string;
      readonly windowIndex: number;
    }
  | {
      readonly kind: 'split-pane';
      readonly command: readonly string[];
      readonly window: string;
      readonly request: SplitRequest;
    }
  /** Verified and, when psmux refused it, rebuilt from the window's splits. */
  | { readonly kind: 'layout'; readonly window: string; readonly layout: string };

/** Pure: the psmux steps of a batch, marker first and last as in the tmux script. */
export function renderPsmuxSteps(actions: readonly RestoreAction[], options: ApplyOptions): PsmuxStep[] {
  const marker = markerCommands(options.marker);
  return [
    ...marker.before.map(commandStep),
    ...actions.flatMap((action) => psmuxStepsFor(action, options)),
    ...marker.after.map(commandStep),
  ];
}

function psmuxStepsFor(action: RestoreAction, options: ApplyOptions): PsmuxStep[] {
  const { server } = options;
  switch (action.kind) {
    case 'create-session': {
      const { before, create, after } = createSessionCommands(
        action,
        server,
        options.sessionEnvironment ?? 'new-session-flag',
      );
      const session = nameAsGiven(action.session, 'session', server);
      return [
        ...before.map(commandStep),
        { kind: 'new-session', command: create, session },
        ...after.map(commandStep),
      ];
    }
    case 'join-group':
      return [
        {
          kind: 'new-session',
          command: commandsFor(action, server)[0]!,
          session: nameAsGiven(action.session, 'session', server),
          routedTo: action.carrier,
        },
      ];
    case 'create-window': {
      const { session, windowIndex } = action.address;
      // `-t =S:N` with an index exits 0 and creates nothing on psmux 3.3.8: made at `S:`.
      const command = [
        'new-window',
        '-d',
        '-t',
        psmuxSessionTarget(session),
        '-n',
        literalForFormat(action.windowName),
        '-c',
        literalForFormat(action.cwd),
        ...launchArguments(action.launch),
      ];
      return [{ kind: 'new-window', command, session, windowIndex }];
    }
    case 'split-pane': {
      const window = windowTarget(action.after);
      const request = { cwd: literalForFormat(action.cwd), launch: launchArguments(action.launch) };
      return [
        { kind: 'split-pane', command: splitPaneCommand(action), window, request },
        { kind: 'layout', window, layout: 'tiled' },
      ];
    }
    case 'set-layout':
      return [{ kind: 'layout', window: windowTarget(action.address), layout: action.layout }];
    default:
      return commandsFor(action, server).map(commandStep);
  }
}

function commandStep(command: readonly string[]): PsmuxStep {
  return { kind: 'command', command };
}
