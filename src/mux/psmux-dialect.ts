import { UsageError } from '../errors.js';
import type { ServerTarget } from '../server/server-target.js';
import type { InvocationOutcome, MuxDialect, SessionListing, Substitute } from './dialect.js';
import { literalForFormat } from './script.js';

/**
 * psmux (Windows, ConPTY) as continuum must drive it. Every fact used here is written down, with
 * the psmux file it comes from, in docs/psmux.md; the short reasons are repeated where they decide
 * behaviour.
 */

/** The standby server psmux keeps for fast creation (docs/warm-sessions.md). */
export const warmSessionName = '__warm__';

/**
 * psmux stores a session of namespace `-L ns` as `ns__name` (tmux_args_reference.md, global
 * flags); PSMUX_TARGET_SESSION names that registry base, not the bare session name.
 */
export function registryName(namespace: string | undefined, session: string): string {
  return namespace ? `${namespace}__${session}` : session;
}

/**
 * Whether `name` is the hidden standby session, bare or in a namespace (`ns____warm__`, as
 * psmux's own send_control strips it). A user session merely ending in `__warm__` is kept:
 * hiding it would lose it from every save.
 */
export function isWarmSession(name: string, namespace?: string): boolean {
  return (
    name === warmSessionName || (namespace !== undefined && name === registryName(namespace, warmSessionName))
  );
}

/**
 * Output as the parsers expect it. psmux prints `\n` itself, but output that passed through
 * PowerShell (`Out-String`, a redirected `run-shell`) gains `\r\n` and sometimes a UTF-8
 * byte-order mark; a `\r` left at a line's end would end up inside a session name or directory.
 */
export function normalisePsmuxOutput(stdout: string): string {
  return stdout.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

const noServerPattern = /no server running|no sessions|error connecting to|can't find session/i;

/**
 * `psmux ls` walks the registry files and exits 0 whatever it finds (main.rs, the `ls` arm): empty
 * output with exit 0 is "no server in this namespace", never "a server with no sessions" (a psmux
 * server is one session and ends with it). An EMPTY LINE is a session whose server did not answer
 * within 500 ms: it exists, and is counted as `unanswered`, never read as a name or as "none". The
 * warm session is hidden by psmux already; it is filtered again so an older psmux that lists it
 * cannot make it look like a session to save.
 */
export function parsePsmuxSessionList(outcome: InvocationOutcome, namespace?: string): SessionListing {
  const listing = parseNamespaceSessions(outcome, namespace, (line) => ({ name: line }));
  if (listing.kind === 'no-server') return listing;
  return {
    kind: 'sessions',
    names: listing.sessions.map((session) => session.name),
    unanswered: listing.unanswered,
  };
}

/** One session of a namespace as `ls -F namespaceSessionFormat` gives it: its server's pid and start. */
export interface NamespaceSession {
  readonly name: string;
  readonly pid: number;
  readonly startTime: number;
}

/**
 * What `ls` is asked for: each session's server pid and creation time (`#{start_time}` is the
 * session's `created_at`, format.rs), the name last so that spaces in it need no quoting.
 */
export const namespaceSessionFormat = '#{pid} #{start_time} #{session_name}';

/** Pure: a line of `ls -F namespaceSessionFormat`, or undefined when it is not one. */
export function parseNamespaceSessionLine(line: string): NamespaceSession | undefined {
  const match = line.match(/^(\d+) (\d+) (.+)$/);
  if (!match) return undefined;
  return { pid: Number(match[1]), startTime: Number(match[2]), name: match[3]! };
}

/** The sessions of a namespace, or that none runs; `unanswered` counts servers that were silent. */
export type NamespaceListing<Session> =
  | { readonly kind: 'no-server' }
  | { readonly kind: 'sessions'; readonly sessions: readonly Session[]; readonly unanswered: number };

/** Pure: reads `ls` output line by line with `readLine`; see parsePsmuxSessionList. */
export function parseNamespaceSessions<Session extends { readonly name: string }>(
  outcome: InvocationOutcome,
  namespace: string | undefined,
  readLine: (line: string) => Session | undefined,
): NamespaceListing<Session> {
  if (outcome.code !== 0) {
    if (noServerPattern.test(outcome.stderr)) return { kind: 'no-server' };
    return { kind: 'sessions', sessions: [], unanswered: 0 };
  }
  const output = normalisePsmuxOutput(outcome.stdout);
  if (output === '') return { kind: 'no-server' };
  const lines = output.replace(/\n$/, '').split('\n');
  const sessions: Session[] = [];
  let unanswered = 0;
  for (const line of lines) {
    const session = line === '' ? undefined : readLine(line);
    if (session === undefined) unanswered += 1;
    else if (!isWarmSession(session.name, namespace)) sessions.push(session);
  }
  if (sessions.length === 0 && unanswered === 0) return { kind: 'no-server' };
  return { kind: 'sessions', sessions, unanswered };
}

/**
 * The session whose server stands for the namespace's lifetime: the oldest one (then the lowest
 * pid). psmux has no server of the namespace (every session is one), `#{pid}` answers whichever
 * session was asked, and `#{server_instance}` is minted again by every server psmux cannot prove
 * a peer of (off Windows: always, platform.rs). The oldest session's pid and start stay put as
 * long as it lives.
 */
export function oldestSession<Session extends NamespaceSession>(
  sessions: readonly Session[],
): Session | undefined {
  return [...sessions].sort((one, other) => one.startTime - other.startTime || one.pid - other.pid)[0];
}

/**
 * The session part of a target (`=name:1.2` → `name`, `name:%3` → `name`, `%3` → undefined).
 * psmux routes every command to ONE session's server, chosen by the session `-t` names (main.rs,
 * the `-t` scan), so each command is sent with a target that names its session.
 */
export function sessionOfTarget(target: string): string | undefined {
  const withoutExact = target.startsWith('=') ? target.slice(1) : target;
  if (isUnqualifiedId(withoutExact)) return undefined;
  const session = withoutExact.split(':')[0] ?? '';
  return session === '' ? undefined : session;
}

/**
 * Whether a target is a bare id (`%3`, `@2`, `$0`). psmux counts pane and window ids per server,
 * and every session is its own server: `%1` exists in every session, and a bare id goes to the
 * `$TMUX` session or the newest one, whichever that is (docs/psmux.md, "ids"). Only `SESSION:%3`
 * reaches the pane meant.
 */
export function isUnqualifiedId(target: string): boolean {
  return /^=?[%@$]/.test(target);
}

/**
 * A pane id as psmux routes it to its session: `name:.%3` (a window id: `name:@2`). psmux reads
 * `name:%3` as a window named `%3` and fails (seen on the real server); its target parser takes a
 * pane id in the pane slot after the `.` (cli.rs `parse_target`).
 */
export function qualifiedId(session: string, id: string): string {
  return id.startsWith('%') ? `${session}:.${id}` : `${session}:${id}`;
}

/**
 * A target naming a whole session. psmux reads a bare `name.2` as session `name`, pane 2 (its
 * `session.pane` shorthand), so a session named with a dot and digits must be written `name.2:`;
 * a trailing `:` means the same session to tmux and psmux alike.
 */
export function psmuxSessionTarget(session: string): string {
  return `${session}:`;
}

/** The `-t` value of a command, if any. */
export function targetOf(command: readonly string[]): string | undefined {
  const position = command.indexOf('-t');
  return position === -1 ? undefined : command[position + 1];
}

/**
 * psmux's `$TMUX` inside a pane is `<dir>/<socket name>,<port>,<session index>` (main.rs, the
 * routing comment): the second field is the server's TCP port, not a pid as with tmux.
 */
export function parsePsmuxTmuxVariable(
  value: string | undefined,
): { readonly socketName: string; readonly port: number } | undefined {
  if (!value) return undefined;
  const [path, port] = value.split(',');
  if (path === undefined || port === undefined || !/^\d+$/.test(port.trim())) return undefined;
  const socketName = path.split(/[\\/]/).pop() ?? '';
  return { socketName, port: Number(port.trim()) };
}

/** A drive path (`C:\x`, `C:/x`), a UNC path (`\\server\share\x`) or a `\\?\` long path. */
export function isWindowsAbsolutePath(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\/]+[\\/][^\\/]+/.test(path) || path.startsWith('\\\\?\\');
}

