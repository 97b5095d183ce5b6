import assert from 'node:assert/strict';
import { readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { runShellArgument } from '../../src/integration/tmux-integration.js';
import { scriptLine } from '../../src/mux/script.js';
import {
  alive,
  createDaemonTestServer,
  daemonFilesOf,
  daemonPid,
  daemonStatus,
  disposeWithDaemon,
} from '../support/daemon.js';
import { startWithConfig } from '../support/live-server.js';
import { cliPath, newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

async function newestSaveText(server: TestServer): Promise<string> {
  const name = (await newestSaveIn(server.saveDirectory)) ?? '';
  return name === '' ? '' : readFile(join(server.saveDirectory, name), 'utf8');
}

describe('the auto-save daemon', () => {
  let server: TestServer;
  let others: TestServer[] = [];
  beforeEach(async () => {
    server = await createDaemonTestServer();
    others = [];
  });
  afterEach(async () => {
    for (const each of [server, ...others]) await disposeWithDaemon(each);
  });

  it('saves a structural change within seconds, and names its server in its process title', async () => {
    await server.start('work');
    const started = await server.cli('daemon', 'start');
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /started the daemon .* \(pid \d+\)/);
    const files = await daemonFilesOf(server);
    const pid = (await daemonPid(files))!;
    const title = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
    assert.match(title, new RegExp(`continuum daemon -L ${server.socketName}`));
    await waitFor(async () => (await newestSaveText(server)) !== '', 5000, 'the first save');
    await server.tmux('new-window', '-t', '=work:', '-n', 'added-later');
    await waitFor(
      async () => (await newestSaveText(server)).includes('added-later'),
      5000,
      'the change saved',
    );
    // The file is in place a moment before the daemon records the save it finished (hooks run
    // between), so its status is awaited, not read once.
    await waitFor(
      async () => (await daemonStatus(files))?.lastSave?.reason === 'the structure changed',
      5000,
      'the daemon to record the change save',
    );
    const status = (await daemonStatus(files))!;
    assert.equal(status.lastError, null);
    // The status-line option follows the saves.
    assert.match(await server.tmux('show-options', '-gv', '@continuum-status'), /^saved \d\d:\d\d/);
  });

  it('exits when its server is killed, and a restarted server gets a new daemon from its config', async () => {
    const config = [scriptLine(['run-shell', runShellArgument([process.execPath, cliPath, 'init'])])];
    await startWithConfig(server, config);
    const files = await daemonFilesOf(server);
    await waitFor(async () => (await daemonPid(files)) !== undefined, 10_000, 'init to start a daemon');
    const first = (await daemonPid(files))!;
    await server.kill();
    await waitFor(async () => !alive(first), 5000, 'the daemon to exit after its server');
    assert.equal(await daemonPid(files), undefined);
    assert.match(await readFile(files.logPath, 'utf8'), /daemon stopped: the tmux server on .* is gone/);
    await startWithConfig(server, config);
    await waitFor(async () => (await daemonPid(files)) !== undefined, 10_000, 'a daemon for the new server');
    assert.notEqual(await daemonPid(files), first);
  });

  it('exits, saying why, when its multiplexer program is gone', async () => {
    await server.start('work');
    // A --mux that works, then disappears (an uninstall, or a test directory removed).
    const tmux = join(server.root, 'vanishing-tmux');
    await writeFile(tmux, '#!/bin/sh\nexec tmux "$@"\n', { mode: 0o755 });
    const started = await server.cli('--mux', tmux, 'daemon', 'start');
    assert.equal(started.code, 0, started.stderr);
    const files = await daemonFilesOf(server);
    const pid = (await daemonPid(files))!;
    await unlink(tmux);
    await waitFor(async () => !alive(pid), 10_000, 'the daemon to exit without its multiplexer');
    assert.match(await readFile(files.logPath, 'utf8'), /daemon stopped: .*vanishing-tmux is not installed/);
  });

  it('reports a failed save in status and keeps running, then recovers', async () => {
    await server.start('work');
    const blocker = join(server.root, 'not-a-directory');
    await writeFile(blocker, 'a file where the save directory should be\n');
    await server.tmux('set-option', '-g', '@resurrect-dir', join(blocker, 'saves'));
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitFor(async () => (await daemonStatus(files))?.lastError != null, 5000, 'the failure to show');
    const human = await server.cli('status');
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /last error .*save failed.*not-a-directory/);
    assert.match(await server.tmux('show-options', '-gv', '@continuum-status'), /continuum: error/);
    const json = JSON.parse((await server.cli('status', '--json')).stdout) as { pid: number };
    assert.ok(alive(json.pid), 'the daemon is still alive');
    assert.match(await readFile(files.logPath, 'utf8'), /\[ERR\] \[PID \d+\] save failed/);
    await server.tmux('set-option', '-gu', '@resurrect-dir');
    await server.tmux('new-window', '-t', '=work:');
    await waitFor(async () => (await daemonStatus(files))?.lastError === null, 5000, 'saving to work again');
    assert.notEqual(await newestSaveText(server), '');
  });

  it('stops on request and on SIGHUP, and status then says there is none', async () => {
    await server.start('work');
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    const stopped = await server.cli('daemon', 'stop');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped the daemon/);
    assert.equal(await daemonPid(files), undefined);
    const none = await server.cli('status');
    assert.equal(none.code, exitCodes.noDaemon);
    assert.match(
      none.stderr,
      /no continuum daemon is running for .* — start it with `continuum -L \S+ daemon start`/,
    );
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    const pid = (await daemonPid(files))!;
    process.kill(pid, 'SIGHUP');
    await waitFor(async () => !alive(pid), 5000, 'the daemon to exit on SIGHUP');
    assert.equal(await daemonPid(files), undefined);
    assert.match(await readFile(files.logPath, 'utf8'), /daemon stopped: received SIGHUP/);
  });

  it('does not save with @continuum-save-interval 0', async () => {
    await server.start('work');
    await server.tmux('set-option', '-g', '@continuum-save-interval', '0');
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitFor(async () => ((await daemonStatus(files))?.laps ?? 0) >= 3, 5000, 'three laps');
    await server.tmux('new-window', '-t', '=work:');
    const laps = (await daemonStatus(files))!.laps;
    await waitFor(async () => ((await daemonStatus(files))?.laps ?? 0) >= laps + 3, 5000, 'three more laps');
    const status = (await daemonStatus(files))!;
    assert.equal(status.lastSave, null);
    assert.match(status.paused?.text ?? '', /@continuum-save-interval is 0/);
    assert.deepEqual(await readdir(server.saveDirectory).catch(() => []), []);
  });

  it('gives separate servers separate daemons and logs', async () => {
    const second = await TestServer.create();
    second.environment.CONTINUUM_DAEMON_POLL_MS = '200';
    others.push(second);
    await server.start('one');
    await second.start('two');
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    assert.equal((await second.cli('daemon', 'start')).code, 0);
    const [filesOne, filesTwo] = [await daemonFilesOf(server), await daemonFilesOf(second)];
    assert.notEqual(filesOne.logPath, filesTwo.logPath);
    const [one, two] = [await daemonPid(filesOne), await daemonPid(filesTwo)];
    assert.ok(one !== undefined && two !== undefined && one !== two);
    await second.kill();
    await waitFor(async () => !alive(two), 5000, 'the second daemon to exit');
    assert.equal(await daemonPid(filesOne), one, 'the first daemon is undisturbed');
  });
});
