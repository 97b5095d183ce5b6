import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DaemonFiles, daemonFiles } from '../../src/daemon/daemon-files.js';
import { askDaemon, type DaemonStatus, readDaemonToken } from '../../src/daemon/daemon-ipc.js';
import { TestServer, waitFor } from './tmux-server.js';

/** The daemon files of a test server, as the CLI computes them from its environment. */
export async function daemonFilesOf(server: TestServer): Promise<DaemonFiles> {
  const socketPath = join(server.environment.TMUX_TMPDIR!, `tmux-${process.getuid!()}`, server.socketName);
  return daemonFiles(socketPath, {
    environment: server.environment,
    platform: process.platform,
    home: server.home,
  });
}

/** The pid the daemon proves on its lease socket, or undefined when nothing answers with a proof. */
export async function daemonPid(files: DaemonFiles): Promise<number | undefined> {
  const reply = await askDaemon(files.address, 'ping', await readDaemonToken(files.tokenPath), 1000);
  return reply.result === 'answered' && reply.answer.kind === 'ping' ? reply.answer.daemon.pid : undefined;
}

export async function daemonStatus(files: DaemonFiles): Promise<DaemonStatus | undefined> {
  const reply = await askDaemon(files.address, 'status', await readDaemonToken(files.tokenPath));
  return reply.result === 'answered' && reply.answer.kind === 'status' ? reply.answer.status : undefined;
}

/**
 * Pids of live daemon processes for this test's server, found by scanning /proc for command lines
 * (the daemon's title names the socket) that hold the test's unique socket name. Counting only:
 * tests kill nothing but pids they were given.
 */
/** The parent pid of `pid` from /proc, or NaN once it is gone. */
export async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The fields after the command name (in parentheses, which may hold spaces): state, ppid, …
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

export async function daemonProcesses(server: TestServer): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const text = commandLine.replaceAll('\0', ' ');
    if (!text.includes(server.socketName)) continue;
    // The title `continuum daemon -L sock`, or argv `node continuum.js -L sock daemon run`.
    if (!/continuum daemon |daemon run/.test(text)) continue;
    parents.set(Number(entry), await parentOf(Number(entry)));
  }
  // A tmux call the daemon is starting shows the daemon's command line until it has exec'd
  // (seen on a loaded machine): a child of a daemon is not a daemon.
  return [...parents].filter(([, parent]) => !parents.has(parent)).map(([pid]) => pid);
}

/** Stops whatever daemon answers (by the pid it gave), then waits until its address is free. */
export async function stopDaemon(files: DaemonFiles): Promise<void> {
  const pid = await daemonPid(files);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await waitFor(async () => (await daemonPid(files)) === undefined, 10_000, 'the daemon lease to be free');
  // The lease goes first, the process a moment later.
  if (pid !== undefined) await waitFor(async () => !alive(pid), 10_000, `daemon pid ${pid} to exit`);
}

/** Waits until no daemon process of this server is left (a losing starter exits within a second). */
export async function waitForNoDaemonProcess(server: TestServer): Promise<void> {
  await waitFor(async () => (await daemonProcesses(server)).length === 0, 10_000, 'no daemon process');
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A test server whose daemons look for changes every `pollMilliseconds`. */
export async function createDaemonTestServer(pollMilliseconds = 200): Promise<TestServer> {
  const server = await TestServer.create();
  server.environment.CONTINUUM_DAEMON_POLL_MS = String(pollMilliseconds);
  return server;
}

/**
 * Stops the server's daemon, disposes of the server, and fails the test if the daemon's lease or
 * process outlived it: a test must leave no daemon behind.
 */
export async function disposeWithDaemon(server: TestServer): Promise<void> {
  const files = await daemonFilesOf(server);
  try {
    await stopDaemon(files);
  } finally {
    await server.dispose();
  }
  assert.equal(await daemonPid(files), undefined, 'the lease address is free');
  await waitForNoDaemonProcess(server);
}
