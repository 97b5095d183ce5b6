import { execFile } from 'node:child_process';
import { MuxCommandError, MuxMissingError, NoServerError } from '../errors.js';
import type { InvocationOutcome } from './dialect.js';
import type { MuxClient, ScriptResult } from './mux-client.js';
import { type PollClock, pollUntil, realPollClock } from './poll.js';
import {
  parsePsmuxSessionList,
  psmuxDialect,
  psmuxSessionTarget,
  sessionOfTarget,
  targetOf,
} from './psmux-dialect.js';
import { describeServerTarget, type ServerTarget } from './server-target.js';

/** One finished process, or why it could not start. */
export interface ExecutionOutcome extends InvocationOutcome {
  readonly spawnError: NodeJS.ErrnoException | undefined;
}

/** Starts the multiplexer: injected so the psmux client can be tested where psmux cannot run. */
export type Execute = (
  binary: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  timeoutMilliseconds: number,
) => Promise<ExecutionOutcome>;

export const executeWithDeadline: Execute = (binary, args, environment, timeoutMilliseconds) =>
  new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      {
        env: environment,
        timeout: timeoutMilliseconds,
        windowsHide: true,
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          resolve({ stdout, stderr, code: null, spawnError: error as NodeJS.ErrnoException });
          return;
        }
        const killed = error && (error as { killed?: boolean }).killed;
        const code = error ? (typeof error.code === 'number' ? error.code : 128) : 0;
        resolve({
          stdout,
          stderr: killed ? `${stderr}timed out after ${timeoutMilliseconds} ms` : stderr,
          code,
          spawnError: undefined,
        });
      },
    );
  });

export interface PsmuxClientOptions {
  readonly binary?: string;
  readonly server: ServerTarget;
  readonly environment?: NodeJS.ProcessEnv;
  readonly execute?: Execute;
  readonly clock?: PollClock;
  /** Deadline of one psmux invocation (default 15 s). */
  readonly timeoutMilliseconds?: number;
  /** How long to wait for a new session to exist (default 10 s). */
  readonly creationDeadlineMilliseconds?: number;
}

/**
 * The MuxClient for psmux: the same interface as TmuxClient, with every psmux difference taken
 * from the dialect (docs/psmux.md). Not wired into the CLI yet (see the report of the psmux
 * branch): `createContext` will pick it when `selectMux` answers psmux.
 */
export class PsmuxClient implements MuxClient {
  readonly binary: string;
  readonly server: ServerTarget;
  #invocationCount = 0;
  readonly #environment: NodeJS.ProcessEnv;
  readonly #execute: Execute;
  readonly #clock: PollClock;
  readonly #timeout: number;
  readonly #creationDeadline: number;

  constructor(options: PsmuxClientOptions) {
    this.binary = options.binary ?? 'psmux';
    this.server = options.server;
    this.#environment = options.environment ?? process.env;
    this.#execute = options.execute ?? executeWithDeadline;
    this.#clock = options.clock ?? realPollClock;
    this.#timeout = options.timeoutMilliseconds ?? 15_000;
    this.#creationDeadline = options.creationDeadlineMilliseconds ?? 10_000;
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
   * A restore script, one command per invocation, each routed to the session it targets. A failed
   * command is collected, not thrown, as `source-file` does for tmux.
   */
  async runScript(commands: readonly (readonly string[])[]): Promise<ScriptResult> {
    let stdout = '';
    const errors: string[] = [];
    for (const [position, command] of commands.entries()) {
      const outcome = await this.#runOne(command);
      stdout += outcome.stdout;
      if (outcome.code !== 0)
        errors.push(`line ${position + 1}: ${outcome.stderr.trim() || `exit code ${outcome.code}`}`);
    }
    return { stdout, errors };
  }

  /** The session names of the namespace; NoServerError when `ls` finds none (exit 0, no output). */
  async sessionNames(): Promise<string[]> {
    const outcome = await this.#invoke(['list-sessions', '-F', '#{session_name}'], undefined);
    const namespace = this.server.kind === 'socket-name' ? this.server.name : undefined;
    const listing = parsePsmuxSessionList(outcome, namespace);
    if (listing.kind === 'no-server') throw this.#noServer();
    return [...listing.names];
  }

  async #runOne(command: readonly string[]): Promise<InvocationOutcome> {
    const [name] = command;
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
        await this.#invoke(['kill-session', '-t', psmuxSessionTarget(session)], session);
      }
      return { code: 0, stdout: '', stderr: '' };
    }
    const outcome = await this.#invoke(command, sessionOfTarget(targetOf(command) ?? ''));
    if (outcome.code === 0 && (name === 'new-session' || name === 'new')) await this.#awaitSession(command);
    return outcome;
  }

  /** `list-panes -a` as one `list-panes -s` per session: every psmux session is its own server. */
  async #listPanesEverywhere(command: readonly string[]): Promise<InvocationOutcome> {
    const perSession = command.filter((argument) => argument !== '-a');
    let stdout = '';
    for (const session of await this.sessionNames()) {
      const outcome = await this.#invoke(
        [perSession[0]!, '-s', '-t', psmuxSessionTarget(session), ...perSession.slice(1)],
        session,
      );
      // A session that ended between `ls` and its question is no error: it is simply gone.
      if (outcome.code === 0) stdout += outcome.stdout;
    }
    return { code: 0, stdout, stderr: '' };
  }

  /** new-session returns before the session's server answers: wait for it, with a deadline. */
  async #awaitSession(command: readonly string[]): Promise<void> {
    const position = command.indexOf('-s');
    const session = position === -1 ? undefined : command[position + 1];
    if (session === undefined) return;
    const result = await pollUntil(
      async () => {
        const outcome = await this.#invoke(['has-session', '-t', psmuxSessionTarget(session)], session);
        return outcome.code === 0 ? true : undefined;
      },
      { deadlineMilliseconds: this.#creationDeadline, intervalMilliseconds: 100 },
      this.#clock,
    );
    if (result.result === 'timed-out')
      throw new MuxCommandError(
        command,
        0,
        `session ${session} did not appear within ${this.#creationDeadline} ms`,
      );
  }

  async #invoke(command: readonly string[], session: string | undefined): Promise<InvocationOutcome> {
    this.#invocationCount += 1;
    const args = [...psmuxDialect.serverArguments(this.server), ...command];
    const environment = { ...this.#environment, ...psmuxDialect.environmentFor(this.server, session) };
    const outcome = await this.#execute(this.binary, args, environment, this.#timeout);
    if (outcome.spawnError?.code === 'ENOENT') throw new MuxMissingError(this.binary);
    if (outcome.spawnError?.code === 'EACCES' || outcome.spawnError?.code === 'EISDIR')
      throw new MuxMissingError(this.binary, 'is not an executable program');
    if (outcome.spawnError) throw new MuxCommandError(command, null, outcome.spawnError.message);
    if (session === undefined && psmuxDialect.isNoServer(outcome)) throw this.#noServer();
    return {
      code: outcome.code,
      stdout: psmuxDialect.normaliseOutput(outcome.stdout),
      stderr: psmuxDialect.normaliseOutput(outcome.stderr),
    };
  }

  #noServer(): NoServerError {
    const start = [this.binary, ...psmuxDialect.serverArguments(this.server), 'new-session', '-d'].join(' ');
    return new NoServerError(this.describeServer(), `start one with \`${start}\`, then run this again`);
  }
}
