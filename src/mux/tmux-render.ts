import type {
  ApplyOptions,
  PaneAddress,
  PaneLaunch,
  RestoreAction,
  SessionEnvironment,
  WindowAddress,
} from './actions.js';
import { literalForFormat } from './script.js';
import { type MuxVersion, nameAsGiven } from './session-name.js';

const sessionTarget = (session: string): string => `=${session}:`;
export const windowTarget = (address: WindowAddress): string => `=${address.session}:${address.windowIndex}`;
export const paneTarget = (address: PaneAddress): string => `${windowTarget(address)}.${address.paneIndex}`;

/**
 * A created pane's environment (`-e`, which tmux 3.3a stores as given, without format expansion)
 * and its command.
 */
export function launchArguments(launch: PaneLaunch | undefined): string[] {
  const environment = Object.entries(launch?.environment ?? {}).flatMap(([name, value]) => [
    '-e',
    `${name}=${value}`,
  ]);
  return [...environment, ...(launch?.command ?? [])];
}

type CreateSession = Extract<RestoreAction, { kind: 'create-session' }>;

/**
 * A new session's commands: the environment set around it (global-around), the `new-session`
 * itself, and the move of its first window when the server's base-index put it elsewhere.
 */
export function createSessionCommands(
  action: CreateSession,
  server: MuxVersion,
  sessionEnvironment: SessionEnvironment,
): { readonly before: string[][]; readonly create: string[]; readonly after: string[][] } {
  const aroundGlobal =
    sessionEnvironment === 'global-around' ? Object.entries(action.launch?.environment ?? {}) : [];
  const launch =
    aroundGlobal.length > 0 && action.launch ? { ...action.launch, environment: {} } : action.launch;
  const create = [
    'new-session',
    '-d',
    '-s',
    literalForFormat(nameAsGiven(action.session, 'session', server), server),
    '-n',
    literalForFormat(action.windowName, server),
    '-c',
    literalForFormat(action.cwd, server),
    '-x',
    String(action.width),
    '-y',
    String(action.height),
    ...launchArguments(launch),
  ];
  const before = aroundGlobal.map(([name, value]) => ['set-environment', '-g', name, value]);
  const after = aroundGlobal.map(([name]) => ['set-environment', '-gu', name]);
  if (action.initialWindowIndex !== action.windowIndex) {
    const from = { session: action.session, windowIndex: action.initialWindowIndex };
    const to = { session: action.session, windowIndex: action.windowIndex };
    after.push(['move-window', '-s', windowTarget(from), '-t', windowTarget(to)]);
  }
  return { before, create, after };
}

/**
 * The tmux commands for one action on `server`'s tmux. Session names in actions are in the form
 * `server` stores them (targets compare with that); a session is created or renamed with the text
 * that makes tmux store it so. Names, titles and directories are escaped for tmux's format expansion.
 */
export function commandsFor(
  action: RestoreAction,
  server: MuxVersion,
  sessionEnvironment: SessionEnvironment = 'new-session-flag',
): string[][] {
  const toGive = (session: string): string =>
    literalForFormat(nameAsGiven(session, 'session', server), server);
  switch (action.kind) {
    case 'rename-session':
      return [['rename-session', '-t', `=${action.from}`, toGive(action.to)]];
    case 'create-session': {
      const { before, create, after } = createSessionCommands(action, server, sessionEnvironment);
      return [...before, create, ...after];
    }
    case 'join-group':
      return [['new-session', '-d', '-s', toGive(action.session), '-t', `=${action.carrier}`]];
    case 'create-window':
      return [
        [
          'new-window',
          '-d',
          '-t',
          windowTarget(action.address),
          '-n',
          literalForFormat(action.windowName, server),
          '-c',
          literalForFormat(action.cwd, server),
          ...launchArguments(action.launch),
        ],
      ];
    case 'set-window-option':
      return [['set-option', '-w', '-t', windowTarget(action.address), action.name, action.value]];
    case 'set-session-option':
      return action.value === null
        ? [['set-option', '-u', '-t', sessionTarget(action.session), action.name]]
        : [['set-option', '-t', sessionTarget(action.session), action.name, action.value]];
    case 'split-pane':
      // Re-tiling after each split keeps room for the next one; the saved layout is applied last.
      return [splitPaneCommand(action, server), ['select-layout', '-t', windowTarget(action.after), 'tiled']];
    case 'set-layout':
      return [['select-layout', '-t', windowTarget(action.address), action.layout]];
    case 'set-pane-title':
      return [
        ['select-pane', '-t', paneTarget(action.address), '-T', literalForFormat(action.title, server)],
      ];
    case 'select-pane':
      return [['select-pane', '-t', paneTarget(action.address)]];
    case 'zoom-pane':
      return [['resize-pane', '-Z', '-t', paneTarget(action.address)]];
    case 'select-window':
      return [['select-window', '-t', windowTarget(action.address)]];
    case 'switch-client':
      return [['switch-client', '-c', action.client, '-t', sessionTarget(action.session)]];
    case 'kill-session':
      return [['kill-session', '-t', `=${action.session}`]];
    case 'start-program':
      // -l sends the text as literal characters (no key names); `--` keeps a leading `-` text.
      // The shell may not have started yet: the pty keeps the typed line until it reads it.
      return [
        ['send-keys', '-t', paneTarget(action.address), '-l', '--', action.commandLine],
        ...(action.run === false ? [] : [['send-keys', '-t', paneTarget(action.address), 'Enter']]),
      ];
  }
}

export function splitPaneCommand(
  action: Extract<RestoreAction, { kind: 'split-pane' }>,
  server?: MuxVersion,
): string[] {
  return [
    'split-window',
    '-d',
    '-t',
    paneTarget(action.after),
    '-c',
    literalForFormat(action.cwd, server),
    ...launchArguments(action.launch),
  ];
}

/** The marker's commands around a batch (ApplyOptions.marker). */
export function markerCommands(marker: ApplyOptions['marker']): {
  readonly before: string[][];
  readonly after: string[][];
} {
  if (marker === undefined) return { before: [], after: [] };
  return {
    before: [['set-option', '-g', marker.option, marker.value]],
    after: marker.keep ? [] : [['set-option', '-gu', marker.option]],
  };
}

/** The whole batch as one `source-file` script's commands, in order. */
export function renderTmuxScript(actions: readonly RestoreAction[], options: ApplyOptions): string[][] {
  const marker = markerCommands(options.marker);
  return [
    ...marker.before,
    ...actions.flatMap((action) => commandsFor(action, options.server, options.sessionEnvironment)),
    ...marker.after,
  ];
}
