import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDaemonTestServer, daemonFilesOf, disposeWithDaemon, stopDaemon } from '../support/daemon.js';
import { attachControlClient } from '../support/live-server.js';
import { sampleSave } from '../support/tmux-resurrect-saves.js';
import type { TestServer } from '../support/tmux-server.js';

describe('continuum init offers the import of tmux-resurrect saves once', () => {
  let server: TestServer;
  before(async () => {
    server = await createDaemonTestServer();
    const resurrect = join(server.home, '.local', 'share', 'tmux', 'resurrect');
    await mkdir(resurrect, { recursive: true });
    await writeFile(
      join(resurrect, 'tmux_resurrect_20260301T080000.txt'),
      sampleSave({ spaced: '/', plain: '/' }),
    );
  });
  after(async () => {
    await disposeWithDaemon(server);
  });

  it('waits for a client to show it to, shows it once, and remembers that in the state directory', async () => {
    const resurrect = join(server.home, '.local', 'share', 'tmux', 'resurrect');
    const marker = join(server.home, '.local', 'state', 'continuum', 'tmux-resurrect-import-offered');
    await server.start('work');
    // No client attached: nothing can be shown, so nothing is remembered.
    const unseen = await server.cli('init', '--verbose');
    assert.equal(unseen.code, 0, unseen.stderr);
    await assert.rejects(readFile(marker), { code: 'ENOENT' });

    // A second server lifetime: no continuum save of it yet, and a client to tell.
    await stopDaemon(await daemonFilesOf(server));
    await rm(server.saveDirectory, { recursive: true, force: true });
    const client = await attachControlClient(server, '=work');
    try {
      const shown = await server.cli('init', '--verbose');
      assert.equal(shown.code, 0, shown.stderr);
      assert.ok(
        shown.stdout.includes(`bring them along with \`continuum import ${resurrect}\``),
        shown.stdout,
      );
      assert.match(await readFile(marker, 'utf8'), new RegExp(`${resurrect}\\n$`));
      await stopDaemon(await daemonFilesOf(server));
      await rm(server.saveDirectory, { recursive: true, force: true });
      const again = await server.cli('init', '--verbose');
      assert.equal(again.code, 0, again.stderr);
      assert.ok(!again.stdout.includes('continuum import'), again.stdout);
    } finally {
      await client.close();
    }
  });
});
