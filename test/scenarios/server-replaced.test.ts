import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runShellArgument } from '../../src/integration/tmux-integration.js';
import { scriptLine } from '../../src/mux/script.js';
import {
  alive,
  createDaemonTestServer,
  daemonFilesOf,
  daemonPid,
  daemonProcesses,
  daemonStatus,
  disposeWithDaemon,
  parentOf,
} from '../support/daemon.js';
import { cliPath, run, type TestServer, waitFor } from '../support/tmux-server.js';

interface Lifetime {
  readonly pid: number;
  readonly startTime: number;
}

async function lifetimeOf(server: TestServer): Promise<Lifetime> {
  const [pid, startTime] = (await server.tmux('display-message', '-p', '#{pid} #{start_time}'))
    .trim()
    .split(' ');
  return { pid: Number(pid), startTime: Number(startTime) };
}

/**
 * `kill-server` and, at once, a new server on the same socket with the same session (so the same
 * structure), started with `configFile`. Retries while the old server is still exiting.
 */
async function replaceServer(server: TestServer, configFile: string): Promise<void> {
  await server.tmuxResult('kill-server');
  await waitFor(
    async () => {
      const result = await run(
        'tmux',
        [
          '-L',
          server.socketName,
          '-f',
          configFile,
          'new-session',
          '-d',
          '-s',
          'work',
          '-x',
          '120',
          '-y',
          '40',
        ],
        server.environment,
      );
      if (result.code !== 0 && !/server exited unexpectedly|lost server/.test(result.stderr))
        throw new Error(`cannot start tmux: ${result.stderr}`);
      return result.code === 0;
    },
    5000,
    'a new server on the same socket',
  );
}

/** Pids whose parent is `pid`, from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await parentOf(Number(entry))) === pid) children.push(Number(entry));
  }
  return children;
}

describe('a server replaced on the same socket (kill-server and a quick restart)', () => {
  let server: TestServer;
  let stoppedDaemons: number[] = [];
  beforeEach(async () => {
    server = await createDaemonTestServer();
    stoppedDaemons = [];
  });
  afterEach(async () => {
    for (const pid of stoppedDaemons) process.kill(pid, 'SIGCONT');
    await disposeWithDaemon(server);
  });

  /** What the new server must have within a couple of laps: its own daemon, and nothing of the old. */
  async function assertFreshDaemon(oldDaemon: number, newLifetime: Lifetime): Promise<void> {
    const files = await daemonFilesOf(server);
    await waitFor(
      async () => (await server.tmuxResult('show-options', '-gv', '@continuum-status')).stdout.trim() !== '',
      10_000,
      '@continuum-status on the new server',
    );
    await waitFor(
      async () => (await daemonStatus(files))?.serverLifetime != null,
      10_000,
      'the new daemon to see its server',
    );
    const status = (await daemonStatus(files))!;
    assert.notEqual(status.pid, oldDaemon, 'a new daemon');
    assert.deepEqual(status.serverLifetime, newLifetime, 'it serves the new server');
    assert.equal(status.lastError, null, "the old server's error is gone");
    if (status.lastSave !== null)
      assert.match(
        status.lastSave.path,
        new RegExp(`-server-${newLifetime.startTime}-${newLifetime.pid}(-n\\d+)?\\.json$`),
      );
    await waitFor(async () => !alive(oldDaemon), 10_000, 'the old daemon to exit');
    // A daemon started while the winner took the lease may still be on its way out: by design
    // it exits once it sees the winner answer. What must remain is the winner alone.
    let daemons: number[] = [];
    try {
      await waitFor(
        async () => {
          daemons = await daemonProcesses(server);
          return daemons.length === 1 && daemons[0] === status.pid;
        },
        10_000,
        'the new daemon to be the only one',
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}: daemon processes ${daemons.join(', ')}`);
    }
  }

  it('gets a fresh daemon from `continuum init` in the new server’s config', async () => {
    const blocker = join(server.root, 'not-a-directory');
    await writeFile(blocker, 'a file where the save directory should be\n');
    await server.start('work');
    // The old lifetime fails to save, so it carries an error a new one must not inherit.
    await server.tmux('set-option', '-g', '@resurrect-dir', join(blocker, 'saves'));
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitFor(async () => (await daemonStatus(files))?.lastError != null, 10_000, 'the old error');
    const oldDaemon = (await daemonPid(files))!;

    const config = join(server.root, 'tmux.conf');
    await writeFile(
      config,
      `${scriptLine(['run-shell', runShellArgument([process.execPath, cliPath, 'init'])])}\n`,
    );
    await replaceServer(server, config);
    const newLifetime = await lifetimeOf(server);
    await assertFreshDaemon(oldDaemon, newLifetime);
    // Nothing was saved before, so the new server's first look is saved, and the status says so.
    await waitFor(async () => (await daemonStatus(files))?.lastSave != null, 10_000, 'the first save');
    const { lastSave } = (await daemonStatus(files))!;
    assert.match(
      lastSave!.path,
      new RegExp(`-server-${newLifetime.startTime}-${newLifetime.pid}(-n\\d+)?\\.json$`),
    );
    await waitFor(
      async () =>
        /^saved \d\d:\d\d$/.test((await server.tmux('show-options', '-gv', '@continuum-status')).trim()),
      10_000,
      'the status line to show the save',
    );
    // The old daemon ends one of two ways, both correct: init finds it still serving the old
    // server and replaces it, or (on a loaded machine) its own lap saw the gap between the two
    // servers first and it stopped by itself before init looked.
    const log = await readFile(files.logPath, 'utf8');
    const replacedByInit = log.includes(
      `replacing the daemon (pid ${oldDaemon}) of an earlier server on this socket`,
    );
    const stoppedByItself = new RegExp(
      `\\[PID ${oldDaemon}\\] daemon stopped: the tmux server on .* (is gone|was replaced)`,
    ).test(log);
    assert.ok(replacedByInit || stoppedByItself, `the old daemon's end is logged:\n${log}`);
  });

  it('hands over to a fresh daemon by itself when no init runs', async () => {
    await server.start('work');
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitFor(async () => (await daemonStatus(files))?.lastSave != null, 10_000, 'the first save');
    const oldDaemon = (await daemonPid(files))!;
    const oldLifetime = await lifetimeOf(server);
    // Holding the daemon still while the server is swapped makes its next lap the first to see the
    // new server (and not the gap between them, which would end it as "server gone"). It is held
    // only once no tmux client it started is still running against the old server.
    process.kill(oldDaemon, 'SIGSTOP');
    stoppedDaemons.push(oldDaemon);
    await waitFor(
      async () => (await childrenOf(oldDaemon)).length === 0,
      5000,
      'the daemon’s tmux calls to end',
    );
    await replaceServer(server, '/dev/null');
    const newLifetime = await lifetimeOf(server);
    assert.notDeepEqual(newLifetime, oldLifetime);
    process.kill(oldDaemon, 'SIGCONT');
    stoppedDaemons = [];
    await assertFreshDaemon(oldDaemon, newLifetime);
    assert.match(await readFile(files.logPath, 'utf8'), /daemon stopped: the tmux server on .* was replaced/);
  });
});
