import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { BusyError, ContinuumError, errorCode, exitCodes } from '../errors.js';
import { muxTimeoutFrom } from '../mux/mux-client.js';
import { assertPrivateOrMissing } from '../platform/lease.js';
import type { PathEnvironment } from '../platform/paths.js';
import { verifyDaemonProcess } from '../platform/process-identity.js';
import { type ServerLifetime, sameLifetime } from '../server/server-lifetime.js';
import { type DaemonFiles, earlierDaemonFiles } from './daemon-files.js';
import {
  askDaemon,
  type DaemonIdentity,
  type DaemonReply,
  type PingAnswer,
  readDaemonToken,
} from './daemon-ipc.js';
import { DaemonLog } from './daemon-log.js';
import { AutoSaveDaemon, type DaemonDependencies, type DaemonOutcome } from './daemon-loop.js';

/**
 * V8 options for the long-lived daemon. Its garbage is small and short-lived (one tmux output per
 * lap), so a 1 MiB young generation instead of the default 16 MiB semi-spaces keeps its resident
 * memory near Node's baseline for its whole life (the psmux loop's 100 MB per process was a bug
 * report of its own).
 */
export const daemonNodeOptions = ['--max-semi-space-size=1'];

/** How long `daemon start` and `daemon stop` wait for the daemon to answer or go away. */
const settleMilliseconds = 10_000;

/** The daemon of one server, from outside it: `daemon start`, `daemon stop`, `init`. */
export interface DaemonControl {
  readonly files: DaemonFiles;
  readonly paths: PathEnvironment;
}

/** A lap may be waiting on tmux: a daemon ends within the deadline of one tmux call. */
function stopDeadline(control: DaemonControl): number {
  return settleMilliseconds + muxTimeoutFrom(control.paths.environment);
}

/** Asks the daemon who it is, proving both sides with the token; the reply says whether anything answered. */
async function pingDaemon(files: DaemonFiles, timeoutMilliseconds = 1000): Promise<DaemonReply> {
  assertPrivateOrMissing(files.leaseOptions.runtimeDirectory, files.leaseOptions.platform);
  return askDaemon(files.address, 'ping', await readDaemonToken(files.tokenPath), timeoutMilliseconds);
}

/** The proven answer to a ping; a pid anyone could have reported is never used. */
function provenPing(reply: DaemonReply): PingAnswer | undefined {
  return reply.result === 'answered' && reply.answer.kind === 'ping' ? reply.answer : undefined;
}

/** The proven identity in a reply (a ping's or a stop's). */
function provenIdentity(reply: DaemonReply): DaemonIdentity | undefined {
  if (reply.result !== 'answered') return undefined;
  const { answer } = reply;
  return answer.kind === 'ping' || answer.kind === 'stopping' ? answer.daemon : undefined;
}

async function pingPid(files: DaemonFiles, timeoutMilliseconds = 1000): Promise<number | undefined> {
  return provenIdentity(await pingDaemon(files, timeoutMilliseconds))?.pid;
}

/**
 * True when the daemon that answered works for this server lifetime. A daemon that has not had
 * its first lap yet will take the server it finds; one that is stopping, or that serves an earlier
 * server on the same socket (a quick kill-server and restart), is not this server's daemon.
 */
function servesLifetime(answer: PingAnswer, lifetime: ServerLifetime): boolean {
  if (answer.stopping) return false;
  return answer.lifetime === null || sameLifetime(answer.lifetime, lifetime);
}

const pause = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Waits for `event`, or `milliseconds` at most, with no timer left to hold the process after. */
async function settledOrAfter(event: Promise<void>, milliseconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, milliseconds));
  });
  await Promise.race([event, timeout]);
  clearTimeout(timer);
}

export type DaemonStartOutcome =
  | { readonly kind: 'running'; readonly pid: number }
  | { readonly kind: 'started'; readonly pid: number }
  | { readonly kind: 'failed'; readonly reason: string | undefined };

