import { MuxCommandError, type NoServerError, UsageError } from '../errors.js';
import type { ServerLifetime } from '../server/server-lifetime.js';
import { describeServerTarget, type ServerTarget } from '../server/server-target.js';
import type { ApplyOptions, RestoreAction } from './actions.js';
import type { InvocationOutcome, MuxDialect } from './dialect.js';
import type { ParsedRecord } from './formats.js';
import { type MuxClient, muxTimeoutFrom, type ScriptResult } from './mux-client.js';
import { type PollClock, realPollClock } from './poll.js';
import { noServerError, type ProcessRunner, runWithDeadline, unansweredError } from './process-runner.js';
import { awaitSession, type PsmuxSteps, type RoutedOutcome, runPsmuxSteps } from './psmux-creation.js';
import {
  isUnqualifiedId,
  type NamespaceSession,
  namespaceSessionFormat,
  oldestSession,
  parseNamespaceSessionLine,
  parseNamespaceSessions,
  psmuxDialect,
  psmuxSessionTarget,
  sessionOfTarget,
  targetOf,
} from './psmux-dialect.js';
import { renderPsmuxSteps } from './psmux-render.js';
import { type RecordQuery, readRecords, readServerLifetime } from './record-query.js';
import { literalForFormat } from './script.js';

export interface PsmuxClientOptions {
  readonly binary?: string;
  readonly server: ServerTarget;
  readonly environment?: NodeJS.ProcessEnv;
  /** Starts psmux; default the one deadline-and-kill rule (src/mux/process-runner.ts). */
  readonly execute?: ProcessRunner;
  readonly clock?: PollClock;
  /** Deadline of one psmux invocation: default `CONTINUUM_MUX_TIMEOUT_MS`, else 10 s, as for tmux. */
  readonly timeoutMilliseconds?: number;
  /** How long to wait for a new session to exist (default 10 s). */
  readonly creationDeadlineMilliseconds?: number;
}

/**
 * The MuxClient for psmux: the same interface as TmuxClient, with every psmux difference taken
 * from the dialect (docs/psmux.md). `createContext` picks it when `selectMux` answers psmux.
 */
export class PsmuxClient implements MuxClient {
  readonly binary: string;
  readonly server: ServerTarget;
  readonly dialect: MuxDialect = psmuxDialect;
  #invocationCount = 0;
  readonly #environment: NodeJS.ProcessEnv;
  readonly #execute: ProcessRunner;
  readonly #clock: PollClock;
  readonly #timeout: number;
  readonly #steps: PsmuxSteps;

