import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SnapshotReadError } from '../../../src/errors.js';
import {
  importTmuxResurrectSaves,
  type TmuxResurrectImportEvent,
} from '../../../src/import/import-tmux-resurrect-saves.js';
import { findTmuxResurrectSaves } from '../../../src/import/tmux-resurrect-sources.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { SaveStore } from '../../../src/store/save-store.js';
import { sampleSave } from '../../support/tmux-resurrect-saves.js';

const good = 'tmux_resurrect_20260102T030405.txt';
const unusable = 'tmux_resurrect_20260103T030405.txt';
const socketPath = '/tmp/tmux-1000/default';

/** Every event of one run, as `kind file` (the outcome's result for an import), and what ended it. */
async function run(
  path: string,
  store: SaveStore | undefined,
): Promise<{ events: string[]; ended: unknown }> {
  const sources = await findTmuxResurrectSaves(path);
  const events: string[] = [];
  const describe = (event: TmuxResurrectImportEvent): string =>
    `${event.kind}${event.kind === 'imported' ? `:${event.outcome.result}` : ''} ${basename(event.file)}`;
  try {
    for await (const event of importTmuxResurrectSaves(path, sources, {
      socketPath,
      paneContentFiles: undefined,
      store,
    }))
      events.push(describe(event));
  } catch (error) {
    return { events, ended: error };
  }
  return { events, ended: undefined };
}

describe('importTmuxResurrectSaves: one event per file, in order, and a failure at the end', () => {
  let directory: string;
  let saves: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-import-run-'));
    saves = join(directory, 'resurrect');
    await mkdir(saves);
    await writeFile(join(saves, good), sampleSave({ spaced: '/a b', plain: '/tmp' }));
    // No line of a known type: no usable session.
    await writeFile(join(saves, unusable), 'nothing\there\n');
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('a dry run converts each save, writes nothing, and ends naming the save it could not import', async () => {
    const { events, ended } = await run(saves, undefined);
    assert.deepEqual(events, [`converted ${good}`, `rejected ${unusable}`]);
    assert.ok(ended instanceof SnapshotReadError);
    assert.equal(ended.path, join(saves, unusable));
    assert.match(ended.message, /: not imported$/);
  });

  it('an import writes the good save once, and a second import finds it there', async () => {
    const store = new SaveStore(join(directory, 'store'), namedServerIdentity('work'));
    const first = await run(saves, store);
    assert.deepEqual(first.events, [`converted ${good}`, `imported:written ${good}`, `rejected ${unusable}`]);
    assert.ok(first.ended instanceof SnapshotReadError);
    assert.equal((await readdir(store.directory)).filter((name) => name.endsWith('.json')).length, 1);
    const second = await run(saves, store);
    assert.deepEqual(second.events, [
      `converted ${good}`,
      `imported:unchanged ${good}`,
      `rejected ${unusable}`,
    ]);
    assert.equal((await readdir(store.directory)).filter((name) => name.endsWith('.json')).length, 1);
  });

  it('a directory without saves ends with "holds no tmux_resurrect_*.txt save" and no event', async () => {
    const empty = join(directory, 'empty');
    await mkdir(empty);
    const { events, ended } = await run(empty, undefined);
    assert.deepEqual(events, []);
    assert.ok(ended instanceof SnapshotReadError);
    assert.match(ended.message, /holds no tmux_resurrect_\*\.txt save/);
  });
});
