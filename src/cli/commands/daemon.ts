import { spawn } from 'node:child_process';
import { type DaemonFiles, earlierDaemonFiles } from '../../daemon/daemon-files.js';
import {
  askDaemon,
  type DaemonIdentity,
  type DaemonReply,
  type PingAnswer,
  readDaemonToken,
} from '../../daemon/daemon-ipc.js';
import { DaemonLog } from '../../daemon/daemon-log.js';
import { AutoSaveDaemon, defaultPollMilliseconds } from '../../daemon/daemon-loop.js';
import { BusyError, ContinuumError, errorCode, exitCodes, UsageError } from '../../errors.js';
import { autoRestoreNamespaceOnce } from '../../integration/auto-restore.js';
import { muxTimeoutFrom } from '../../mux/mux-client.js';
import { assertPrivateOrMissing } from '../../platform/lease.js';
import { optionalHome } from '../../platform/paths.js';
import { verifyDaemonProcess } from '../../platform/process-identity.js';
import { serverOptions } from '../../server/server-identity.js';
import { type ServerLifetime, sameLifetime } from '../../server/server-lifetime.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { cliInvocation, continuumCommand, daemonFilesFor, globalArgumentsFor } from './daemon-target.js';
import { runRestore } from './restore.js';

export interface DaemonCommandOptions {
  readonly poll?: string;
}

/**
 * V8 options for the long-lived daemon. Its garbage is small and short-lived (one tmux output per
 * lap), so a 1 MiB young generation instead of the default 16 MiB semi-spaces keeps its resident
 * memory near Node's baseline for its whole life (the psmux loop's 100 MB per process was a bug
 * report of its own).
 */
export const daemonNodeOptions = ['--max-semi-space-size=1'];

/** How long `daemon start` and `daemon stop` wait for the daemon to answer or go away. */
const settleMilliseconds = 10_000;

export function pollMillisecondsFrom(value: string | undefined): number {
  if (value === undefined || value === '') return defaultPollMilliseconds;
  const milliseconds = Number(value);
  if (!Number.isInteger(milliseconds) || milliseconds < 10 || milliseconds > 3_600_000) {
    throw new UsageError(
      `--poll must be a whole number of milliseconds between 10 and 3600000, not "${value}"`,
      'leave it out for the default of 5000',
    );
  }
  return milliseconds;
}

/** Asks the daemon who it is, proving both sides with the token; the reply says whether anything answered. */
async function pingDaemon(files: DaemonFiles, timeoutMilliseconds = 1000): Promise<DaemonReply> {
  assertPrivateOrMissing(files.leaseOptions.runtimeDirectory, files.leaseOptions.platform);
  return askDaemon(files.address, 'ping', await readDaemonToken(files.tokenPath), timeoutMilliseconds);
}

/** The proven answer to a ping; a pid anyone could have reported is never used. */
function provenPing(reply: DaemonReply): PingAnswer | undefined {
  return reply.result === 'answered' && 'lifetime' in reply.answer ? reply.answer : undefined;
}

