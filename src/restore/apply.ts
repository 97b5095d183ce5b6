import type { MuxClient } from '../mux/mux-client.js';
import { queryFields } from '../mux/query-fields.js';
import { literalForFormat } from '../mux/script.js';
import { type MuxVersion, nameAsGiven } from '../mux/session-name.js';
import type { PaneAddress, PaneLaunch, RestoreAction, WindowAddress } from './actions.js';

import { restoringMarkerOption } from './restoring-marker.js';

export { restoringMarkerOption };

const sessionTarget = (session: string): string => `=${session}:`;
const windowTarget = (address: WindowAddress): string => `=${address.session}:${address.windowIndex}`;
const paneTarget = (address: PaneAddress): string => `${windowTarget(address)}.${address.paneIndex}`;

/**
 * A created pane's environment (`-e`, which tmux 3.3a stores as given, without format expansion)
 * and its command.
 */
function launchArguments(launch: PaneLaunch | undefined): string[] {
  const environment = Object.entries(launch?.environment ?? {}).flatMap(([name, value]) => [
    '-e',
    `${name}=${value}`,
  ]);
  return [...environment, ...(launch?.command ?? [])];
}

/**
/**
 * How a new session's first pane gets its environment: `new-session -e` (tmux 3.2 and later), or on
 * older ones the global environment for the length of the `new-session` (the lines of one
 * source-file run in order; the names are continuum's own, so no user's global value is lost).
 */
export type SessionEnvironment = 'new-session-flag' | 'global-around';

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
  const toGive = (session: string): string => literalForFormat(nameAsGiven(session, 'session', server));
  switch (action.kind) {
    case 'rename-session':
      return [['rename-session', '-t', `=${action.from}`, toGive(action.to)]];
    case 'create-session': {
      const aroundGlobal =
        sessionEnvironment === 'global-around' ? Object.entries(action.launch?.environment ?? {}) : [];
      const launch =
        aroundGlobal.length > 0 && action.launch ? { ...action.launch, environment: {} } : action.launch;
      const create = [
        'new-session',
        '-d',
        '-s',
        toGive(action.session),
        '-n',
        literalForFormat(action.windowName),
        '-c',
        literalForFormat(action.cwd),
        '-x',
        String(action.width),
        '-y',
        String(action.height),
        ...launchArguments(launch),
      ];
      const created = [
        ...aroundGlobal.map(([name, value]) => ['set-environment', '-g', name, value]),
        create,
        ...aroundGlobal.map(([name]) => ['set-environment', '-gu', name]),
      ];
      if (action.initialWindowIndex === action.windowIndex) return created;
      const from = { session: action.session, windowIndex: action.initialWindowIndex };
      const to = { session: action.session, windowIndex: action.windowIndex };
      return [...created, ['move-window', '-s', windowTarget(from), '-t', windowTarget(to)]];
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
          literalForFormat(action.windowName),
          '-c',
          literalForFormat(action.cwd),
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
      return [
        [
          'split-window',
          '-d',
          '-t',
          paneTarget(action.after),
          '-c',
          literalForFormat(action.cwd),
          ...launchArguments(action.launch),
        ],
        ['select-layout', '-t', windowTarget(action.after), 'tiled'],
      ];
    case 'set-layout':
      return [['select-layout', '-t', windowTarget(action.address), action.layout]];
    case 'set-pane-title':
      return [['select-pane', '-t', paneTarget(action.address), '-T', literalForFormat(action.title)]];
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

export interface ApplyResult {
  readonly errors: readonly string[];
}

/**
 * Sends the whole plan to tmux in one `source-file` invocation: no process per command and no
 * sleeps. tmux runs the lines in order and keeps going past a failed one; its messages come back
 * as errors.
 */
export async function applyPlan(
  mux: MuxClient,
  actions: readonly RestoreAction[],
  server: MuxVersion,
  options: {
    readonly keepMarker?: boolean;
    readonly marker?: string;
    readonly sessionEnvironment?: SessionEnvironment;
  } = {},
): Promise<ApplyResult> {
  if (actions.length === 0) return { errors: [] };
  const commands = [
    ['set-option', '-g', restoringMarkerOption, options.marker ?? String(process.pid)],
    ...actions.flatMap((action) => commandsFor(action, server, options.sessionEnvironment)),
    // keepMarker: the caller has more to do (remove the fresh server's session) before an
    // auto-save may capture the server, and unsets it with clearRestoringMarkerIf.
    ...(options.keepMarker ? [] : [['set-option', '-gu', restoringMarkerOption]]),
  ];
  const result = await mux.runScript(commands);
  return { errors: result.errors };
}

/**
 * Kills the fresh server's own session only after one tmux call shows every restored session
 * exists: in the batch, the kill would run even when every new-session before it failed (tmux
 * continues past failed lines), and the server would exit with its last session. Otherwise it is
 * kept, under its own name again if it was parked and the name is free. Returns the required
 * sessions that are missing (then nothing was killed).
 */
export async function removeReplacedSession(
  mux: MuxClient,
  removal: { readonly session: string; readonly requiredSessions: readonly string[] },
  originalName: string,
  server: MuxVersion,
): Promise<readonly string[]> {
  // Session names are listed in tmux's stored form (control characters escaped), as saves hold them.
  const sessions = await queryFields(mux, (format) => ['list-sessions', '-F', format], ['session_name']);
  const listed = new Set(sessions.map((session) => session.get('session_name') ?? ''));
  const missing = removal.requiredSessions.filter((name) => !listed.has(name));
  if (missing.length === 0) {
    await mux.run(commandsFor({ kind: 'kill-session', session: removal.session }, server)[0]!);
  } else if (removal.session !== originalName && !listed.has(originalName)) {
    const rename = {
      kind: 'rename-session',
      from: removal.session,
      to: originalName,
      purpose: 'final-name',
    } as const;
    await mux.run(commandsFor(rename, server)[0]!).catch(() => '');
  }
  return missing;
}
