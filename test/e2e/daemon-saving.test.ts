import assert from 'node:assert/strict';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DaemonFiles } from '../../src/daemon/daemon-files.js';
import { createDaemonTestServer, daemonFilesOf, daemonStatus, disposeWithDaemon } from '../support/daemon.js';
import { newestSaveIn, type TestServer, waitFor } from '../support/tmux-server.js';

async function newestSaveText(directory: string): Promise<string> {
  const name = (await newestSaveIn(directory)) ?? '';
  return name === '' ? '' : readFile(join(directory, name), 'utf8').catch(() => '');
}

async function lapsOf(files: DaemonFiles): Promise<number> {
  return (await daemonStatus(files))?.laps ?? 0;
}

/** Waits until the daemon has started `count` more laps than now. */
async function waitLaps(files: DaemonFiles, count: number): Promise<void> {
  const start = await lapsOf(files);
  await waitFor(async () => (await lapsOf(files)) >= start + count, 10_000, `${count} daemon laps`);
}

/** Lines of the daemon's log that match `pattern`. */
async function logLines(files: DaemonFiles, pattern: RegExp): Promise<string[]> {
  const log = await readFile(files.logPath, 'utf8').catch(() => '');
  return log.split('\n').filter((line) => pattern.test(line));
}

describe('when the daemon saves', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('retries a failed save on the next laps, without waiting for another change', async () => {
    await server.start('work');
    // A save directory under a regular file: mkdir fails with ENOTDIR, even for root.
    const blocker = join(server.root, 'not-a-directory');
    await writeFile(blocker, 'a file where the save directory should be\n');
    const directory = join(blocker, 'saves');
    await server.tmux('set-option', '-g', '@resurrect-dir', directory);
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitFor(async () => (await daemonStatus(files))?.lastError != null, 5000, 'the first save to fail');

    const changedAt = new Date().toISOString();
    await server.tmux('new-window', '-t', '=work:', '-n', 'made-while-failing');
    await waitFor(
      async () => {
        const error = (await daemonStatus(files))?.lastError;
        return (
          error != null &&
          error.at >= changedAt &&
          /save failed \(the structure changed\)/.test(error.message)
        );
      },
      5000,
      'the save of the change to fail',
    );

    // The directory becomes usable; the structure does not change again.
    await unlink(blocker);
    await waitFor(
      async () => (await newestSaveText(directory)).includes('made-while-failing'),
      5000,
      'the failed change to be saved by a later lap',
    );
    await waitFor(async () => (await daemonStatus(files))?.lastError === null, 5000, 'the error to clear');
    // However many laps retried, the same failure is logged once.
    assert.equal((await logLines(files, /save failed \(the structure changed\)/)).length, 1);
    assert.equal((await logLines(files, /saving works again/)).length, 1);
  });

  it('rate-limits saves while the structure keeps changing, and saves the final state once it stops', async () => {
    await server.start('work');
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await waitFor(async () => (await daemonStatus(files))?.lastSave != null, 5000, 'the first save');
    await waitLaps(files, 2);
    const changeSaves = /\[INF\].* saved .*\(the structure changed\)/;
    assert.deepEqual(await logLines(files, changeSaves), []);

    // A window that renames itself back and forth, each name held for three laps: long enough
    // that every name holds still for a whole lap, which alone used to earn it a save.
    const renames = 20;
    const lapsBefore = await lapsOf(files);
    for (let index = 0; index < renames; index += 1) {
      await server.tmux('rename-window', '-t', '=work:0', index % 2 === 0 ? 'churn-a' : 'churn-b');
      await waitLaps(files, 3);
    }
    const churnLaps = (await lapsOf(files)) - lapsBefore;
    await server.tmux('rename-window', '-t', '=work:0', 'churn-final');
    // After the churn, the last state is written within 12 laps (the policy's refill).
    await waitFor(
      async () => (await newestSaveText(server.saveDirectory)).includes('"churn-final"'),
      10_000,
      'the final state to be saved',
    );
    const saves = await logLines(files, changeSaves);
    // 3 prompt saves, then one per 12 laps, plus the final state (save-policy.ts).
    const bound = 3 + Math.ceil(churnLaps / 12) + 1;
    assert.ok(
      saves.length <= bound,
      `${saves.length} change-saves over ${churnLaps} laps of churn, at most ${bound} allowed:\n${saves.join('\n')}`,
    );
    assert.ok(saves.length >= 4, `saves still happen under churn:\n${saves.join('\n')}`);
  });
});
