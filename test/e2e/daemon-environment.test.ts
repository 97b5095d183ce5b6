import assert from 'node:assert/strict';
import { mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  createDaemonTestServer,
  daemonFilesOf,
  daemonProcesses,
  daemonStatus,
  disposeWithDaemon,
  waitForNoDaemonProcess,
} from '../support/daemon.js';
import { newestSaveIn, type TestServer, waitFor } from '../support/tmux-server.js';

/** A private runtime directory of the test's own, as logind makes /run/user/UID. */
async function withRuntimeDirectory(server: TestServer): Promise<string> {
  const runtime = join(server.root, 'runtime');
  await mkdir(runtime, { mode: 0o700 });
  server.environment.XDG_RUNTIME_DIR = runtime;
  return runtime;
}

async function newestSaveText(directory: string): Promise<string> {
  const name = await newestSaveIn(directory);
  return name === undefined ? '' : readFile(join(directory, name), 'utf8').catch(() => '');
}

async function waitForSaveHolding(server: TestServer, text: string): Promise<void> {
  await waitFor(
    async () => (await newestSaveText(server.saveDirectory)).includes(text),
    15_000,
    `a save holding ${text}`,
  );
}

describe('one daemon per server, whatever environment started it', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
    await withRuntimeDirectory(server);
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('finds the first daemon from an environment without XDG_RUNTIME_DIR, another HOME or another TMUX_TMPDIR', async () => {
    await server.start('work');
    const socketPath = join(server.root, 'tmux', `tmux-${process.getuid!()}`, server.socketName);
    // cron or `su`: no runtime directory.
    const withoutRuntime = { ...server.environment };
    delete withoutRuntime.XDG_RUNTIME_DIR;
    // Another HOME and state directory, and the socket directory reached through a symlink with -S.
    const otherHome = join(server.root, 'other-home');
    await mkdir(otherHome, { mode: 0o700 });
    await symlink(join(server.root, 'tmux'), join(server.root, 'tmux-link'));
    const elsewhere = {
      ...withoutRuntime,
      HOME: otherHome,
      XDG_STATE_HOME: join(otherHome, 'state'),
      XDG_DATA_HOME: join(otherHome, 'data'),
      TMUX_TMPDIR: join(server.root, 'elsewhere'),
    };
    const linkedSocket = join(server.root, 'tmux-link', `tmux-${process.getuid!()}`, server.socketName);

    const first = await server.cli('daemon', 'start');
    assert.equal(first.code, 0, first.stderr);
    const second = await server.cliRaw(['-L', server.socketName, 'daemon', 'start'], withoutRuntime);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already running/);
    const third = await server.cliRaw(['-S', linkedSocket, 'daemon', 'start'], elsewhere);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /already running/);
    // Losers exit once they see the winner: wait for the count to settle at one.
    await waitFor(async () => (await daemonProcesses(server)).length === 1, 10_000, 'one daemon process');

    const status = await server.cliRaw(['-S', socketPath, 'status'], elsewhere);
    assert.equal(status.code, 0, status.stderr);
    const stop = await server.cliRaw(['-S', linkedSocket, 'daemon', 'stop'], elsewhere);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /stopped the daemon/);
    await waitForNoDaemonProcess(server);
    // Nothing saves now, and the status line says so instead of the last save time.
    assert.equal(
      (await server.tmux('show-options', '-gqv', '@continuum-status')).trim(),
      'continuum: stopped',
    );
  });

  it('goes on saving after the runtime directory is removed, and `status` still finds it', async () => {
    await server.start('work');
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitForSaveHolding(server, 'work');
    // What systemd-logind does at the end of the last login.
    await rm(server.environment.XDG_RUNTIME_DIR!, { recursive: true, force: true });
    await server.tmux('new-window', '-t', '=work:', '-n', 'after-logout');
    await waitForSaveHolding(server, 'after-logout');
    const status = await server.cli('status');
    assert.equal(status.code, 0, status.stderr);
    assert.equal((await daemonProcesses(server)).length, 1);
  });

  it('takes its lease again when its socket file is deleted under it', async () => {
    await server.start('work');
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    const files = await daemonFilesOf(server);
    const pid = (await daemonStatus(files))?.pid;
    assert.ok(pid !== undefined);
    // A /tmp cleaner, or a user tidying up.
    await rm(files.leaseOptions.runtimeDirectory, { recursive: true, force: true });
    await waitFor(async () => (await daemonStatus(files))?.pid === pid, 10_000, 'the daemon to answer again');
    await server.tmux('new-window', '-t', '=work:', '-n', 'after-cleaning');
    await waitForSaveHolding(server, 'after-cleaning');
    const log = await readFile(files.logPath, 'utf8');
    assert.match(log, /was removed .*took it again/);
  });
});
