import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serverFileStem } from '../../src/daemon/daemon-files.js';
import { hasPopup, pickBindingCommand, pickMenuFile } from '../../src/integration/tmux-integration.js';
import { quoteForSh } from '../../src/shell-quote.js';
import { createDaemonTestServer, daemonFilesOf, disposeWithDaemon, stopDaemon } from '../support/daemon.js';
import { cliPath, prefixKeyLine, TestServer, waitFor } from '../support/tmux-server.js';

/**
 * The picker in a real tmux popup. display-popup needs an attached client, so an "outer" private
 * server runs, in its pane, a real client attached to the "inner" server under test: keys go in
 * with `send-keys` to the outer pane and the screen of the inner client (the popup included) comes
 * back with `capture-pane` of the outer pane.
 */
describe('continuum pick in a tmux popup', () => {
  let inner: TestServer;
  let outer: TestServer;
  /** Why the popup tests cannot run on this tmux (display-popup is 3.2's), or '' when they can. */
  let noPopup = '';

  const screen = async (): Promise<string> => outer.tmux('capture-pane', '-p', '-t', '=outer:0.0');
  /**
   * The screen once it shows what `check` wants and has settled: the popup's frame reaches the
   * outer pane through the inner client in more than one piece, and a capture between them shows
   * half of the old frame and half of the new (tmux 3.8 made this common).
   */
  const waitForScreen = async (check: (text: string) => boolean, what: string): Promise<string> => {
    let last = '';
    let previous = '';
    try {
      await waitFor(
        async () => {
          previous = last;
          last = await screen();
          return last === previous && check(last);
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
    const version = (await inner.tmux('display-message', '-p', '#{version}')).trim();
    noPopup = hasPopup(version) ? '' : `tmux ${version} has no display-popup (3.2): it gets the menu`;
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
    // $TMUX of the outer pane would make the client refuse to nest. -u: the client is the user's
    // UTF-8 terminal whatever the developer's locale (in the C locale it draws borders with ACS
    // letters and `_` for every non-ASCII character, which is the terminal, not the picker).
    const client = ['exec', 'env', '-u', 'TMUX', 'tmux', '-u', '-S', socket, 'attach-session', '-t', '=base'];
    await outer.tmux(
      'new-session',
      '-d',
      '-s',
      'outer',
      '-x',
      '120',
      '-y',
      '40',
      client.map(quoteForSh).join(' '),
    );
    await waitForScreen((text) => text.includes('[base]'), 'the inner client to attach');
  });

  after(async () => {
    await outer?.dispose();
    await disposeWithDaemon(inner);
  });

  it('binds prefix + C-t to the picker in an 80×24 popup', async (context) => {
    if (noPopup) return context.skip(noPopup);
    const keys = await prefixKeyLine(inner, 'C-t');
    assert.match(keys, /display-popup -E -h 24 -w 80 .*'pick'/);
  });

  it('leaves with Esc and changes nothing', async (context) => {
    if (noPopup) return context.skip(noPopup);
    await openPicker();
    await press('Down');
    await press('Escape');
    await waitForScreen(closed, 'the popup to close');
    assert.deepEqual(await sessions(), ['base']);
  });

  it('lists the saves with a preview, filters as one types, and restores the save chosen with Enter', async (context) => {
    if (noPopup) return context.skip(noPopup);
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

  it('restores only the session under the cursor after Tab, and nothing else of the save', async (context) => {
    if (noPopup) return context.skip(noPopup);
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
      (text) => text.includes('> session "notes"') && !text.includes('restores only session "base"'),
      'the cursor on the session "notes", and the preview of it',
    );
    assert.match(chosen, /restores only session "notes" of this save:/);
    await press('Enter');
    const done = await waitForScreen((text) => text.includes('press any key to leave'), 'the restore');
    assert.match(done, /restored 1 session and 1 window/);
    assert.deepEqual(await sessions(), ['base', 'notes']);
    await press('Escape');
    await waitForScreen(closed, 'the popup to close');
  });

  it('shows a menu of the newest saves on tmux before 3.2, and restores the one chosen', async () => {
    // A popup a failed test above left open would take the keys meant for the menu.
    if (!noPopup) {
      for (const client of (await inner.tmux('list-clients', '-F', '#{client_name}')).trim().split('\n')) {
        await inner.tmux('display-popup', '-C', '-c', client);
      }
      await waitForScreen(closed, 'no popup on the screen');
    }
    // Gone already unless the popup tests ran before.
    await inner.tmuxResult('kill-session', '-t', '=notes');
    await inner.tmuxResult('kill-session', '-t', '=work');
    // The binding init makes for an older tmux (the one here has popups, so it is set by hand).
    const files = await daemonFilesOf(inner);
    const menuFile = pickMenuFile(
      join(inner.environment.XDG_STATE_HOME!, 'continuum'),
      serverFileStem(files.socketPath),
    );
    const cli = [process.execPath, cliPath, '-L', inner.socketName];
    await inner.tmux(...pickBindingCommand('C-t', cli, '3.1c', menuFile));
    await press('C-b', 'C-t');
    const menu = await waitForScreen((text) => text.includes('continuum: restore a save'), 'the menu');
    assert.match(menu, /\*\s+1\s+\d\d:\d\d.*2 sessions, 4 windows, 4 panes\s+\(1\)/);
    assert.match(menu, /\s2\s+\d\d:\d\d.*3 sessions, 5 windows, 5 panes\s+\(2\)/);
    await press('2');
    await waitFor(async () => (await sessions()).length === 3, 10_000, 'the restore from the menu');
    assert.deepEqual(await sessions(), ['base', 'notes', 'work']);
  });
});

describe('continuum pick on a terminal', () => {
  let server: TestServer;
  const pane = '=base:picker';
  const paneFormat = async (format: string): Promise<string> =>
    (await server.tmux('display-message', '-p', '-t', pane, format)).trim();

  before(async () => {
    server = await TestServer.create();
    await server.newSession('base');
    assert.equal((await server.cli('save')).code, 0);
  });
  after(async () => {
    await server?.dispose();
  });

  /**
   * The picker in a pane's shell, which says how it ended and whether the terminal is back in
   * canonical mode (`icanon`, not raw mode's `-icanon`); returns the picker's pid.
   */
  async function startPicker(): Promise<number> {
    const picker = [process.execPath, cliPath, '-L', server.socketName, 'pick'].map(quoteForSh).join(' ');
    const script = `${picker}; echo "picker exited $?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon; exec sleep 600`;
    await server.tmux('kill-window', '-t', pane).catch(() => undefined);
    await server.tmux('new-window', '-d', '-t', '=base:', '-n', 'picker', script);
    await waitFor(
      async () => (await server.tmux('capture-pane', '-p', '-t', pane)).includes('continuum: restore a save'),
      10_000,
      'the picker to draw',
    );
    // Drawn on the alternate screen with the cursor hidden.
    assert.equal(await paneFormat('#{alternate_on} #{cursor_flag}'), '1 0');
    const shell = Number(await paneFormat('#{pane_pid}'));
    const children = (await readFile(`/proc/${shell}/task/${shell}/children`, 'utf8')).trim().split(' ');
    assert.equal(children.length, 1, `children of the pane's shell: ${children.join(' ')}`);
    return Number(children[0]);
  }

  /** How the picker ended, as its shell printed it, once the shell has run on. */
  async function afterExit(): Promise<{ status: string; mode: string; screen: string }> {
    let text = '';
    await waitFor(
      async () => {
        text = await server.tmux('capture-pane', '-p', '-t', pane);
        return /^-?icanon$/m.test(text);
      },
      10_000,
      'the shell to run on after the picker',
    );
    return {
      status: text.match(/picker exited (\d+)/)?.[1] ?? text,
      mode: text.match(/^-?icanon$/m)![0],
      screen: await paneFormat('#{alternate_on} #{cursor_flag}'),
    };
  }

  it('gives the terminal back (main screen, cursor shown, not raw) when it leaves with q', async () => {
    await startPicker();
    await server.tmux('send-keys', '-t', pane, 'q');
    assert.deepEqual(await afterExit(), { status: '0', mode: 'icanon', screen: '0 1' });
  });

  it('gives the terminal back when it is terminated (tmux closing the popup sends SIGHUP, a kill SIGTERM)', async () => {
    for (const [signal, status] of [
      ['SIGTERM', '143'],
      ['SIGHUP', '129'],
    ] as const) {
      // The picker was started by this test (through tmux): its pid is ours to signal.
      process.kill(await startPicker(), signal);
      assert.deepEqual(await afterExit(), { status, mode: 'icanon', screen: '0 1' }, signal);
    }
  });

  it('refuses to run without a terminal, with one line saying what to do', async () => {
    const result = await server.cli('pick');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^continuum: `continuum pick` needs a terminal — .*continuum list/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});
