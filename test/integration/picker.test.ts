import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { shellQuote } from '../../src/daemon/tmux-integration.js';
import { TestServer, waitFor } from '../helpers/tmux-server.js';
import { createDaemonTestServer, daemonFilesOf, disposeWithDaemon, stopDaemon } from './daemon-helpers.js';

/**
 * The picker in a real tmux popup. display-popup needs an attached client, so an "outer" private
 * server runs, in its pane, a real client attached to the "inner" server under test: keys go in
 * with `send-keys` to the outer pane and the screen of the inner client (the popup included) comes
 * back with `capture-pane` of the outer pane.
 */
describe('continuum pick in a tmux popup', () => {
  let inner: TestServer;
  let outer: TestServer;

  const screen = async (): Promise<string> => outer.tmux('capture-pane', '-p', '-t', '=outer:0.0');
  const waitForScreen = async (check: (text: string) => boolean, what: string): Promise<string> => {
    let last = '';
    try {
      await waitFor(
        async () => {
          last = await screen();
          return check(last);
        },
        10_000,
        what,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; the screen:\n${last}`);
    }
    return last;
  };
  const press = (...keys: string[]) => outer.tmux('send-keys', '-t', '=outer:0.0', ...keys);
  const sessions = async (): Promise<string[]> =>
    (await inner.tmux('list-sessions', '-F', '#{session_name}')).trim().split('\n').sort();
  const openPicker = async (): Promise<string> => {
    await press('C-b', 'C-t');
    return waitForScreen((text) => text.includes('continuum: restore a save of'), 'the picker to open');
  };
  const closed = (text: string): boolean => !text.includes('continuum: restore a save of');

  before(async () => {
    inner = await createDaemonTestServer();
    await inner.newSession('base');
    // Two windows: never taken for a fresh server's untouched first session, which a restore replaces.
    await inner.tmux('new-window', '-d', '-t', '=base:1');
    // init binds the key (and starts the daemon, which this test stops: its saves would change the list).
    assert.equal((await inner.cli('init')).code, 0);
    await stopDaemon(await daemonFilesOf(inner));
    await inner.newSession('work');
    await inner.tmux('new-window', '-d', '-t', '=work:1', '-n', 'editor');
    await inner.newSession('notes');
    // The older save holds notes, the newer one not.
    assert.equal((await inner.cli('save')).code, 0);
    await inner.tmux('kill-session', '-t', '=notes');
    assert.equal((await inner.cli('save')).code, 0);
    await inner.tmux('kill-session', '-t', '=work');

    // A restore may move the client to the save's active session; killing that session later
    // must not detach the client (its exit would end the outer server).
    await inner.tmux('set-option', '-g', 'detach-on-destroy', 'off');
    outer = await TestServer.create();
    const socket = join(inner.environment.TMUX_TMPDIR!, `tmux-${process.getuid!()}`, inner.socketName);
    // $TMUX of the outer pane would make the client refuse to nest.
    const client = ['exec', 'env', '-u', 'TMUX', 'tmux', '-S', socket, 'attach-session', '-t', '=base'];
    await outer.tmux(
      'new-session',
      '-d',
      '-s',
      'outer',
      '-x',
      '120',
      '-y',
      '40',
      client.map(shellQuote).join(' '),
    );
    await waitForScreen((text) => text.includes('[base]'), 'the inner client to attach');
  });

  after(async () => {
    await outer?.dispose();
    await disposeWithDaemon(inner);
  });

  it('binds prefix + C-t to the picker in an 80×24 popup', async () => {
    const keys = await inner.tmux('list-keys', '-T', 'prefix', 'C-t');
    assert.match(keys, /display-popup -E -h 24 -w 80 .*'pick'/);
  });

  it('leaves with Esc and changes nothing', async () => {
    await openPicker();
    await press('Down');
    await press('Escape');
    await waitForScreen(closed, 'the popup to close');
    assert.deepEqual(await sessions(), ['base']);
  });

  it('lists the saves with a preview, filters as one types, and restores the save chosen with Enter', async () => {
    const opened = await openPicker();
    // Both saves, newest first, numbered as in `continuum list`, inside the 80-column popup.
    const rows = opened.split('\n').filter((line) => /[*│]\s+[*]?\s*[12]\s+\d\d:\d\d/.test(line));
    assert.equal(rows.length, 2, opened);
    assert.match(rows[0]!, /> \*\s+1\s.*2 sessions, 4 windows, 4 panes/);
    assert.match(rows[1]!, /\s2\s.*3 sessions, 5 windows, 5 panes/);
    // The preview of the newest save: its sessions as `show` draws them.
    assert.match(opened, /session "work"/);
    assert.doesNotMatch(opened, /session "notes"/);
    for (const line of opened.split('\n')) assert.ok(line.length <= 120, line);

    // Typing filters by session name: only the older save holds "notes", and it is previewed.
    await press('-l', 'notes');
    const filtered = await waitForScreen((text) => text.includes('filter: notes_'), 'the filter to show');
    assert.equal(filtered.split('\n').filter((line) => /\s1\s+\d\d:\d\d/.test(line)).length, 0, filtered);
    assert.match(filtered, />\s+2\s+\d\d:\d\d.*3 sessions/);
    assert.match(filtered, /session "notes"/);

    await press('Enter');
    const done = await waitForScreen((text) => text.includes('press any key to leave'), 'the restore');
    assert.match(done, /restored 2 sessions and 3 windows/);
    assert.deepEqual(await sessions(), ['base', 'notes', 'work']);
    assert.deepEqual(
      (await inner.tmux('list-windows', '-t', '=work', '-F', '#{window_index} #{window_name}')).trim(),
      '0 sh\n1 editor',
    );
    await press('x');
    await waitForScreen(closed, 'the popup to close');
  });

  it('restores only the session under the cursor after Tab, and nothing else of the save', async () => {
    await inner.tmux('kill-session', '-t', '=notes');
    await inner.tmux('kill-session', '-t', '=work');
    await openPicker();
    await press('-l', 'notes');
    await waitForScreen((text) => text.includes('filter: notes'), 'the filter to show');
    await press('Tab');
    await waitForScreen((text) => text.includes('restore this session only'), 'the sessions to be listed');
    // Sessions in the save's order (tmux lists them by name): base, notes, work.
    await press('Down');
    const chosen = await waitForScreen(
      (text) => text.includes('> session "notes"'),
      'the cursor on the session "notes"',
    );
    assert.match(chosen, /restores only session "notes" of this save:/);
    await press('Enter');
    const done = await waitForScreen((text) => text.includes('press any key to leave'), 'the restore');
    assert.match(done, /restored 1 session and 1 window/);
    assert.deepEqual(await sessions(), ['base', 'notes']);
    await press('Escape');
    await waitForScreen(closed, 'the popup to close');
  });
});
