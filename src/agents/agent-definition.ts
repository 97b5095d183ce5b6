/**
 * What continuum knows about one coding agent: how to recognise its process, how to read the
 * arguments it was started with, where its sessions are and how to resume one. One module per
 * agent describes it (docs/agents.md cites the sources of each fact).
 */

/** A session the agent wrote to disk, as read from its own files. */
export interface SessionCandidate {
  readonly id: string;
  /** The file (or directory) that must still exist for the session to be resumed. */
  readonly file: string;
  /** The directory the agent recorded for the session, when its format has one. */
  readonly cwd: string | undefined;
  /** When the session began (its first record), in milliseconds since the epoch. */
  readonly createdAt: number;
  /** When it last changed (the file's modification time). */
  readonly updatedAt: number;
  /** Processes the agent itself recorded as running this session (a lock or pid file, an open file). */
  readonly ownerPids: readonly number[];
}

/** Where to look, for one agent process. */
export interface SessionSearch {
  /** The user's home directory. */
  readonly home: string;
  /** The agent's own variables, from its process environment. */
  readonly environment: Readonly<Record<string, string>>;
  /** The directory the agent runs in. */
  readonly cwd: string;
  /** The agent's process and its descendants (the npm wrapper runs the native program as a child). */
  readonly pids: readonly number[];
  /** Files the agent's processes hold open, by path. */
  readonly openFiles: ReadonlySet<string>;
  /** The time the process started, in milliseconds since the epoch. */
  readonly startedAt: number;
}

export interface ArgumentRules {
  /** Flags that take a separate value (`--model opus`); `--flag=value` needs no entry. */
  readonly valueFlags: ReadonlySet<string>;
  /** Flags of a one-shot prompt or a non-interactive mode: dropped with their value. */
  readonly oneShotFlags: ReadonlySet<string>;
  /** Flags that choose the session: removed, since the restore names the session itself. */
  readonly sessionFlags: ReadonlySet<string>;
  /** Of those, the flags whose value is the id of the session the process runs. */
  readonly sessionIdFlags: ReadonlySet<string>;
  /** Flags whose value is optional: it is taken only when it looks like a session id. */
  readonly optionalValueFlags: ReadonlySet<string>;
  /** A positional word is an initial prompt (dropped), not a file or a subcommand. */
  readonly positionalPrompt: boolean;
  /** Subcommands that run one request and exit (`codex exec`): dropped with their words. */
  readonly oneShotSubcommands: ReadonlySet<string>;
  /** The subcommand that resumes (`codex resume ID`): its next word is the session id. */
  readonly resumeSubcommand: string | undefined;
  /** Subcommands that are no conversation at all (`codex login`): such a process is no agent session. */
  readonly otherSubcommands: ReadonlySet<string>;
}

export interface AgentDefinition {
  /** The name in `@continuum-agents` and in saves. */
  readonly name: string;
  /** The product's name, for people. */
  readonly title: string;
  /** Executable names (native installer, Homebrew, the npm bin link, psmux's reported name). */
  readonly executableNames: readonly string[];
  /** The npm package's script run by node (`…/@openai/codex/bin/codex.js`), as a path suffix. */
  readonly scriptSuffixes: readonly string[];
  /** Variables of the agent's own environment that move its files (its configuration directory). */
  readonly environmentNames: readonly string[];
  /** The agent writes its session file as it starts, so a process without one cannot exist. */
  readonly createsSessionAtStart: boolean;
  /** What a session id looks like (an optional flag value is taken only when it does). */
  readonly sessionIdPattern: RegExp;
  readonly argumentRules: ArgumentRules;
  /** The agent's sessions that may belong to a process in `search.cwd`. */
  findSessions(search: SessionSearch): Promise<readonly SessionCandidate[]>;
  /** The arguments that resume a session, placed around the user's own. */
  resumeArguments(sessionId: string, sessionFile: string, userArguments: readonly string[]): string[];
  /** The arguments to suggest when the session is not known (the agent's own chooser). */
  readonly chooserArguments: readonly string[];
}

export function flagSet(...flags: string[]): ReadonlySet<string> {
  return new Set(flags);
}
