import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type ListedSave, listed, restartFresh, saveFiles, succeeded } from '../support/cli-saves.js';
import { startWithConfig } from '../support/live-server.js';
import { TestServer } from '../support/tmux-server.js';

describe('continuum list', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('numbers the saves newest first, groups them by server lifetime, marks contents and the one restore uses', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('work');
    succeeded(await server.cli('save'));
    await server.tmux('set', '-g', '@resurrect-capture-pane-contents', 'off');
    await server.tmux('new-window', '-d', '-t', '=work:');
    succeeded(await server.cli('save'));
    await restartFresh(server);
    await server.newSession('after');
    succeeded(await server.cli('save'));

    const saves = await listed(server);
    assert.deepEqual(
      saves.map((save) => [save.number, save.current, save.hasContents, save.counts?.sessions]),
      [
        [1, true, false, 2],
        [2, false, false, 2],
        [3, false, true, 2],
      ],
    );
    const [newest, middle, oldest] = saves as [ListedSave, ListedSave, ListedSave];
    assert.equal(middle.lifetime.id, oldest.lifetime.id);
    assert.notEqual(newest.lifetime.id, middle.lifetime.id);
    assert.deepEqual(await saveFiles(server), saves.map((save) => save.name).sort());

    const lines = succeeded(await server.cli('list'))
      .split('\n')
      .filter(Boolean);
    assert.equal(lines.length, 1 + 2 + 3, lines.join('\n'));
    // A header line before each lifetime: the restart is visible where it happened.
    const headers = lines.flatMap((line, index) => (line.startsWith('— server started ') ? [index] : []));
    assert.deepEqual(headers, [1, 3]);
    assert.match(lines[1]!, new RegExp(`\\(pid ${newest.lifetime.pid}\\) —$`));
    assert.match(lines[3]!, new RegExp(`\\(pid ${oldest.lifetime.pid}\\) —$`));
    assert.match(lines[2]!, /^\* {2}1 {2}\d\d:\d\d, \d+ s ago +2 sessions, 2 windows, 2 panes$/);
    assert.match(lines[4]!, /^ {3}2 {2}.* 2 sessions, 3 windows, 3 panes$/);
    assert.match(lines[5]!, /^ {3}3 {2}.* 2 sessions, 2 windows, 2 panes {2}contents$/);
    // Past the first line, which names the directory.
    for (const line of lines.slice(1)) assert.ok([...line].length <= 80, line);
  });
});
