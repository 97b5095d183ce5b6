import { execFile } from 'node:child_process';
import { MuxCommandError, MuxMissingError, MuxTimeoutError, NoServerError } from '../errors.js';
import type { InvocationOutcome } from './dialect.js';

/** One finished process, or why it could not start. */
export interface ProcessOutcome extends InvocationOutcome {
  readonly spawnError: NodeJS.ErrnoException | undefined;
  /** The deadline passed and the process was killed. */
  readonly timedOut?: boolean;
}

/**
 * Starts one multiplexer process and waits for it, never longer than the deadline. Injected into
 * both clients, so a test can answer in its place (the psmux client is tested where psmux cannot run).
 */
export type ProcessRunner = (
  binary: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  timeoutMilliseconds: number,
) => Promise<ProcessOutcome>;

/** After SIGTERM, how long the process has before SIGKILL. */
export const killGraceMilliseconds = 1000;

/** What one call may print: a capture of 1000 panes with long histories stays far below it. */
const outputLimitBytes = 256 * 1024 * 1024;

/**
 * The one deadline-and-kill rule. A stopped server still accepts the connection (into the socket's
 * backlog), so connecting proves nothing: only an answer does. When the deadline passes, our ends
 * of the pipes are closed, then the process gets SIGTERM (tmux's client exits on it), then SIGKILL
 * after a grace, for a process that ignores SIGTERM.
 */
export const runWithDeadline: ProcessRunner = (binary, args, environment, timeoutMilliseconds) =>
  new Promise((resolve) => {
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = execFile(
      binary,
      [...args],
      { env: environment, maxBuffer: outputLimitBytes, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        clearTimeout(deadline);
        clearTimeout(killTimer);
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          resolve({ stdout, stderr, code: null, spawnError: error as NodeJS.ErrnoException, timedOut });
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 128) : 0;
        resolve({ stdout, stderr, code, spawnError: undefined, timedOut });
      },
    );
    const deadline = setTimeout(() => {
      timedOut = true;
      // The tmux client hands its stdio to the server (fd passing): queued at a stopped server,
      // those copies keep our pipes open after the client is gone, so execFile would wait for their
      // end forever. Closing our side lets the callback run as soon as the process has exited.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMilliseconds);
    }, timeoutMilliseconds);
  });

/** Who was asked, for the typed errors of an outcome that is no answer. */
export interface InvocationContext {
  readonly binary: string;
  /** The server as the user names it (`socket -L work`). */
  readonly server: string;
  readonly args: readonly string[];
  readonly timeoutMilliseconds: number;
}

/**
 * The typed error of an outcome that holds no answer: the deadline passed, the program is missing
 * or not a program, or it could not start. Undefined when the process ran and exited.
 */
export function unansweredError(
  outcome: ProcessOutcome,
  context: InvocationContext,
): MuxTimeoutError | MuxMissingError | MuxCommandError | undefined {
  if (outcome.timedOut) return new MuxTimeoutError(context.server, context.args, context.timeoutMilliseconds);
  const code = outcome.spawnError?.code;
  if (code === 'ENOENT') return new MuxMissingError(context.binary);
  // A --mux that names a directory or a file without execute permission names no program either.
  if (code === 'EACCES' || code === 'EISDIR')
    return new MuxMissingError(context.binary, 'is not an executable program');
  if (outcome.spawnError) return new MuxCommandError(context.args, null, outcome.spawnError.message);
  return undefined;
}

/** "No server": with the command that starts one, in the words of the multiplexer asked. */
export function noServerError(
  binary: string,
  serverArguments: readonly string[],
  server: string,
): NoServerError {
  const start = [binary, ...serverArguments, 'new-session', '-d'].join(' ');
  return new NoServerError(server, `start one with \`${start}\`, then run this again`);
}
