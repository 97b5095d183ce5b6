import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { allFiles, listed, restartFresh, saveFiles, succeeded } from '../support/cli-saves.js';
import { startWithConfig } from '../support/live-server.js';
import { TestServer } from '../support/tmux-server.js';

describe('continuum delete', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('removes a save with its pane contents, and keeps the newest save of an earlier server unless forced', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('first');
    succeeded(await server.cli('save'));
    await server.tmux('new-window', '-d', '-t', '=first:');
    succeeded(await server.cli('save'));
    await restartFresh(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('second');
    succeeded(await server.cli('save'));
    await server.tmux('new-window', '-d', '-t', '=second:');
    succeeded(await server.cli('save'));
    const before = await listed(server);
    assert.equal(before.length, 4);
    assert.ok(before.every((save) => save.hasContents));
    const contentsOf = (name: string): string => name.replace(/\.json$/, '.contents.json.gz');
    assert.equal((await allFiles(server)).length, 8);

    // 3 is the newest save of the earlier server: what restores its sessions after a restart.
    const refused = await server.cli('delete', '2', '3');
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stderr.split('\n').filter(Boolean).length, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /is the newest save of the server that started .*nothing was deleted — add --force/,
    );
    assert.equal((await allFiles(server)).length, 8);

    // 2 and 4 at once: both resolved before either is gone (numbers shift as saves go).
    const deleted = succeeded(await server.cli('delete', '2', '4'));
    assert.deepEqual(deleted.split('\n').filter(Boolean), [
      `deleted ${before[1]!.name.replace(/\.json$/, '')} and its pane contents`,
      `deleted ${before[3]!.name.replace(/\.json$/, '')} and its pane contents`,
    ]);
    const expected = [before[0]!.name, before[2]!.name];
    assert.deepEqual(await allFiles(server), [...expected, ...expected.map(contentsOf)].sort());

    // Now 2 is the earlier server's only save.
    assert.equal((await server.cli('delete', '2')).code, 1);
    succeeded(await server.cli('delete', '--force', '2'));
    assert.deepEqual(await allFiles(server), [before[0]!.name, contentsOf(before[0]!.name)].sort());
  });

  it('refuses names that are no save of the directory, and deletes nothing then', async () => {
    await server.start();
    succeeded(await server.cli('save'));
    const [saveName] = await saveFiles(server);
    await writeFile(join(server.saveDirectory, 'last'), 'tmux-resurrect\n');
    const elsewhere = join(server.root, 'copy.json');
    await writeFile(elsewhere, await readFile(join(server.saveDirectory, saveName!)));

    const cases: [string[], number, RegExp][] = [
      [['no-such-save'], 5, /no save named "no-such-save"/],
      [['1', '7'], 5, /no save number 7/],
      [[join(server.saveDirectory, 'last')], 2, /is not a continuum save in /],
      [[elsewhere], 2, /is not a continuum save in /],
      [[], 2, /delete needs the saves to delete/],
    ];
    for (const [args, code, message] of cases) {
      const result = await server.cli('delete', ...args);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
    }
    assert.deepEqual(await allFiles(server), [saveName!, 'last'].sort());
    assert.equal(
      await readFile(elsewhere, 'utf8'),
      await readFile(join(server.saveDirectory, saveName!), 'utf8'),
    );
  });
});
