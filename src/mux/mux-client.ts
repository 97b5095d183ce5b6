import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MuxCommandError, MuxMissingError, UsageError } from '../errors.js';
import type { ServerLifetime } from '../server/server-lifetime.js';
import { describeServerTarget, type ServerTarget, serverArguments } from '../server/server-target.js';
import { readSetting } from '../settings/setting.js';
import { environmentSettings } from '../settings/settings.js';
import type { ApplyOptions, RestoreAction } from './actions.js';
import type { MuxDialect } from './dialect.js';
import type { ParsedRecord } from './formats.js';
import {
  noServerError,
  type ProcessOutcome,
  type ProcessRunner,
  runWithDeadline,
  unansweredError,
} from './process-runner.js';
import { type RecordQuery, readOptionsAsFormat, readRecords, readServerLifetime } from './record-query.js';
import { buildScript, joinCommandArguments } from './script.js';
import { socketPathFor } from './socket-path.js';
import { socketAccepts } from './socket-probe.js';
import { tmuxDialect } from './tmux-dialect.js';
import { renderTmuxScript } from './tmux-render.js';
import { ensureSupportedTmux } from './tmux-version.js';

export interface ScriptResult {
  readonly stdout: string;
  /** One line per command that tmux reported as failed; empty when all succeeded. */
  readonly errors: readonly string[];
}

/**
 * The only door to the multiplexer. Everything above it works with argument arrays; this client
 * adds the server selection, counts invocations (the benchmark reports them) and turns failures
 * into typed errors.
 */
export interface MuxClient {
  readonly binary: string;
  readonly server: ServerTarget;
  /** What this multiplexer is and how it differs from tmux (src/mux/dialect.ts). */
  readonly dialect: MuxDialect;
  /** How many processes this client has started. */
  readonly invocationCount: number;
  describeServer(): string;
  /** One invocation of one command. */
  run(command: readonly string[]): Promise<string>;
  /** Several commands in one invocation, joined with `;`. Keep it small: tmux caps a message at 16 KiB. */
  runCommands(commands: readonly (readonly string[])[]): Promise<string>;
  /** Any number of commands in one invocation through `source-file`; failures are collected, not thrown. */
  runScript(commands: readonly (readonly string[])[]): Promise<ScriptResult>;
  /**
   * A restore's actions, rendered the dialect's way: one `source-file` script on tmux
   * (src/mux/tmux-render.ts), psmux's routed and awaited steps (src/mux/psmux-render.ts).
   * Failures are collected, not thrown, one line each.
   */
  applyActions(actions: readonly RestoreAction[], options: ApplyOptions): Promise<ScriptResult>;
  /**
   * Global option values, byte for byte; an unset option reads as the empty string. tmux answers
   * all of them in one format; psmux escapes control bytes there, so its client asks
   * `show-options -gv` instead.
   */
  readGlobalOptions(names: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Panes, clients, server values and options as fields, in as few invocations as the dialect allows. */
  readRecords(query: RecordQuery, warn?: (line: string) => void): Promise<ParsedRecord[]>;
  /** The server's pid and start time; works on a server without sessions (while its config loads, too). */
  readServerLifetime(): Promise<ServerLifetime>;
}

export interface TmuxClientOptions {
  readonly binary?: string;
  readonly server: ServerTarget;
  readonly environment?: NodeJS.ProcessEnv;
  /** The deadline of one tmux call; default `CONTINUUM_MUX_TIMEOUT_MS`, else 10 s. */
  readonly timeoutMilliseconds?: number;
  /** Starts tmux; default the one deadline-and-kill rule (src/mux/process-runner.ts). */
  readonly execute?: ProcessRunner;
}

/**
 * How long one tmux call may take before its client is killed. A server answers in milliseconds;
 * one that does not is stopped (`kill -STOP`), wedged or swapping, and waiting for it would hang
 * `save`, `restore` and every daemon lap with it.
 */
export const defaultMuxTimeoutMilliseconds = environmentSettings.muxTimeout.defaultValue;

/**
 * What a `source-file` gets on top, per command in it: a 1000-pane restore (some 5000 commands)
 * takes a few seconds, so 20 ms each leaves it a margin of 20 or more while keeping a deadline.
 */
export const scriptMillisecondsPerCommand = 20;

export const muxTimeoutVariable = environmentSettings.muxTimeout.name;

/** The deadline set by `CONTINUUM_MUX_TIMEOUT_MS`, or the default; a bad value is a usage error. */
export function muxTimeoutFrom(environment: NodeJS.ProcessEnv): number {
  const value = environment[muxTimeoutVariable];
  const reading = readSetting(environmentSettings.muxTimeout, value);
  if (!reading.valid) {
    throw new UsageError(
      `${muxTimeoutVariable} must be a whole number of milliseconds between 100 and 3600000, not "${value}"`,
      `unset it for the default of ${defaultMuxTimeoutMilliseconds}`,
    );
  }
  return reading.value;
}

/** runScript's directories: `continuum-script-PID-XXXXXX`, so a later save can tell a killed maker's. */
export const scriptDirectoryPrefix = 'continuum-script-';

/** How long a server that dropped a client may still accept on its socket while it exits. */
const exitingServerGraceMilliseconds = 250;

/** `display-message TEXT` (not `-p`): shows the user a line and reads nothing. */
const isMessageToUser = (args: readonly string[]): boolean =>
  args[0] === 'display-message' && !args.includes('-p');

export class TmuxClient implements MuxClient {
  readonly binary: string;
  readonly server: ServerTarget;
  readonly dialect: MuxDialect = tmuxDialect;
  #invocationCount = 0;
  readonly #environment: NodeJS.ProcessEnv;
  readonly #timeoutMilliseconds: number;
  readonly #execute: ProcessRunner;