/** The proven identity in a reply (a ping's or a stop's). */
function provenIdentity(reply: DaemonReply): DaemonIdentity | undefined {
  return reply.result === 'answered' && 'daemon' in reply.answer ? reply.answer.daemon : undefined;
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

/**
 * Starts the daemon as one detached process and returns once it answers. Any number of these may
 * run at once: each spawned daemon tries the lease, the losers exit, and every caller sees the one
 * winner answer.
 */
export async function runDaemonStart(context: CommandContext, options: DaemonCommandOptions): Promise<void> {
  const poll = pollMillisecondsFrom(options.poll);
  const files = daemonFilesFor(context);
  // Fails with a clear NoServerError when there is no server: a daemon for nothing would just exit.
  const lifetime = await context.mux.readServerLifetime();
  await stopEarlierVersionDaemon(context, files);
  const running = provenPing(await pingDaemon(files));
  if (running !== undefined) {
    if (servesLifetime(running, lifetime)) {
      context.print(`the daemon for ${files.socketPath} is already running (pid ${running.daemon.pid})`);
      return;
    }
    // It goes, and a fresh one starts: nothing of the old server's state may carry over.
    if (!running.stopping) {
      await new DaemonLog({ path: files.logPath, rotates: false }).info(
        `replacing the daemon (pid ${running.daemon.pid}) of an earlier server on this socket`,
      );
      await askToStop(files, running.daemon);
    }
    await waitUntilGone(
      files,
      running.daemon.pid,
      settleMilliseconds + muxTimeoutFrom(context.paths.environment),
    );
  }
  const child = spawnDaemon(context, poll);
  let spawnError: Error | undefined;
  let exitCode: number | null | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  child.once('exit', (code) => {
    exitCode = code;
  });
  child.unref();
  const deadline = Date.now() + settleMilliseconds;
  for (let delay = 20; Date.now() < deadline && spawnError === undefined; delay = Math.min(delay * 2, 200)) {
    const exitedBefore = exitCode !== undefined;
    const pid = await pingPid(files, 500);
    if (pid !== undefined) {
      context.print(
        pid === child.pid
          ? `started the daemon for ${files.socketPath} (pid ${pid}); log: ${files.logPath}`
          : `the daemon for ${files.socketPath} is already running (pid ${pid})`,
      );
      return;
    }
    // A daemon that lost the lease exits only after seeing the winner answer; one that exits
    // while nothing answers failed to start (bad option, unwritable state directory): say so now.
    if (exitedBefore) {
      spawnError = new Error(`it exited with code ${exitCode}`);
      break;
    }
    await pause(delay);
  }
  throw new ContinuumError(
    `the daemon for ${files.socketPath} did not start${spawnError ? ` (${spawnError.message})` : ''}`,
    {
      exitCode: exitCodes.noDaemon,
      hint: `run \`${continuumCommand(context, 'daemon', 'run')}\` to see why, and read ${files.logPath}`,
    },
  );
}

/**
 * After an upgrade, the daemon an earlier version started still runs with its lease where that
 * version kept it, where this one does not look: it is asked to stop (over its proven channel),
 * or two daemons would save the same server.
 */
async function stopEarlierVersionDaemon(context: CommandContext, files: DaemonFiles): Promise<void> {
  const earlier = earlierDaemonFiles(files, context.paths);
  if (earlier === undefined) return;
  const identity = provenIdentity(
    await askDaemon(earlier.address, 'ping', await readDaemonToken(earlier.tokenPath), 1000),
  );
  if (identity === undefined || identity.socketPath !== files.socketPath) return;
  await new DaemonLog({ path: files.logPath, rotates: false }).info(
    `stopping the daemon (pid ${identity.pid}) an earlier version started at ${earlier.address}`,
  );
  await askToStop(earlier, identity);
  await waitUntilGone(earlier, identity.pid, settleMilliseconds + muxTimeoutFrom(context.paths.environment));
}

/** `daemon run` as a detached process of its own, with the same server and save directory as this one. */
function spawnDaemon(context: CommandContext, poll: number): ReturnType<typeof spawn> {
  const [node, script] = cliInvocation();
  const args = [script!, ...globalArgumentsFor(context), 'daemon', 'run', '--poll', String(poll)];
  // Detached, with no stdio of ours: tmux's run-shell waits until its child's output closes, so a
  // daemon holding it would hang `run-shell 'continuum init'`.
  return spawn(node!, [...daemonNodeOptions, ...args], {
    detached: true,
    stdio: 'ignore',
    env: context.paths.environment,
    windowsHide: true,
  });
}

/**
 * Asks the daemon to stop over the proven channel and waits until it is gone. A signal is the
 * fallback only for a daemon that proved who it is and whose process is checked in /proc (the
 * user's, `continuum daemon`, started at the tick it reported); without procfs, never.
 */
export async function runDaemonStop(context: CommandContext): Promise<void> {
  const files = daemonFilesFor(context);
  const reply = await pingDaemon(files);
  if (reply.result === 'none') {
    context.print(`no daemon is running for ${files.socketPath}`);
    return;
  }
  const identity = provenIdentity(reply);
  if (identity === undefined) {
    throw new ContinuumError(
      `something answers on ${files.address} but does not prove it is your daemon (${reply.result === 'unverified' ? reply.reason : 'it refused'}); nothing was stopped`,
      {
        exitCode: exitCodes.failure,
        hint: `its token file ${files.tokenPath} may be missing or stale: find the daemon with \`ps\` (\`continuum daemon\` in its title) and end it yourself`,
      },
    );
  }
  await askToStop(files, identity);
  // A lap may be waiting on tmux: it ends within the deadline of one tmux call.
  await waitUntilGone(files, identity.pid, settleMilliseconds + muxTimeoutFrom(context.paths.environment));
  context.print(`stopped the daemon for ${files.socketPath} (pid ${identity.pid})`);
}

/** Over the proven channel; a signal only to a process verified as this daemon. */
async function askToStop(files: DaemonFiles, identity: DaemonIdentity): Promise<void> {
  const answer = await askDaemon(files.address, 'stop', await readDaemonToken(files.tokenPath));
  if (!(answer.result === 'answered' && answer.answer.ok)) await signalVerified(identity, files);
}

async function waitUntilGone(files: DaemonFiles, pid: number, timeoutMilliseconds: number): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (Date.now() < deadline) {
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

/** The daemon itself, in the foreground: for service managers, debugging, and what `start` spawns. */
export async function runDaemonRun(
  context: CommandContext,
  options: DaemonCommandOptions,
  version: string,
): Promise<void> {
  const poll = pollMillisecondsFrom(options.poll);
  const files = daemonFilesFor(context);
  // `ps` then shows which server each daemon watches (the issue's requirement, and a user's first question).
  // A server of tmux's own socket directory by its -L name (`continuum daemon -L work`), as the user
  // typed it, however the daemon was started (from tmux it gets the socket's path).
  process.title = `continuum daemon ${serverOptions(serverIdentityOf(context)).join(' ')}`;
  // In a terminal (debugging), the log also goes to stderr; spawned daemons have no stdio at all.
  const echo = process.stderr.isTTY ? (line: string) => void process.stderr.write(line) : undefined;
  const log = new DaemonLog({ path: files.logPath, rotates: true, ...(echo ? { echo } : {}) });
  const daemon = new AutoSaveDaemon({
    mux: context.mux,
    inspectPrograms: context.inspectPrograms,
    now: context.now,
    files,
    log,
    pollMilliseconds: poll,
    version,
    resolveSaveDirectory: (resurrectDir) => resolveSaveDirectory(context, resurrectDir),
    paths: context.paths,
    identity: serverIdentityOf(context),
    ...(context.mux.dialect.integration.autoRestore === 'daemon-lease'
      ? {
          onLeaseTaken: async () => {
            const outcome = await autoRestoreNamespaceOnce({
              mux: context.mux,
              log,
              home: optionalHome(context.paths),
              now: context.now,
              restore: async () => {
                const lines: string[] = [];
                const quiet = {
                  ...context,
                  print: (line: string) => lines.push(line),
                  warn: (line: string) => lines.push(line),
                };
                await runRestore(quiet, undefined, {});
                return lines.join('; ') || 'restored';
              },
            });
            if (outcome.result === 'skipped') await log.info(`auto-restore skipped: ${outcome.reason}`);
          },
        }
      : {}),
  });
  const outcome = await daemon.run();
  if (outcome.result === 'stopped' && outcome.serverReplaced) {
    // Its lease is released by now: the successor takes it and serves the new server from scratch.
    const successor = spawnDaemon(context, poll);
    successor.once(
      'error',
      (error) => void log.error(`cannot start a daemon for the new server: ${error.message}`),
    );
    successor.unref();
    await log.info(`started a daemon for the new server (pid ${successor.pid})`);
    return;
  }
  if (outcome.result === 'already-running') {
    throw new BusyError(
      `a daemon for ${files.socketPath} is already running${outcome.pid ? ` (pid ${outcome.pid})` : ''}`,
      `see it with \`${continuumCommand(context, 'status')}\`; stop it with \`${continuumCommand(context, 'daemon', 'stop')}\``,
    );
  }
}
