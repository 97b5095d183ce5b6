import assert from 'node:assert/strict';
import { mkdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { startWithConfig } from '../fixtures/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../helpers/tmux-server.js';

async function lastSnapshot(server: TestServer): Promise<Snapshot> {
  const name = (await newestSaveIn(server.saveDirectory))!;
  return JSON.parse(await readFile(join(server.saveDirectory, name), 'utf8')) as Snapshot;
}

describe('what a save keeps of a pane', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('a removed directory is saved without " (deleted)", and the pane starts there when it exists again', async () => {
    const directory = join(server.home, 'project (x)');
    await mkdir(directory);
    await server.newSession('gone', { cwd: directory });
    await waitFor(
      async () =>
        (await server.tmux('display-message', '-p', '-t', '=gone:', '#{pane_current_path}')).trim() ===
        directory,
      5000,
      'the pane in its directory',
    );
    await rmdir(directory);
    // What tmux shows for it now (Linux's readlink of /proc/PID/cwd).
    assert.equal(
      (await server.tmux('display-message', '-p', '-t', '=gone:', '#{pane_current_path}')).trim(),
      `${directory} (deleted)`,
    );
    assert.equal((await server.cli('save')).code, 0);
    assert.equal(
      (await lastSnapshot(server)).sessions.find((session) => session.name === 'gone')!.windows[0]!.panes[0]!
        .cwd,
      directory,
    );

    await mkdir(directory);
    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.doesNotMatch(restored.stderr, /no longer exists/);
    assert.equal(
      (await server.tmux('display-message', '-p', '-t', '=gone:', '#{pane_current_path}')).trim(),
      directory,
    );
  });
});