  constructor(options: TmuxClientOptions) {
    this.binary = options.binary ?? 'tmux';
    this.server = options.server;
    this.#environment = options.environment ?? process.env;
    this.#timeoutMilliseconds = options.timeoutMilliseconds ?? muxTimeoutFrom(this.#environment);
    this.#execute = options.execute ?? runWithDeadline;
  }

  /** The deadline of one ordinary tmux call. */
  get timeoutMilliseconds(): number {
    return this.#timeoutMilliseconds;
  }

  get invocationCount(): number {
    return this.#invocationCount;
  }

  describeServer(): string {
    return describeServerTarget(this.server);
  }

  async run(command: readonly string[]): Promise<string> {
    return this.#checked(command);
  }

  async runCommands(commands: readonly (readonly string[])[]): Promise<string> {
    return this.#checked(joinCommandArguments(commands));
  }

  async readGlobalOptions(names: readonly string[]): Promise<ReadonlyMap<string, string>> {
    // Through readServerFormat: tmux 3.1c's `run-shell 'continuum init'` read nothing and installed
    // nothing, since display-message -p alone fails while tmux.conf runs.
    return readOptionsAsFormat(this, names);
  }

  readRecords(query: RecordQuery, warn?: (line: string) => void): Promise<ParsedRecord[]> {
    return readRecords(this, query, warn);
  }

  readServerLifetime(): Promise<ServerLifetime> {
    return readServerLifetime(this);
  }

  /**
   * `format` expanded against the server, with or without sessions (tmux 3.1 while tmux.conf runs
   * has none: see MuxDialect.sessionlessFormatCommand). For record-query.ts only.
   */
  async readServerFormat(format: string): Promise<string> {
    try {
      return await this.run(['display-message', '-p', format]);
    } catch (error) {
      if (!(error instanceof MuxCommandError && /no current target/.test(error.stderr))) throw error;
      return this.run(this.dialect.sessionlessFormatCommand(format));
    }
  }