  constructor(options: PsmuxClientOptions) {
    this.binary = options.binary ?? 'psmux';
    this.server = options.server;
    this.#environment = options.environment ?? process.env;
    this.#execute = options.execute ?? runWithDeadline;
    this.#clock = options.clock ?? realPollClock;
    this.#timeout = options.timeoutMilliseconds ?? muxTimeoutFrom(this.#environment);
    // What psmux-creation.ts runs through: this client's routed invocations.
    this.#steps = {
      invoke: (command, session) => this.#invoke(command, session),
      runOne: (command) => this.#runOne(command),
      clock: this.#clock,
      creationDeadline: options.creationDeadlineMilliseconds ?? 10_000,
    };
  }

  get invocationCount(): number {
    return this.#invocationCount;
  }

  describeServer(): string {
    return this.server.kind === 'socket-name'
      ? `psmux namespace -L ${this.server.name}`
      : `the default psmux namespace (${describeServerTarget(this.server)})`;
  }

  async run(command: readonly string[]): Promise<string> {
    const outcome = await this.#runOne(command);
    if (outcome.code !== 0) throw new MuxCommandError(command, outcome.code, outcome.stderr);
    return outcome.stdout;
  }

  /**
   * psmux's `;` chaining shares one global `-t` scan across the chain, so each command is its
   * own invocation; outputs are joined in order, as tmux prints them.
   */
  async runCommands(commands: readonly (readonly string[])[]): Promise<string> {
    let output = '';
    for (const command of commands) output += await this.run(command);
    return output;
  }

  /**
   * Commands one per invocation, each routed to the session it targets. A failed command is
   * collected, not thrown, as `source-file` does for tmux.
   */
  runScript(commands: readonly (readonly string[])[]): Promise<ScriptResult> {
    return runPsmuxSteps(
      this.#steps,
      commands.map((command) => ({ kind: 'command', command })),
    );
  }

  /** A restore's actions as psmux's own steps (src/mux/psmux-render.ts): waits, moves, layouts. */
  applyActions(actions: readonly RestoreAction[], options: ApplyOptions): Promise<ScriptResult> {
    return runPsmuxSteps(this.#steps, renderPsmuxSteps(actions, options));
  }

  /** `format` expanded by the namespace's oldest session. For record-query.ts only. */
  readServerFormat(format: string): Promise<string> {
    return this.run(['display-message', '-p', format]);
  }

  readRecords(query: RecordQuery, warn?: (line: string) => void): Promise<ParsedRecord[]> {
    return readRecords(this, query, warn);
  }

  readServerLifetime(): Promise<ServerLifetime> {
    return readServerLifetime(this);
  }

  /**
   * Global options through `show-options -gv`, routed to one session's server: psmux's
   * `display-message -p` escapes control bytes (docs/psmux.md). Every session's server reads the
   * same config, so the namespace's oldest session answers; an option it refuses (unset) reads as
   * empty.
   */
  async readGlobalOptions(names: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const values = new Map<string, string>();
    if (names.length === 0) return values;
    const session = oldestSession(await this.namespaceSessions());
    for (const name of names) {
      const command = [
        'show-options',
        '-gv',
        ...(session ? ['-t', psmuxSessionTarget(session.name)] : []),
        name,
      ];
      const outcome = await this.#invoke(command, session?.name);
      values.set(name, outcome.code === 0 ? outcome.stdout.replace(/\n$/, '') : '');
    }
    return values;
  }

  /** The session names of the namespace; NoServerError when `ls` finds none (exit 0, no output). */
  async sessionNames(): Promise<string[]> {
    return (await this.namespaceSessions()).map((session) => session.name);
  }

  /**
   * The sessions of the namespace with their servers' pid and start. A session whose server did
   * not answer `ls` in time (an empty line) is asked again a few times; one that stays silent
   * fails the call: leaving it out would save, restore or watch a namespace without it.
   */
  async namespaceSessions(): Promise<NamespaceSession[]> {
    const namespace = this.server.kind === 'socket-name' ? this.server.name : undefined;
    let unanswered = 0;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      if (attempt > 0) await this.#clock.sleep(250);
      const outcome = await this.#invoke(['list-sessions', '-F', namespaceSessionFormat], undefined);
      const listing = parseNamespaceSessions(outcome, namespace, parseNamespaceSessionLine);
      if (listing.kind === 'no-server') throw this.#noServer();
      if (listing.unanswered === 0) return [...listing.sessions];
      unanswered = listing.unanswered;
    }
    throw new MuxCommandError(
      ['list-sessions'],
      0,
      `${unanswered} session(s) of ${this.describeServer()} did not answer psmux's ls within 500 ms`,
    );
  }

  async #runOne(command: readonly string[]): Promise<RoutedOutcome> {
    const [name] = command;
    const target = targetOf(command);
    if (target !== undefined && isUnqualifiedId(target))
      throw new UsageError(
        `psmux: \`${command.slice(0, 3).join(' ')}\` names no session (pane and window ids repeat in every psmux session)`,
        'name the target as SESSION:%N',
      );
    if ((name === 'set-option' || name === 'set') && command.some((flag) => /^-[a-zA-Z]*o/.test(flag)))
      throw new UsageError(
        'psmux 3.3.8 ignores set-option -o (it sets nothing and exits 0)',
        'claim once-only work with a lease instead',
      );
    if ((name === 'list-panes' || name === 'lsp') && command.includes('-a'))
      return this.#listPanesEverywhere(command);
    if (name === 'list-sessions' || name === 'ls') {
      // Exit 0 and nothing printed: no server in the namespace (docs/psmux.md).
      const outcome = await this.#invoke(command, undefined);
      if (outcome.code === 0 && outcome.stdout.trim() === '') throw this.#noServer();
      return outcome;
    }
    // The CLI drops -F for list-clients (tmux_args_reference.md): a record continuum cannot read.
    if (name === 'list-clients' || name === 'lsc') return { code: 0, stdout: '', stderr: '' };
    if (name === 'kill-server') {
      // Up to psmux 3.3.8 a bare kill-server ended every namespace: end ours, session by session.
      for (const session of await this.sessionNames().catch(() => [])) {
        // `kill-session -t NAME:` fails on psmux (seen on the real server); `=NAME` is exact.
        await this.#invoke(['kill-session', '-t', `=${session}`], session);
      }
      return { code: 0, stdout: '', stderr: '' };
    }
    const session = target === undefined ? undefined : sessionOfTarget(target);
    if (session === undefined && name !== undefined && !unroutedCommands.has(name))
      return this.#runWithoutTarget(command);
    const outcome = await this.#invoke(command, session);
    const named = command.indexOf('-s');
    if (outcome.code === 0 && (name === 'new-session' || name === 'new') && named !== -1)
      await awaitSession(this.#steps, command[named + 1] ?? '', command);
    return outcome;
  }

  /**
   * A command whose `-t` names no session. psmux would send it to the `$TMUX` session or the
   * newest one (main.rs), which is no choice continuum can make. A setter of server state (an
   * option, a hook, a key) goes to EVERY session's server, since each keeps its own; anything
   * else asks the namespace's oldest session, whose answers (`#{pid}`, `#{start_time}`) stay
   * put while it lives.
   */
  async #runWithoutTarget(command: readonly string[]): Promise<InvocationOutcome> {
    const sessions = await this.namespaceSessions();
    const [name = ''] = command;
    const chosen = settingCommands.has(name) ? sessions : [oldestSession(sessions)!];
    let stdout = '';
    for (const session of chosen) {
      const outcome = await this.#invoke(['-t', psmuxSessionTarget(session.name), ...command], session.name);
      if (outcome.code !== 0) return outcome;
      stdout += outcome.stdout;
    }
    return { code: 0, stdout, stderr: '' };
  }

  /**
   * `list-panes -a` as one `list-panes -s` per session: every psmux session is its own server.
   * Ids repeat across sessions (`%1` in each, `$0` everywhere), so the format is given each
   * session's own: `$K` for the session, `NAME:@N` and `NAME:.%N` for windows and panes, the ids
   * psmux routes. `#{pid}` and `#{start_time}` are the oldest session's, the namespace's lifetime.
   */
  async #listPanesEverywhere(command: readonly string[]): Promise<InvocationOutcome> {
    const perSession = command.filter((argument) => argument !== '-a');
    const formatPosition = perSession.indexOf('-F');
    const sessions = await this.namespaceSessions();
    const oldest = oldestSession(sessions);
    let stdout = '';
    for (const [position, session] of sessions.entries()) {
      const format = perSession[formatPosition + 1];
      const own = [...perSession];
      if (formatPosition !== -1 && format !== undefined)
        own[formatPosition + 1] = namespaceFormat(format, session.name, position, oldest ?? session);
      const outcome = await this.#invoke(
        [own[0]!, '-s', '-t', psmuxSessionTarget(session.name), ...own.slice(1)],
        session.name,
      );
      // A session that ended between `ls` and its question is no error: it is simply gone.
      if (outcome.code === 0) stdout += outcome.stdout;
    }
    return { code: 0, stdout, stderr: '' };
  }

  async #invoke(command: readonly string[], session: string | undefined): Promise<InvocationOutcome> {
    this.#invocationCount += 1;
    const args = [...psmuxDialect.serverArguments(this.server), ...command];
    const inherited = { ...this.#environment };
    // psmux overwrites these from $TMUX or the newest session; a stale one must not mislead an
    // older psmux either.
    delete inherited.PSMUX_TARGET_SESSION;
    delete inherited.PSMUX_TARGET_FULL;
    const environment = { ...inherited, ...psmuxDialect.environmentFor(this.server) };
    const outcome = await this.#execute(this.binary, args, environment, this.#timeout);
    const context = {
      binary: this.binary,
      server: this.describeServer(),
      args: command,
      timeoutMilliseconds: this.#timeout,
    };
    const unanswered = unansweredError(outcome, context);
    if (unanswered) throw unanswered;
    if (session === undefined && psmuxDialect.isNoServer(outcome)) throw this.#noServer();
    return {
      code: outcome.code,
      stdout: psmuxDialect.normaliseOutput(outcome.stdout),
      stderr: psmuxDialect.normaliseOutput(outcome.stderr),
    };
  }

  #noServer(): NoServerError {
    return noServerError(this.binary, psmuxDialect.serverArguments(this.server), this.describeServer());
  }
}

