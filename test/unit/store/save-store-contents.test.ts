import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { readPaneContentsFile } from '../../../src/store/pane-contents-file.js';
import { defaultRetention } from '../../../src/store/retention.js';
import { SaveStore } from '../../../src/store/save-store.js';
import { session, snapshot } from '../../support/snapshots.js';

describe('saves with pane contents', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const at = (day: number) =>
    snapshot({
      savedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
      sessions: [session({ id: '$1', name: 'dev' })],
    });
  // Saves on January 1st, 3rd and 4th seen on the 4th at 00:30 with a two-day limit: the 1st goes.
  const policy = { ...defaultRetention, maximumAgeDays: 2 };

  it('stores contents beside the save, 0600, writes again when only the text changed, and deletes them with the save', async () => {
    const store = new SaveStore(directory, namedServerIdentity('work'));
    const now = new Date(Date.UTC(2026, 0, 4, 0, 30));
    const first = await store.write(at(1), policy, now, new Map([['%1', 'one\n']]));
    assert.equal(first.result, 'written');
    const loaded = await store.load();
    assert.ok(loaded.snapshot.paneContents);
    const contentsPath = join(directory, loaded.snapshot.paneContents.file);
    assert.equal((await stat(contentsPath)).mode & 0o777, 0o600);
    assert.deepEqual(await readPaneContentsFile(contentsPath), new Map([['%1', 'one\n']]));

    assert.equal((await store.write(at(2), policy, now, new Map([['%1', 'one\n']]))).result, 'unchanged');
    assert.equal((await store.write(at(3), policy, now, new Map([['%1', 'two\n']]))).result, 'written');
    assert.equal((await store.write(at(4), policy, now, new Map([['%1', 'three\n']]))).result, 'written');
    const files = await readdir(directory);
    // The oldest save (past two days, not the newest) went, and its contents with it.
    assert.equal(files.filter((name) => name.endsWith('.contents.json.gz')).length, 2);
    assert.equal(files.filter((name) => /\d\.json$/.test(name)).length, 2);
    assert.ok(!files.includes(loaded.snapshot.paneContents.file));
  });
});
