import type { ServerTarget } from '../server/server-target.js';

export type DialectName = 'tmux' | 'psmux';

/** What a dialect needs to know of an invocation's result to read it. */
export interface InvocationOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The sessions a server (tmux) or a namespace (psmux) holds, or that none runs. */
export type SessionListing =
  | { readonly kind: 'no-server' }
  | {
      readonly kind: 'sessions';
      readonly names: readonly string[];
      /** psmux: sessions whose server did not answer `ls` in time (an empty line): they exist. */
      readonly unanswered?: number;
    };

/** How a command the dialect lacks, or must not be trusted with, is done instead. */
export interface Substitute {
  /** The tmux command (and flags) continuum would send. */
  readonly command: string;
  /** What the dialect does instead, in words for docs and `--dry-run`. */
  readonly instead: string;
}

/**
 * Everything in which one multiplexer differs from another, as data and pure functions: the
 * client (src/mux/mux-client.ts) and the layers above ask the dialect instead of testing for a
 * name, so no `if (psmux)` spreads across the code.
 */
export interface MuxDialect {
  readonly name: DialectName;
  /** The arguments before every command that address the server (tmux) or namespace (psmux). */
  serverArguments(target: ServerTarget): string[];
  /**
   * Variables to add to a command's environment. For psmux: PSMUX_ALLOW_NESTING lets a detached
   * `new-session` run from inside a pane (a hook, a key binding).
   */
  environmentFor(target: ServerTarget): Readonly<Record<string, string>>;
  /** Output as continuum's parsers expect it: no byte-order mark, `\n` line ends. */
  normaliseOutput(stdout: string): string;
  /** Reads `list-sessions -F '#{session_name}'`, telling "no server" apart from "no sessions". */
  parseSessionList(outcome: InvocationOutcome): SessionListing;
  /** Whether a failed (or, for psmux, an empty) result means that no server runs. */
  isNoServer(outcome: InvocationOutcome): boolean;
  /**
   * How a restore's commands reach the multiplexer: all in one `source-file` script (tmux), or
   * one invocation per command, each routed to its session's server (psmux).
   */
  readonly scriptDelivery: 'source-file' | 'one-invocation-per-command';
  /**
   * `synchronous`: a command that returns has done its work. `asynchronous`: new-session and
   * new-window return before the session or window exists, so the caller polls for it.
   */
  readonly creation: 'synchronous' | 'asynchronous';
  /**
   * `trusted`: `select-layout LAYOUT` applies a valid layout string exactly (tmux).
   * `verify-or-split`: it may approximate or silently ignore it; read `#{window_layout}` back and
   * rebuild with percentage splits when the geometry differs (psmux).
   */
  readonly layoutStrings: 'trusted' | 'verify-or-split';
  /** Commands continuum sends that this dialect lacks or must not be given, and what replaces them. */
  readonly substitutes: readonly Substitute[];
  /**
   * Whether a field of `display-message -p` reaches continuum byte for byte. psmux escapes control
   * bytes there (ESC as `\033`, others as octal), which breaks continuum's record markers; it
   * hands `list-*` formats back unchanged.
   */
  readonly displayMessageKeepsControlBytes: boolean;
  /**
   * Whether record fields are asked for as `#{q:NAME}` and decoded (src/mux/quoted-field.ts), so
   * that they read the same whether this multiplexer prints control bytes raw or escaped.
   */
  readonly formatFieldsQuoted: boolean;
  /**
   * What names a server across restarts, and so whose saves are whose: tmux's socket (its path, or
   * its name in tmux's per-user directory); psmux's `-L` namespace, since every psmux session is a
   * server process of its own and `-S` is ignored (docs/psmux.md).
   */
  readonly identity: 'socket' | 'namespace';
  /**
   * Where a pane's program comes from. `process-table`: the pane's terminal foreground process and
   * its whole argument list, read from procfs or ps (tmux). `reported-command`: what the
   * multiplexer reports, `#{pane_start_command}` when set, else `#{pane_current_command}` (psmux:
   * Windows has no terminal foreground process group, and psmux reports an executable name only).
   */
  readonly programs: 'process-table' | 'reported-command';
  /**
   * How long the daemon keeps watching after it finds no server. tmux: 0, the server is gone for
   * good (a new one gets a new daemon from its hooks). psmux: a namespace with no session may get
   * one again in a moment (each session is a server, closing the last one and opening another is
   * ordinary), so the daemon waits before it exits.
   */
  readonly idleServerGraceMilliseconds: number;
  /**
   * The text `run-shell` needs to run exactly `argv`. tmux: /bin/sh words, with `#` doubled for
   * run-shell's format expansion. psmux: a PowerShell call (`& 'program' 'argument' …`), since
   * psmux runs run-shell commands through PowerShell (docs/psmux.md).
   */
  runShellCommand(argv: readonly string[]): string;
  /**
   * The command that prints `format` expanded against the server and the global options when
   * `display-message -p` cannot: before tmux 3.2 that needs a current session and fails with "no
   * current target" while tmux.conf runs (no session exists yet). tmux: `list-commands -F FORMAT
   * display-message`, which has no target; only after such a failure, since list-commands would
   * start a server where none runs. psmux: `display-message -p`.
   */
  sessionlessFormatCommand(format: string): string[];
  /**
   * The command that prints one hook's entries, `NAME[N] command` a line. tmux: `show-options -gH`,
   * which prints the same as `show-hooks -g` but, unlike it before 3.2, needs no current session
   * (tmux 3.1c's show-hooks fails with "no current target" while tmux.conf runs). psmux: show-hooks.
   */
  listHooksCommand(hookName: string): string[];
  /** The same words without run-shell's format escaping: for `display-popup`, which expands nothing. */
  shellWords(argv: readonly string[]): string;
  /**
   * The argument `display-message` shows as exactly `text`. tmux: `#` doubled and `%` doubled,
   * since display-message passes its format through strftime(3) before it expands `#{}`.
   */
  messageText(text: string): string;
  /**
   * How the daemon is kept running and auto-restore is made to happen once. tmux:
   * `session-created` runs `continuum hook session-created`, which claims the server's
   * auto-restore with `set-option -go` (atomic in one server) and starts the daemon. psmux: every
   * session is its own server with its own options, so no option can be a namespace-wide claim;
   * `client-attached` (every attach, and init at every server start) runs `continuum daemon start`,
   * exactly one daemon holds the namespace's lease, and that daemon auto-restores once as it starts.
   */
  readonly integration:
    | { readonly hook: 'session-created'; readonly autoRestore: 'claim-option' }
    | { readonly hook: 'client-attached'; readonly autoRestore: 'daemon-lease' };
}
