import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createDaemonTestServer, daemonFilesOf, daemonStatus, disposeWithDaemon } from '../support/daemon.js';
import { type TestServer, waitFor } from '../support/tmux-server.js';

/** Debian's libfaketime (`apt-get install faketime`): moves the wall clock of the processes it is preloaded into. */
const libfaketime = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
].find((path) => existsSync(path));

const skip = libfaketime === undefined ? 'needs libfaketime (apt-get install faketime)' : false;

/** The save files of a directory that hold `text`. */
async function savesHolding(directory: string, text: string): Promise<string[]> {
  const names = (await readdir(directory).catch(() => [] as string[])).filter((name) =>
    /^continuum-.*\.json$/.test(name),
  );
  const found: string[] = [];
  for (const name of names) {
    if ((await readFile(join(directory, name), 'utf8').catch(() => '')).includes(text)) found.push(name);
  }
  return found;
}

describe('a wall clock that jumps a year ahead and back', { skip }, () => {
  let server: TestServer;
  let clock: string;
  beforeEach(async () => {
    server = await createDaemonTestServer();
    // Every process of the test's server (tmux, the CLI, the daemon) reads its wall clock as the
    // offset in this file says, at every reading; the monotonic clock stays true.
    clock = join(server.root, 'clock');
    await writeFile(clock, '+0\n');
    Object.assign(server.environment, {
      LD_PRELOAD: libfaketime,
      FAKETIME_TIMESTAMP_FILE: clock,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    });
  });
  afterEach(async () => {
    await writeFile(clock, '+0\n');
    await disposeWithDaemon(server);
  });

  it('keeps every lifetime, restores the real latest state, and schedules the next full save from now', async () => {
    // Two earlier server lifetimes, one save each.
    for (const name of ['first-lifetime', 'second-lifetime']) {
      await server.start(name);
      assert.equal((await server.cli('save')).code, 0);
      await server.kill();
    }
    const [firstLifetimeSave] = await savesHolding(server.saveDirectory, 'first-lifetime');
    assert.ok(firstLifetimeSave !== undefined);

    await server.start('work');
    // A save of this lifetime first: the daemon does not record a fresh server's first session
    // over an earlier lifetime's save (the bootstrap guard).
    assert.equal((await server.cli('save')).code, 0);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    /** A window the daemon must save by itself, under whatever the clock file says now. */
    const addWindowAndWaitForItsSave = async (name: string): Promise<void> => {
      await server.tmux('new-window', '-t', '=work:', '-n', name);
      try {
        await waitFor(
          async () => (await savesHolding(server.saveDirectory, name)).length > 0,
          30_000,
          `the daemon's save of ${name}`,
        );
      } catch (error) {
        // What the daemon did meanwhile says why (a CI run once timed out here after 15 s).
        const { logPath } = await daemonFilesOf(server);
        const log = await readFile(logPath, 'utf8').catch(() => '(no daemon log)');
        throw new Error(
          `${(error as Error).message}\nthe daemon's log ends:\n${log.split('\n').slice(-25).join('\n')}`,
        );
      }
    };
    await writeFile(clock, '+365d\n');
    await addWindowAndWaitForItsSave('during-jump');
    await writeFile(clock, '+0\n');
    await addWindowAndWaitForItsSave('after-jump');

    // Retention, run a year ahead, left the first lifetime's newest save.
    assert.ok(
      existsSync(join(server.saveDirectory, firstLifetimeSave)),
      `${firstLifetimeSave} is still there: ${(await readdir(server.saveDirectory)).join(', ')}`,
    );
    // `diff` (like `restore`) takes the save made last as the newest, not the one stamped latest.
    const diff = await server.cli('diff');
    assert.equal(diff.code, 0, `diff against the newest save: ${diff.stdout}${diff.stderr}`);
    const list = await server.cli('list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /in the future/);
    const status = await daemonStatus(await daemonFilesOf(server));
    assert.ok(status?.nextFullSaveAt, 'a full save is scheduled');
    const untilNext = new Date(status.nextFullSaveAt).getTime() - Date.now();
    assert.ok(untilNext <= 16 * 60_000, `the next full save is ${Math.round(untilNext / 60_000)} min away`);
  });
});