/**
 * Starts the daemon as one detached process (`spawnDaemon`) and returns once it answers. Any
 * number of these may run at once: each spawned daemon tries the lease, the losers exit, and
 * every caller sees the one winner answer. A daemon of another server `lifetime` on the same
 * socket, or one that is stopping, is asked to stop and replaced.
 */
export async function startDaemon(
  control: DaemonControl,
  lifetime: ServerLifetime,
  spawnDaemon: () => ChildProcess,
): Promise<DaemonStartOutcome> {
  const { files } = control;
  await stopEarlierVersionDaemon(control);
  const running = provenPing(await pingDaemon(files));
  if (running !== undefined) {
    if (servesLifetime(running, lifetime)) return { kind: 'running', pid: running.daemon.pid };
    // It goes, and a fresh one starts: nothing of the old server's state may carry over.
    if (!running.stopping) {
      await new DaemonLog({ path: files.logPath, rotates: false }).info(
        `replacing the daemon (pid ${running.daemon.pid}) of an earlier server on this socket`,
      );
      await askToStop(files, running.daemon);
    }
    await waitUntilGone(files, running.daemon.pid, stopDeadline(control));
    // The old daemon may itself have seen its server replaced and started the successor that now
    // answers: a daemon spawned anyway would only lose the lease and exit.
    const successor = provenPing(await pingDaemon(files));
    if (successor !== undefined && servesLifetime(successor, lifetime))
      return { kind: 'running', pid: successor.daemon.pid };
  }
  const child = spawnDaemon();
  let spawnError: Error | undefined;
  let exitCode: number | null | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  child.unref();
  const deadline = performance.now() + settleMilliseconds;
  for (
    let delay = 20;
    performance.now() < deadline && spawnError === undefined;
    delay = Math.min(delay * 2, 200)
  ) {
    const exitedBefore = exitCode !== undefined;
    const pid = await pingPid(files, 500);
    if (pid !== undefined) {
      if (pid === child.pid) return { kind: 'started', pid };
      // The daemon spawned here lost the lease; it exits once it has seen the winner answer.
      // Returning after it has gone means no caller leaves a second daemon process behind.
      if (exitCode === undefined) await settledOrAfter(exited, deadline - performance.now());
      return { kind: 'running', pid };
    }
    // A daemon that lost the lease exits only after seeing the winner answer; one that exits
    // while nothing answers failed to start (bad option, unwritable state directory): say so now.
    if (exitedBefore) {
      spawnError = new Error(`it exited with code ${exitCode}`);
      break;
    }
    await pause(delay);
  }
  return { kind: 'failed', reason: spawnError?.message };
}

/**
 * After an upgrade, the daemon an earlier version started still runs with its lease where that
 * version kept it, where this one does not look: it is asked to stop (over its proven channel),
 * or two daemons would save the same server.
 */
async function stopEarlierVersionDaemon(control: DaemonControl): Promise<void> {
  const { files } = control;
  const earlier = earlierDaemonFiles(files, control.paths);
  if (earlier === undefined) return;
  const identity = provenIdentity(
    await askDaemon(earlier.address, 'ping', await readDaemonToken(earlier.tokenPath), 1000),
  );
  if (identity === undefined || identity.socketPath !== files.socketPath) return;
  await new DaemonLog({ path: files.logPath, rotates: false }).info(
    `stopping the daemon (pid ${identity.pid}) an earlier version started at ${earlier.address}`,
  );
  await askToStop(earlier, identity);
  await waitUntilGone(earlier, identity.pid, stopDeadline(control));
}

/**
 * `daemon run` as a detached process of its own: `invocation` is node, the CLI's script and the
 * options that select the server and save directory.
 */
export function spawnDaemonProcess(
  invocation: readonly string[],
  pollMilliseconds: number,
  environment: NodeJS.ProcessEnv,
): ChildProcess {
  const [node, ...args] = invocation;
  // Detached, with no stdio of ours: tmux's run-shell waits until its child's output closes, so a
  // daemon holding it would hang `run-shell 'continuum init'`.
  return spawn(node!, [...daemonNodeOptions, ...args, 'daemon', 'run', '--poll', String(pollMilliseconds)], {
    detached: true,
    stdio: 'ignore',
    env: environment,
    windowsHide: true,
  });
}