/**
 * A key to compare two Windows directories: `/` and `\` are the same separator, case does not
 * matter to NTFS lookups, a trailing separator changes nothing (except a drive root, `C:\`).
 * Display and restore keep the directory exactly as saved.
 */
export function windowsPathKey(path: string): string {
  let key = path.replace(/\//g, '\\');
  if (!/^[A-Za-z]:\\$/.test(key)) key = key.replace(/\\+$/, '');
  return key.toLowerCase();
}

/** What psmux lacks or cannot be trusted with, and what the psmux client does instead. */
export const psmuxSubstitutes: readonly Substitute[] = [
  {
    command: 'list-panes -a -F',
    instead:
      'list-sessions -F #{session_name}, then list-panes -s -t =NAME -F per session: every session is its own server, and -a once answered for one session only',
  },
  {
    command: 'list-clients -F',
    instead:
      'the CLI drops -F for list-clients; the active session is the attached session with the newest #{session_activity}',
  },
  {
    command: 'display-message -p (options, server identity)',
    instead:
      'show-options -gv NAME routed with -t: display-message escapes control bytes and answers for the newest session',
  },
  {
    command: 'source-file SCRIPT',
    instead: 'one invocation per command, routed to the session it targets (-t is global at the psmux CLI)',
  },
  {
    command: 'new-session -d -P -F / new-window -P -F',
    instead:
      'creation finishes asynchronously: poll has-session -t =NAME / list-windows until the result exists, with a deadline',
  },
  {
    command: 'select-layout -t WINDOW LAYOUT',
    instead:
      'select-layout -t WINDOW (the server focuses WINDOW itself), then read the panes back; when psmux refused the string or a pane is more than a cell off, rebuild with split-window -p PERCENT',
  },
  {
    command: '#{pid} #{start_time} #{socket_path} as the server identity',
    instead: 'the namespace (-L, or the default one) is the identity: a psmux server is one session',
  },
  {
    command: 'kill-server',
    instead: 'kill-session per session: up to psmux 3.3.8 a bare kill-server ended every namespace',
  },
  {
    command: 'display-message -d 0',
    instead: 'a long explicit duration: older psmux read 0 as "never show"',
  },
];

/**
 * A PowerShell call of exactly `argv`: `& "C:\Program Files\nodejs\node.exe" "x.js" "init"`.
 * Double quotes, with PowerShell's escape character (a backtick) before each of `` ` $ " `` and
 * the typographic double quotes PowerShell also reads as quotes, so nothing is expanded; `&` makes
 * a quoted program name a call rather than a string. Double, not single, quotes: the text then
 * holds no `'`, and reaches psmux's hook and key-binding parser inside plain single quotes.
 */
export function powershellCall(argv: readonly string[]): string {
  const quoted = (argument: string): string => `"${argument.replace(/[`$"\u201C\u201D\u201E]/g, '`$&')}"`;
  return `& ${argv.map(quoted).join(' ')}`;
}

/**
 * A /bin/sh command of exactly `argv` that survives psmux on its way to `sh -c` (off Windows,
 * psmux runs run-shell with `sh -c`, commands.rs `build_run_shell_command`): the CLI joins a
 * bind-key's or set-hook's arguments with spaces, unquoted (main.rs), the server splits them
 * again on whitespace and quotes (`parse_command_line`, where a backslash outside quotes is an
 * ordinary character) and run-shell joins the words with one space. So each character sh would
 * read specially is escaped with a backslash, which psmux passes through; a word psmux would split
 * or unquote (whitespace, a quote, `;`, `#`, a leading `~`) cannot be passed and is refused.
 */
export function psmuxShWords(argv: readonly string[]): string {
  for (const word of argv)
    if (word === '' || /[\s'"#;]/.test(word) || word.startsWith('~'))
      throw new UsageError(
        `psmux cannot hand ${JSON.stringify(word)} to sh unchanged (psmux splits words on spaces and quotes)`,
        'install continuum and node under a path without spaces, quotes, # or ;',
      );
  return argv.map((word) => word.replace(/[^A-Za-z0-9_@%+=:,./-]/g, '\\$&')).join(' ');
}

/**
 * What psmux's run-shell is given to run `argv`: a PowerShell call on Windows (psmux runs
 * run-shell through PowerShell there), sh words elsewhere (`sh -c`).
 */
export function psmuxShellCommand(
  argv: readonly string[],
  platform: NodeJS.Platform = process.platform,
): string {
  return platform === 'win32' ? powershellCall(argv) : psmuxShWords(argv);
}

export const psmuxDialect: MuxDialect = {
  name: 'psmux',
  serverArguments(target: ServerTarget): string[] {
    switch (target.kind) {
      case 'socket-name':
        return ['-L', target.name];
      case 'socket-path':
        // psmux consumes -S and ignores it (tmux_args_reference.md): a save would silently come
        // from the default namespace instead of the one the user meant.
        throw new UsageError(
          `psmux has no socket paths (-S ${target.path} would be ignored)`,
          'name the namespace with -L NAME instead',
        );
      case 'inherited':
        // Inside a pane psmux finds its own server from $TMUX (a port); outside, the default
        // namespace. Nothing to add.
        return [];
    }
  },
  environmentFor(): Readonly<Record<string, string>> {
    // new-session from a hook or a pane is refused with exit 0 otherwise (main.rs). No
    // PSMUX_TARGET_SESSION: psmux overwrites it from $TMUX, then the newest session (main.rs, the
    // `-t` scan); only a `-t` naming the session routes a command.
    return { PSMUX_ALLOW_NESTING: '1' };
  },
  normaliseOutput: normalisePsmuxOutput,
  parseSessionList: (outcome) => parsePsmuxSessionList(outcome),
  // "no server running on session 'X'" also answers a -t naming a session that does not exist:
  // only a command without a session target reads it as "no server" (see PsmuxClient).
  isNoServer(outcome: InvocationOutcome): boolean {
    return outcome.code !== 0 && /no server running|error connecting to/i.test(outcome.stderr);
  },
  scriptDelivery: 'one-invocation-per-command',
  creation: 'asynchronous',
  layoutStrings: 'verify-or-split',
  substitutes: psmuxSubstitutes,
  displayMessageKeepsControlBytes: false,
  formatFieldsQuoted: false,
  identity: 'namespace',
  programs: 'reported-command',
  idleServerGraceMilliseconds: 60_000,
  runShellCommand: (argv) => psmuxShellCommand(argv),
  shellWords: (argv) => psmuxShellCommand(argv),
  // Not known to pass messages through strftime (docs/psmux.md): only `#` is doubled, as before.
  messageText: literalForFormat,
  sessionlessFormatCommand: (format) => ['display-message', '-p', format],
  listHooksCommand: (hookName) => ['show-hooks', '-g', hookName],
  integration: { hook: 'client-attached', autoRestore: 'daemon-lease' },
};
