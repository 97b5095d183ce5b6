import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { createDaemonTestServer, daemonFilesOf, disposeWithDaemon } from '../support/daemon.js';
import { type TestServer, waitFor } from '../support/tmux-server.js';

/** The pid of a process that has exited and been reaped: what a restore killed by SIGKILL leaves. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  const pid = child.pid!;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

const marker = async (server: TestServer): Promise<string> =>
  (await server.tmux('show-options', '-gqv', '@continuum-restoring')).trim();

describe('a @continuum-restoring left by a restore that is gone', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('stops no save for good: save and doctor say so, and the daemon unsets it once, in its log', async () => {
    await server.start('work');
    await server.tmux('set-option', '-g', '@continuum-restoring', String(await deadPid()));

    const saved = await server.cli('save');
    assert.equal(saved.code, exitCodes.busy, saved.stdout);
    assert.match(saved.stderr, /did not finish \(its process \d+ is gone\).*nothing was saved/);
    assert.deepEqual(await readdir(server.saveDirectory).catch(() => []), []);
    const doctor = await server.cli('doctor');
    assert.match(doctor.stdout, /✘ restore: @continuum-restoring is set by a restore that did not finish/);

    // A live process that is not continuum counts as gone too.
    const sleeper = spawn('sleep', ['60']);
    try {
      await server.tmux('set-option', '-g', '@continuum-restoring', String(sleeper.pid));
      const started = await server.cli('daemon', 'start');
      assert.equal(started.code, 0, started.stderr);
      await waitFor(async () => (await marker(server)) === '', 10_000, 'the daemon to unset the marker');
    } finally {
      sleeper.kill();
    }
    const files = await daemonFilesOf(server);
    await waitFor(
      async () => /saved /.test(await readFile(files.logPath, 'utf8').catch(() => '')),
      10_000,
      'a save',
    );
    const log = await readFile(files.logPath, 'utf8');
    assert.equal(log.match(/cleared @continuum-restoring/g)?.length, 1, log);
    assert.match(log, /no longer continuum/);
    assert.equal((await server.cli('save')).code, 0);
  });
});
