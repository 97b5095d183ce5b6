/**
 * What a restore does, as data (the types are the multiplexer's, src/mux/actions.ts): planned
 * without touching tmux, printed by --dry-run, rendered by each client's applyActions. Windows and
 * panes are addressed by the saved indexes: those are what the plan creates, so they are stable
 * within the batch.
 */
import type { PaneLaunch, RestoreAction } from '../mux/actions.js';
import { describePane, describeWindow } from '../snapshot/pane-address.js';

export type { PaneAddress, PaneLaunch, RestoreAction, WindowAddress } from '../mux/actions.js';
export { describePane, describeWindow } from '../snapshot/pane-address.js';

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
