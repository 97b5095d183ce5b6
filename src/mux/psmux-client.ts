import { execFile } from 'node:child_process';
import { MuxCommandError, MuxMissingError, MuxTimeoutError, NoServerError } from '../errors.js';
import type { InvocationOutcome, MuxDialect } from './dialect.js';
import { parseLayout } from './layout.js';
import { layoutSplits, splitCommand } from './layout-splits.js';
import { type MuxClient, muxTimeoutFrom, type ScriptResult } from './mux-client.js';
import { type PollClock, pollUntil, realPollClock } from './poll.js';
import {
  parsePsmuxSessionList,
  psmuxDialect,
  psmuxSessionTarget,
  sessionOfTarget,
  targetOf,
} from './psmux-dialect.js';
import {
  largestBoxDifference,
  layoutBoxes,
  layoutPresets,
  paneBoxFormat,
  parsePaneBoxes,
  splitRequest,
  windowOfPaneTarget,
} from './psmux-layout.js';
import { describeServerTarget, type ServerTarget } from './server-target.js';

/** One finished process, or why it could not start. */
export interface ExecutionOutcome extends InvocationOutcome {
  readonly spawnError: NodeJS.ErrnoException | undefined;
  /** The deadline passed and the process was killed. */
  readonly timedOut?: boolean;
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
        const killed = Boolean(error && (error as { killed?: boolean }).killed);
        const code = error ? (typeof error.code === 'number' ? error.code : 128) : 0;
        resolve({
          stdout,
          stderr: killed ? `${stderr}timed out after ${timeoutMilliseconds} ms` : stderr,
          code,
          spawnError: undefined,
          timedOut: killed,
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
    this.#timeout = options.timeoutMilliseconds ?? muxTimeoutFrom(this.#environment);
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
    // The panes each window's splits asked for, so a refused layout can be rebuilt by percentage.
    const splitsByWindow = new Map<string, (readonly string[])[]>();
    for (const [position, command] of commands.entries()) {
      const [name] = command;
      const target = targetOf(command);
      if ((name === 'split-window' || name === 'splitw') && target !== undefined) {
        const window = windowOfPaneTarget(target);
        splitsByWindow.set(window, [...(splitsByWindow.get(window) ?? []), command]);
      }
      const outcome =
        (name === 'select-layout' || name === 'selectl') && target !== undefined
          ? await this.#selectLayout(target, command.at(-1) ?? '', splitsByWindow.get(target) ?? [])
          : await this.#runOne(command);
      stdout += outcome.stdout;
      if (outcome.code !== 0)
        errors.push(`line ${position + 1}: ${outcome.stderr.trim() || `exit code ${outcome.code}`}`);
    }
    return { stdout, errors };
  }

  /**
   * Global options through `show-options -gv`, routed to one session's server: psmux's
   * `display-message -p` escapes control bytes (docs/psmux.md). Every session's server reads the
   * same config, so any session answers; an option it refuses (unset) reads as empty.
   */
  readServerFormat(format: string): Promise<string> {
    return this.run(['display-message', '-p', format]);
  }

  async readGlobalOptions(names: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const values = new Map<string, string>();
    if (names.length === 0) return values;
    const [session] = await this.sessionNames();
    for (const name of names) {
      const command = [
        'show-options',
        '-gv',
        ...(session === undefined ? [] : ['-t', psmuxSessionTarget(session)]),
        name,
      ];
      const outcome = await this.#invoke(command, session);
      values.set(name, outcome.code === 0 ? outcome.stdout.replace(/\n$/, '') : '');
    }
    return values;
  }

  /**
   * `select-layout` the psmux way (docs/psmux.md, Layouts): it acts on the active window, so the
   * window is selected first; a preset is trusted; a layout string is verified by reading the panes
   * back, and when psmux refused it (it silently falls back to even-horizontal) or placed a pane
   * more than a cell off, the window's panes are made again with percentage splits. The panes the
   * restore split off are killed before anything runs in them (programs and titles come later in
   * the plan) and created again with the same directory and command.
   */
  async #selectLayout(
    window: string,
    layout: string,
    splits: readonly (readonly string[])[],
  ): Promise<InvocationOutcome> {
    const selected = await this.#runOne(['select-window', '-t', window]);
    if (selected.code !== 0) return selected;
    const applied = await this.#runOne(['select-layout', '-t', window, layout]);
    if (layoutPresets.has(layout)) return applied;
    const parsed = parseLayout(layout);
    if (!parsed.ok) return { code: 1, stdout: '', stderr: `layout of ${window}: ${parsed.problem}` };
    const wanted = layoutBoxes(parsed.root);
    const panes = await this.#paneBoxes(window);
    if (panes === undefined) return { code: 1, stdout: '', stderr: `cannot list the panes of ${window}` };
    if (
      largestBoxDifference(
        wanted,
        panes.map((pane) => pane.box),
      ) <= 1
    )
      return { code: 0, stdout: '', stderr: '' };
    if (panes.length !== wanted.length || splits.length !== wanted.length - 1)
      return {
        code: 1,
        stdout: '',
        stderr: `layout of ${window}: ${panes.length} panes where the layout has ${wanted.length}; left as psmux arranged them`,
      };
    for (const pane of panes.slice(1)) await this.#runOne(['kill-pane', '-t', pane.id]);
    const paneIds = [panes[0]!.id];
    const plan = layoutSplits(parsed.root);
    for (const split of plan.splits) {
      const request = splitRequest(splits[split.newPane - 1] ?? []);
      const outcome = await this.#runOne([
        ...splitCommand(paneIds[split.pane]!, split, request.cwd),
        ...request.launch,
      ]);
      if (outcome.code !== 0) return outcome;
      paneIds[split.newPane] = outcome.stdout.trim();
    }
    const rebuilt = await this.#paneBoxes(window);
    const difference = largestBoxDifference(wanted, rebuilt?.map((pane) => pane.box) ?? []);
    if (difference <= 1) return { code: 0, stdout: '', stderr: '' };
    return {
      code: 1,
      stdout: '',
      stderr: `layout of ${window}: the percentage splits placed a pane ${difference} cells off`,
    };
  }

  async #paneBoxes(window: string): Promise<ReturnType<typeof parsePaneBoxes> | undefined> {
    const outcome = await this.#runOne(['list-panes', '-t', window, '-F', paneBoxFormat]);
    return outcome.code === 0 ? parsePaneBoxes(outcome.stdout) : undefined;
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
    if (outcome.code === 0 && (name === 'new-window' || name === 'neww')) await this.#awaitWindow(command);
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
    const given = position === -1 ? undefined : command[position + 1];
    if (given === undefined) return;
    // The restore doubles `#` for format expansion (literalForFormat); the session holds one.
    const session = given.replace(/#+/g, (run, offset: number, text: string) =>
      text[offset + run.length] === '[' ? run : run.slice(run.length / 2),
    );
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

  /**
   * new-window returns before the window exists (restore.ps1 sleeps 500 ms after it): wait until
   * the window at the index asked for is listed, with the creation deadline.
   */
  async #awaitWindow(command: readonly string[]): Promise<void> {
    const target = targetOf(command);
    const match = target === undefined ? null : target.match(/^(.*):(\d+)$/);
    if (!match) return;
    const [, sessionPart = '', index = ''] = match;
    const session = sessionOfTarget(sessionPart);
    if (session === undefined) return;
    const result = await pollUntil(
      async () => {
        const outcome = await this.#invoke(
          ['list-windows', '-t', psmuxSessionTarget(session), '-F', '#{window_index}'],
          session,
        );
        return outcome.code === 0 && outcome.stdout.split('\n').includes(index) ? true : undefined;
      },
      { deadlineMilliseconds: this.#creationDeadline, intervalMilliseconds: 100 },
      this.#clock,
    );
    if (result.result === 'timed-out')
      throw new MuxCommandError(
        command,
        0,
        `window ${target} did not appear within ${this.#creationDeadline} ms`,
      );
  }

  async #invoke(command: readonly string[], session: string | undefined): Promise<InvocationOutcome> {
    this.#invocationCount += 1;
    const args = [...psmuxDialect.serverArguments(this.server), ...command];
    const environment = { ...this.#environment, ...psmuxDialect.environmentFor(this.server, session) };
    const outcome = await this.#execute(this.binary, args, environment, this.#timeout);
    if (outcome.timedOut) throw new MuxTimeoutError(this.describeServer(), command, this.#timeout);
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