export type DaemonStopOutcome =
  | { readonly kind: 'none' }
  /** Something answers that does not prove it is the daemon: nothing is stopped. */
  | { readonly kind: 'unproven'; readonly reason: string }
  | { readonly kind: 'stopped'; readonly pid: number };

/**
 * Asks the daemon to stop over the proven channel and waits until it is gone. A signal is the
 * fallback only for a daemon that proved who it is and whose process is checked in /proc (the
 * user's, `continuum daemon`, started at the tick it reported); without procfs, never.
 */
export async function stopDaemon(control: DaemonControl): Promise<DaemonStopOutcome> {
  const { files } = control;
  const reply = await pingDaemon(files);
  if (reply.result === 'none') return { kind: 'none' };
  const identity = provenIdentity(reply);
  if (identity === undefined)
    return { kind: 'unproven', reason: reply.result === 'unverified' ? reply.reason : 'it refused' };
  await askToStop(files, identity);
  await waitUntilGone(files, identity.pid, stopDeadline(control));
  return { kind: 'stopped', pid: identity.pid };
}

/** Over the proven channel; a signal only to a process verified as this daemon. */
async function askToStop(files: DaemonFiles, identity: DaemonIdentity): Promise<void> {
  const answer = await askDaemon(files.address, 'stop', await readDaemonToken(files.tokenPath));
  if (!(answer.result === 'answered' && answer.answer.kind === 'stopping'))
    await signalVerified(identity, files);
}

async function waitUntilGone(files: DaemonFiles, pid: number, timeoutMilliseconds: number): Promise<void> {
  const deadline = performance.now() + timeoutMilliseconds;
  while (performance.now() < deadline) {
    if ((await pingPid(files, 500)) !== pid) return;
    await pause(50);
  }
  throw new BusyError(
    `the daemon (pid ${pid}) did not stop within ${Math.round(timeoutMilliseconds / 1000)} s`,
    `stop it with \`kill ${pid}\``,
  );
}

async function signalVerified(identity: DaemonIdentity, files: DaemonFiles): Promise<void> {
  const verdict = await verifyDaemonProcess(identity.pid, identity.startTicks);
  if (verdict.result !== 'verified' || identity.socketPath !== files.socketPath) {
    const reason = verdict.result === 'refused' ? verdict.reason : `it serves ${identity.socketPath}`;
    throw new ContinuumError(
      `the daemon did not stop when asked, and pid ${identity.pid} is not signalled: ${reason}`,
      {
        exitCode: exitCodes.failure,
        hint: 'see `continuum status` and the log (`continuum logs`)',
      },
    );
  }
  try {
    process.kill(identity.pid, 'SIGTERM');
  } catch (error) {
    if (errorCode(error) !== 'ESRCH') {
      throw new ContinuumError(
        `cannot stop the daemon (pid ${identity.pid}): ${errorCode(error) ?? String(error)}`,
        {
          exitCode: exitCodes.failure,
        },
      );
    }
  }
}

/**
 * The daemon itself, in the foreground, until it stops. When another server replaced its own on
 * the socket, its lease is released by then: `spawnSuccessor` starts a daemon that takes it and
 * serves the new server from scratch.
 */
export async function runDaemon(
  dependencies: DaemonDependencies,
  spawnSuccessor: () => ChildProcess,
): Promise<DaemonOutcome> {
  const { log } = dependencies;
  const outcome = await new AutoSaveDaemon(dependencies).run();
  if (outcome.result === 'stopped' && outcome.serverReplaced) {
    const successor = spawnSuccessor();
    successor.once(
      'error',
      (error) => void log.error(`cannot start a daemon for the new server: ${error.message}`),
    );
    successor.unref();
    await log.info(`started a daemon for the new server (pid ${successor.pid})`);
  }
  return outcome;
}
