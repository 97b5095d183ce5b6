import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { askDaemon, readDaemonToken } from '../../src/daemon/daemon-ipc.js';
import { exitCodes } from '../../src/errors.js';
import {
  alive,
  createDaemonTestServer,
  daemonFilesOf,
  daemonPid,
  daemonStatus,
  disposeWithDaemon,
} from '../support/daemon.js';
import type { TestServer } from '../support/tmux-server.js';
import { newestSaveIn, waitFor } from '../support/tmux-server.js';

/**
 * A stopped tmux server (`kill -STOP`) still accepts connections into its socket's backlog, so a
 * client connects and then waits for an answer that never comes. Every test here must end within
 * its node:test timeout: before the deadlines, each of them hung until that timeout.
 */
const testTimeout = { timeout: 40_000 };

/** The deadline the CLI and daemon get in these tests (CONTINUUM_MUX_TIMEOUT_MS). */
const deadlineMilliseconds = 2000;

describe('a stopped tmux server', () => {
  let server: TestServer;
  let stopped: number[] = [];

  /** SIGSTOPs the test's own server (its pid from tmux itself) and remembers it for the cleanup. */
  async function stopServer(): Promise<number> {
    const pid = Number((await server.tmux('display-message', '-p', '#{pid}')).trim());
    assert.ok(pid > 0, 'tmux names its pid');
    stopped.push(pid);
    process.kill(pid, 'SIGSTOP');
    return pid;
  }

  function continueServer(pid: number): void {
    process.kill(pid, 'SIGCONT');
    stopped = stopped.filter((each) => each !== pid);
  }

  beforeEach(async () => {
    server = await createDaemonTestServer();
    server.environment.CONTINUUM_MUX_TIMEOUT_MS = String(deadlineMilliseconds);
    stopped = [];
  });
  afterEach(async () => {
    // A stopped server can neither be killed by kill-server nor end a test's clients: resume it first.
    for (const pid of stopped) process.kill(pid, 'SIGCONT');
    await disposeWithDaemon(server);
  });

  it(
    'makes `save` give up within its deadline with exit 8, and save again once it continues',
    testTimeout,
    async () => {
      await server.start('work');
      const pid = await stopServer();
      const failed = await server.cli('save');
      assert.equal(failed.code, exitCodes.muxFailed, failed.stderr);
      assert.match(
        failed.stderr,
        new RegExp(
          `^continuum: the tmux server on socket -L ${server.socketName} did not answer \`tmux [a-z-]+\` within 2 s — is it stopped \\(kill -STOP\\) or busy\\?`,
        ),
      );
      assert.equal(failed.stderr.trim().split('\n').length, 1, 'one line');
      continueServer(pid);
      const saved = await server.cli('save');
      assert.equal(saved.code, 0, saved.stderr);
      assert.match(saved.stdout, /^saved 1 session, 1 window, 1 pane to /);
    },
  );

  it(
    'makes `restore` give up within its deadline with exit 8, and restore once it continues',
    testTimeout,
    async () => {
      await server.start('work');
      await server.tmux('new-window', '-t', '=work:', '-n', 'second');
      assert.equal((await server.cli('save')).code, 0);
      await server.tmux('kill-window', '-t', '=work:second');
      const pid = await stopServer();
      const failed = await server.cli('restore');
      assert.equal(failed.code, exitCodes.muxFailed, failed.stderr);
      assert.match(
        failed.stderr,
        /did not answer `tmux [a-z-]+` within 2 s — is it stopped \(kill -STOP\) or busy\?/,
      );
      continueServer(pid);
      const restored = await server.cli('restore');
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(await server.tmux('list-windows', '-t', '=work', '-F', '#{window_name}'), /^second$/m);
    },
  );

  it(
    'leaves the daemon alive and answering `status` with the error, and it saves again once the server continues',
    testTimeout,
    async () => {
      await server.start('work');
      const files = await daemonFilesOf(server);
      const started = await server.cli('daemon', 'start');
      assert.equal(started.code, 0, started.stderr);
      await waitFor(async () => (await daemonStatus(files))?.lastSave != null, 10_000, 'the first save');
      const daemon = (await daemonPid(files))!;
      const laps = (await daemonStatus(files))!.laps;
      const serverPid = await stopServer();
      // Laps come every 200 ms and each now waits 2 s for tmux: the requests below are answered
      // while a lap waits.
      const token = await readDaemonToken(files.tokenPath);
      const reply = await askDaemon(files.address, 'status', token, 1000);
      assert.ok(
        reply.result === 'answered' && reply.answer.kind === 'status',
        'status is answered while a lap waits on tmux',
      );
      await waitFor(
        async () => /did not answer/.test((await daemonStatus(files))?.lastError?.message ?? ''),
        15_000,
        'the daemon to record that tmux did not answer',
      );
      const human = await server.cli('status');
      assert.equal(human.code, 0, human.stderr);
      assert.match(
        human.stdout,
        /last error .*cannot read the server's structure: the tmux server on .* did not answer/,
      );
      assert.ok(alive(daemon), 'the daemon is still alive');
      assert.equal(await daemonPid(files), daemon, 'the same daemon answers');
      assert.match(
        await readFile(files.logPath, 'utf8'),
        /\[ERR\] .*did not answer `tmux list-panes` within 2 s/,
      );

      continueServer(serverPid);
      await server.tmux('new-window', '-t', '=work:', '-n', 'after-the-stop');
      await waitFor(
        async () => {
          const status = await daemonStatus(files);
          return status?.lastError === null && (status.laps ?? 0) > laps;
        },
        15_000,
        'the daemon to work again',
      );
      await waitFor(
        async () => {
          const last = await newestSaveIn(server.saveDirectory);
          return (
            last !== undefined &&
            (await readFile(join(server.saveDirectory, last), 'utf8')).includes('after-the-stop')
          );
        },
        15_000,
        'the change made after SIGCONT to be saved',
      );
      assert.equal(await daemonPid(files), daemon, 'the same daemon carried on');
      assert.match(await server.tmux('show-options', '-gv', '@continuum-status'), /^saved \d\d:\d\d/);
    },
  );
});