/** Commands that need no session: they list or make sessions, or address one by -s. */
const unroutedCommands: ReadonlySet<string> = new Set([
  'new-session',
  'new',
  'has-session',
  'has',
  'list-sessions',
  'ls',
  '-V',
]);

/** Commands that change a server's own state: sent to every session's server of the namespace. */
const settingCommands: ReadonlySet<string> = new Set([
  'set-option',
  'set',
  'set-window-option',
  'setw',
  'set-hook',
  'bind-key',
  'bind',
  'unbind-key',
  'unbind',
  'set-environment',
  'setenv',
]);

/**
 * Pure: a `list-panes` format for one session of a namespace: ids made unique and routable
 * (`$K`, `NAME:@N`, `NAME:.%N`), and the namespace's lifetime (the oldest session's pid and start)
 * in place of the answering server's.
 */
export function namespaceFormat(
  format: string,
  session: string,
  position: number,
  oldest: { readonly pid: number; readonly startTime: number },
): string {
  const name = literalForFormat(session);
  return format
    .replaceAll('#{session_id}', `$${position}`)
    .replaceAll('#{window_id}', `${name}:#{window_id}`)
    .replaceAll('#{pane_id}', `${name}:.#{pane_id}`)
    .replaceAll('#{pid}', String(oldest.pid))
    .replaceAll('#{start_time}', String(oldest.startTime));
}
