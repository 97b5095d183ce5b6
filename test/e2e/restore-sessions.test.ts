import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { readSnapshotFile } from '../../src/store/save-store.js';
import { restartFresh, saveFiles, succeeded } from '../support/cli-saves.js';
import { captureSnapshot, listIds } from '../support/live-server.js';
import { TestServer } from '../support/tmux-server.js';

describe('continuum restore --session', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('restores only the sessions named, exactly, and a second run plans nothing', async () => {
    await server.start();
    for (const name of ['keep', 'other', 'third']) {
      await server.tmux('new-session', '-d', '-s', name, '-n', `${name} one`, '-x', '100', '-y', '30');
      await server.tmux('split-window', '-h', '-t', `=${name}:0`);
      await server.tmux('new-window', '-d', '-t', `=${name}:3`, '-n', `${name} two`);
      await server.tmux('split-window', '-v', '-t', `=${name}:3`);
    }
    await server.tmux('kill-session', '-t', '=0');
    succeeded(await server.cli('save'));
    const [saveName] = await saveFiles(server);
    const saved = await readSnapshotFile(join(server.saveDirectory, saveName!));
    const savedKeep = snapshotStructure(saved).sessions.find((session) => session.name === 'keep');

    await restartFresh(server);
    const unknown = await server.cli('restore', '--session', 'keep', '--session', 'nope');
    assert.equal(unknown.code, 5, unknown.stderr);
    assert.match(unknown.stderr, /holds no session "nope"; it holds "keep", "other", "third"/);
    assert.equal(unknown.stderr.split('\n').filter(Boolean).length, 1);
    assert.deepEqual(
      (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean),
      ['0'],
    );

    const restored = succeeded(await server.cli('restore', '--session', 'keep'));
    assert.match(restored, /^restored 1 session and 2 windows from /);
    const live = snapshotStructure(await captureSnapshot(server));
    // --session touches only what it restores: the fresh server's own session stays (docs/restore.md).
    assert.deepEqual(
      live.sessions.map((session) => session.name),
      ['0', 'keep'],
    );
    assert.deepEqual(
      live.sessions.find((session) => session.name === 'keep'),
      savedKeep,
    );

    const ids = await listIds(server);
    const planned = succeeded(await server.cli('restore', '--dry-run', '--session', 'keep'));
    assert.match(planned, /\(0 actions\):\n$/);
    const again = succeeded(await server.cli('restore', '--session', 'keep'));
    assert.match(again, /^nothing to restore/);
    assert.equal(await listIds(server), ids);

    // The rest of the save is still there to restore.
    succeeded(await server.cli('restore', '--session', 'third', '1'));
    assert.deepEqual(
      snapshotStructure(await captureSnapshot(server)).sessions.map((session) => session.name),
      ['0', 'keep', 'third'],
    );
  });
});
