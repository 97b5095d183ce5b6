import assert from 'node:assert/strict';
import { chown, lutimes, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { removeStaleTemporaryFiles } from '../../../src/store/temporary-files.js';

const save = 'continuum-2026-11-24T12-00-00-000Z-server-1795522571-4242';
const deadPid = 111;
const livePid = 222;
const isProcessAlive = (pid: number) => pid === livePid;

describe('removeStaleTemporaryFiles', () => {
  let root: string;
  let saves: string;
  let temporary: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    saves = join(root, 'saves');
    temporary = join(root, 'tmp');
    await mkdir(saves);
    await mkdir(temporary);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Files `minutesOld` minutes old. */
  async function files(directory: string, names: readonly string[], minutesOld = 0): Promise<void> {
    const time = new Date(Date.now() - minutesOld * 60_000);
    for (const name of names) {
      await writeFile(join(directory, name), 'leftover');
      await utimes(join(directory, name), time, time);
    }
  }

  async function scriptDirectory(
    name: string,
    minutesOld: number,
    entries = ['restore.tmux'],
  ): Promise<void> {
    await mkdir(join(temporary, name));
    await files(join(temporary, name), entries, minutesOld);
    const time = new Date(Date.now() - minutesOld * 60_000);
    await utimes(join(temporary, name), time, time);
  }

  const clean = () => removeStaleTemporaryFiles(saves, { temporaryDirectory: temporary, isProcessAlive });

  it('removes our temporary files whose writer is dead, or which are old, and nothing else', async () => {
    await files(saves, [
      `${save}.json`,
      'last',
      `.continuum-tmp-${deadPid}-0123456789ab`, // writer killed a moment ago
      `.continuum-tmp-${livePid}-0123456789ab`, // being written right now
      'tmux_resurrect_20261124T120000.txt',
      'pane_contents.tar.gz',
      `.continuum-tmp-${deadPid}-notours`,
    ]);
    await files(saves, [`.continuum-tmp-${livePid}-ba9876543210`], 10); // a live pid reused long after
    assert.deepEqual((await clean()).sort(), [
      join(saves, `.continuum-tmp-${deadPid}-0123456789ab`),
      join(saves, `.continuum-tmp-${livePid}-ba9876543210`),
    ]);
    assert.deepEqual((await readdir(saves)).sort(), [
      `.continuum-tmp-${deadPid}-notours`,
      `.continuum-tmp-${livePid}-0123456789ab`,
      `${save}.json`,
      'last',
      'pane_contents.tar.gz',
      'tmux_resurrect_20261124T120000.txt',
    ]);
  });

  it("removes write-file-atomic's old temporary names once they are a few minutes old", async () => {
    // Their suffix is a hash, not a pid: an older continuum may be writing one right now.
    await files(saves, [`${save}.json.3141592653`, 'last.2718281828', `${save}.contents.json.gz.42`], 10);
    await files(saves, ['last.1234'], 0);
    await files(saves, ['last.bak', 'last.1234.orig', 'notes.json.12', 'tmux_resurrect_x.txt.99'], 10);
    await clean();
    assert.deepEqual((await readdir(saves)).sort(), [
      'last.1234',
      'last.1234.orig',
      'last.bak',
      'notes.json.12',
      'tmux_resurrect_x.txt.99',
    ]);
  });

  it('removes an old pane contents file whose save was never written', async () => {
    const other = 'continuum-2026-11-24T11-00-00-000Z-server-1795522571-4242';
    await files(saves, [`${save}.json`, `${save}.contents.json.gz`, `${other}.contents.json.gz`], 10);
    const fresh = 'continuum-2026-11-24T12-30-00-000Z-server-1795522571-4242.contents.json.gz';
    await files(saves, [fresh]); // its save is being written now
    await clean();
    assert.deepEqual(
      (await readdir(saves)).sort(),
      [`${save}.contents.json.gz`, `${save}.json`, fresh].sort(),
    );
  });

  it('leaves links, directories and other users’ files alone, whatever their names', async (t) => {
    const target = join(root, 'precious');
    await writeFile(target, 'keep');
    await symlink(target, join(saves, `.continuum-tmp-${deadPid}-0123456789ab`));
    await mkdir(join(saves, `.continuum-tmp-${deadPid}-ba9876543210`));
    await symlink(target, join(saves, 'last.1'));
    const old = new Date(Date.now() - 10 * 60_000);
    await lutimes(join(saves, 'last.1'), old, old);
    if (process.getuid?.() === 0) {
      await files(saves, [`.continuum-tmp-${deadPid}-aaaaaaaaaaaa`]);
      await chown(join(saves, `.continuum-tmp-${deadPid}-aaaaaaaaaaaa`), 65534, 65534);
    } else t.diagnostic('not root: the other-owner case is not covered');
    assert.deepEqual(await clean(), []);
    assert.equal((await readdir(saves)).length, process.getuid?.() === 0 ? 4 : 3);
  });

  it('removes script directories of dead or old restores, never a directory that holds more', async () => {
    await scriptDirectory(`continuum-script-${deadPid}-AbC123`, 0);
    await scriptDirectory(`continuum-script-${deadPid}-XyZ789`, 0, []); // killed before writing it
    await scriptDirectory(`continuum-script-${livePid}-AbC123`, 0); // a restore running now
    await scriptDirectory(`continuum-script-${livePid}-old123`, 10);
    await scriptDirectory('continuum-k3J9qZ', 10); // before the pid was in the name
    await scriptDirectory('continuum-n0w000', 0);
    await scriptDirectory('continuum-a1b2c3', 10, ['restore.tmux', 'notes.txt']);
    await scriptDirectory('continuum-d4e5f6', 10, []);
    await scriptDirectory('continuum-test-k3J9qZ', 10);
    await scriptDirectory(`continuum-script-${deadPid}-Other1`, 0, ['restore.tmux', 'other']);
    await clean();
    assert.deepEqual((await readdir(temporary)).sort(), [
      'continuum-a1b2c3',
      'continuum-d4e5f6',
      'continuum-n0w000',
      `continuum-script-${deadPid}-Other1`,
      `continuum-script-${livePid}-AbC123`,
      'continuum-test-k3J9qZ',
    ]);
  });

  it('reports nothing for a save directory that does not exist yet', async () => {
    assert.deepEqual(
      await removeStaleTemporaryFiles(join(root, 'missing'), { temporaryDirectory: join(root, 'none') }),
      [],
    );
  });
});
