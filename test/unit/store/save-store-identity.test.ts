import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { defaultRetention } from '../../../src/store/retention.js';
import { SaveStore } from '../../../src/store/save-store.js';
import { session, snapshot } from '../../support/snapshots.js';

const day = (number: number) => new Date(Date.UTC(2026, 0, number)).toISOString();

describe('a save directory shared by two servers', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const policy = { ...defaultRetention, maximumAgeDays: 1 };
  const storeOf = (name: string) => new SaveStore(directory, namedServerIdentity(name));
  const save = (name: string, dayNumber: number, pid: number) =>
    snapshot({
      savedAt: day(dayNumber),
      server: { pid, startTime: 1795522571 + pid, socketPath: `/tmp/tmux-1000/${name}` },
      sessions: [session({ id: '$1', name: `${name}-${dayNumber}` })],
    });

  it('retention deletes only its own server’s saves; newest and unchanged checks see only its own', async () => {
    const now = new Date(Date.UTC(2026, 5, 1));
    const play = storeOf('play');
    // One lifetime: the newest save of each lifetime is always kept, whatever its age.
    for (const dayNumber of [1, 2, 3]) await play.write(save('play', dayNumber, 7), policy, now);
    const playFiles = (await readdir(directory)).sort();
    assert.equal(playFiles.length, 1, 'play keeps only its newest of one lifetime');

    const workStore = storeOf('work');
    assert.equal(await workStore.newestSaveName(), undefined);
    await assert.rejects(workStore.load(), /no save of -L work found/);
    for (const dayNumber of [4, 5, 6]) await workStore.write(save('work', dayNumber, 9), policy, now);
    const files = await readdir(directory);
    assert.ok(
      playFiles.every((name) => files.includes(name)),
      'work’s retention left play’s saves alone',
    );
    assert.equal(files.length, 2);
    assert.match((await workStore.load()).snapshot.sessions[0]!.name, /^work-6$/);
    assert.match((await play.load()).snapshot.sessions[0]!.name, /^play-3$/);
    // The same structure as play's newest, but work never saved it: written, not "unchanged".
    const same = { ...save('play', 3, 9), server: save('work', 7, 9).server };
    assert.equal((await workStore.write(same, policy, now)).result, 'written');
  });

  it('never writes, follows or deletes a `last` it finds', async () => {
    await writeFile(join(directory, 'tmux_resurrect_20250101T120000.txt'), 'theirs\n');
    await symlink('tmux_resurrect_20250101T120000.txt', join(directory, 'last'));
    const store = storeOf('work');
    const now = new Date(Date.UTC(2026, 0, 10));
    await store.write(save('work', 8, 9), policy, now);
    await store.write(save('work', 9, 9), policy, now);
    assert.equal(await readlink(join(directory, 'last')), 'tmux_resurrect_20250101T120000.txt');
    assert.equal(await readFile(join(directory, 'tmux_resurrect_20250101T120000.txt'), 'utf8'), 'theirs\n');
    assert.match((await store.load('last')).snapshot.sessions[0]!.name, /^work-9$/);
  });
});