  async runScript(commands: readonly (readonly string[])[]): Promise<ScriptResult> {
    if (commands.length === 0) return { stdout: '', errors: [] };
    // The pid in the name lets the next save remove the directory if this process is killed now.
    const directory = await mkdtemp(join(tmpdir(), `${scriptDirectoryPrefix}${process.pid}-`));
    const scriptPath = join(directory, 'restore.tmux');
    try {
      await writeFile(scriptPath, buildScript(commands), { mode: 0o600 });
      const timeout = this.#timeoutMilliseconds + commands.length * scriptMillisecondsPerCommand;
      const outcome = await this.#spawn(['source-file', scriptPath], timeout);
      await this.#throwIfUnusable(['source-file', scriptPath], outcome, timeout);
      const errors = outcome.stderr
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) => line.replace(`${scriptPath}:`, 'line '));
      if (outcome.code !== 0 && errors.length === 0)
        errors.push(`source-file exited with code ${outcome.code}`);
      return { stdout: outcome.stdout, errors };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  applyActions(actions: readonly RestoreAction[], options: ApplyOptions): Promise<ScriptResult> {
    return this.runScript(renderTmuxScript(actions, options));
  }

  async #checked(args: readonly string[]): Promise<string> {
    const outcome = await this.#spawn(args, this.#timeoutMilliseconds);
    await this.#throwIfUnusable(args, outcome, this.#timeoutMilliseconds);
    if (outcome.code !== 0) throw new MuxCommandError(args, outcome.code, outcome.stderr);
    return outcome.stdout;
  }

  async #throwIfUnusable(args: readonly string[], outcome: ProcessOutcome, timeout: number): Promise<void> {
    const context = {
      binary: this.binary,
      server: this.describeServer(),
      args,
      timeoutMilliseconds: timeout,
    };
    const unanswered = unansweredError(outcome, context);
    if (unanswered) throw unanswered;
    if (!this.dialect.isNoServer(outcome)) return;
    if (await this.#serverOfAnotherVersion(outcome))
      throw new MuxMissingError(
        this.binary,
        `cannot talk to the tmux server on ${this.describeServer()}: it runs, but as a tmux of another version`,
        'run continuum with the tmux that started the server: put it first on PATH, or name it with --mux/CONTINUUM_MUX',
      );
    throw noServerError(this.binary, serverArguments(this.server), this.describeServer());
  }

  /**
   * A tmux 3.7 or later server drops a client of an older version (3.3a, 3.5a) at once, and that
   * client says "server exited unexpectedly", as it does when a server is exiting. A server still
   * accepting on its socket a moment later is alive: it is this tmux that cannot talk to it.
   */
  async #serverOfAnotherVersion(outcome: ProcessOutcome): Promise<boolean> {
    if (!/server exited unexpectedly/.test(outcome.stderr)) return false;
    const socket = socketPathFor(this.server, this.#environment);
    if (!(await socketAccepts(socket))) return false;
    // An exiting server removes its socket as it goes.
    await delay(exitingServerGraceMilliseconds);
    return socketAccepts(socket);
  }

  /** Runs one client under the runner's deadline (src/mux/process-runner.ts). */
  async #spawn(args: readonly string[], timeoutMilliseconds: number): Promise<ProcessOutcome> {
    // Nothing half-works on a tmux older than continuum supports: every call stops at the version
    // gate, except a message to the user, which is how `init` says why it installed nothing.
    if (!isMessageToUser(args)) await ensureSupportedTmux(this.binary, this.#environment);
    this.#invocationCount += 1;
    // -u: the client prints what the server sends as it is. Without it a client whose LC_ALL,
    // LC_CTYPE or LANG does not name UTF-8 (cron, ssh without LANG, systemd units, minimal
    // containers) prints `_` for every non-ASCII and control byte (tmux.c, utf8_sanitize), so
    // every name with one reads as another name. The flag is in every tmux from 1.x to 3.8.
    const fullArgs = ['-u', ...serverArguments(this.server), ...args];
    return this.#execute(this.binary, fullArgs, this.#environment, timeoutMilliseconds);
  }
}
