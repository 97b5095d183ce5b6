import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startWithConfig } from '../fixtures/live-server.js';
import { newestSaveIn, TestServer } from '../helpers/tmux-server.js';

/** A tmux config line setting an option to a value, quoted for tmux's parser. */
const setOption = (name: string, value: string): string =>
  `set -g ${name} '${value.replaceAll("'", `'\\''`)}'`;

describe('hooks run at tmux-resurrect hook points', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('save and restore hooks run in order with the save path; a failing one is reported and not fatal', async () => {
    const log = join(server.root, 'hooks.log');
    const record = (point: string): string =>
      `printf '%s %s|%s\\n' ${point} "$CONTINUUM_SAVE_FILE" >> '${log}'; printf '%s\\n'`;
    await startWithConfig(server, [
      setOption('@resurrect-hook-post-save-layout', `${record('post-save-layout')} >> '${log}'`),
      setOption('@resurrect-hook-post-save-all', record('post-save-all')),
    ]);
    await server.tmux('new-session', '-d', '-s', 'hooked');
    await server.tmux('kill-session', '-t', '=0');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const savePath = join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!);
    assert.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), [
      `post-save-layout ${savePath}|`,
      // post-save-layout gets the save file as its argument, as with tmux-resurrect.
      savePath,
      `post-save-all ${savePath}|`,
    ]);

    await server.kill();
    await startWithConfig(server, [
      setOption('@resurrect-hook-pre-restore-all', record('pre-restore-all')),
      setOption(
        '@resurrect-hook-pre-restore-pane-processes',
        `${record('pre-restore-pane-processes')}; exit 7`,
      ),
      setOption('@resurrect-hook-post-restore-all', record('post-restore-all')),
    ]);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stderr,
      /@resurrect-hook-pre-restore-pane-processes exited with code 7 \(the restore went on\)/,
    );
    assert.match(restored.stdout, /restored 1 session/);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').slice(3);
    assert.deepEqual(lines, [
      `pre-restore-all ${savePath}|`,
      `pre-restore-pane-processes ${savePath}|`,
      `post-restore-all ${savePath}|`,
    ]);
    assert.match(await server.tmux('list-sessions', '-F', '#{session_name}'), /^hooked$/m);
  });
});
