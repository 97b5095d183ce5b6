import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newestSaveIn, type ProcessResult, TestServer, waitFor } from '../support/tmux-server.js';

interface SavedWindow {
  index: number;
  name: string;
  layout: string;
  panes: unknown[];
}
interface SavedDocument {
  sessions: { name: string; windows: SavedWindow[] }[];
}

/** The layout without its checksum and pane ids: what a restore reproduces exactly. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

describe('restore of a save with a layout tmux cannot use', () => {
  let server: TestServer;
  let saveName: string;
  let saved: string;
  let caseNumber = 0;

  before(async () => {
    server = await TestServer.create();
    await server.start();
    await server.tmux('new-session', '-d', '-s', 'work', '-n', 'editor', '-x', '100', '-y', '30');
    await server.tmux('split-window', '-h', '-t', '=work:0');
    await server.tmux('split-window', '-v', '-t', '=work:0.1');
    await server.tmux('new-window', '-d', '-t', '=work:1', '-n', 'logs');
    await server.tmux('split-window', '-v', '-l', '8', '-t', '=work:1');
    await server.tmux('new-session', '-d', '-s', 'notes', '-n', 'todo', '-x', '100', '-y', '30');
    await server.tmux('split-window', '-h', '-l', '30', '-t', '=notes:0');
    await server.tmux('split-window', '-v', '-t', '=notes:0.0');
    await server.tmux('kill-session', '-t', '=0');
    const result = await server.cli('save');
    assert.equal(result.code, 0, result.stderr);
    saveName = (await newestSaveIn(server.saveDirectory))!;
    saved = await readFile(join(server.saveDirectory, saveName), 'utf8');
  });
  after(async () => {
    await server.dispose();
  });

  const windowOf = (document: SavedDocument, session: string, index: number): SavedWindow =>
    document.sessions
      .find((candidate) => candidate.name === session)!
      .windows.find((w) => w.index === index)!;

  /** The save with one window's layout replaced, alone in its own save directory. */
  async function editedSaveDirectory(session: string, index: number, layout: (old: string) => string) {
    const document = JSON.parse(saved) as SavedDocument;
    const window = windowOf(document, session, index);
    window.layout = layout(window.layout);
    caseNumber += 1;
    const directory = join(server.root, `case-${caseNumber}`);
    await mkdir(directory, { mode: 0o700 });
    await writeFile(join(directory, saveName), JSON.stringify(document), { mode: 0o600 });
    return directory;
  }

  /** A fresh server holding only its bootstrap session, as after a reboot. */
  async function restartFresh(): Promise<void> {
    await server.kill();
    await waitFor(
      async () => (await server.tmuxResult('new-session', '-d', '-s', '0')).code === 0,
      5000,
      'a fresh server',
    );
  }

  /** What the restored server holds: panes per window and each window's layout. */
  async function restoredWindows(): Promise<Map<string, { panes: number; layout: string }>> {
    const lines = await server.tmux(
      'list-windows',
      '-a',
      '-F',
      '#{session_name}:#{window_index}\t#{window_panes}\t#{window_layout}',
    );
    return new Map(
      lines
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [address, panes, layout] = line.split('\t');
          return [address!, { panes: Number(panes), layout: layout! }];
        }),
    );
  }

  /**
   * The restore succeeded (exit 0: the warning is the only trace), the server lives, every window
   * is back with all its panes, and every window but the edited one has its exact saved layout.
   */
  async function assertRestoredAround(result: ProcessResult, edited: string): Promise<void> {
    assert.ok(await server.isRunning(), 'the tmux server is gone');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^restored 2 sessions and 3 windows from /);
    const document = JSON.parse(saved) as SavedDocument;
    const windows = await restoredWindows();
    assert.deepEqual([...windows.keys()].sort(), ['notes:0', 'work:0', 'work:1']);
    for (const session of document.sessions) {
      for (const window of session.windows) {
        const address = `${session.name}:${window.index}`;
        const restored = windows.get(address)!;
        assert.equal(restored.panes, window.panes.length, `panes of ${address}`);
        if (address !== edited) assert.equal(geometry(restored.layout), geometry(window.layout), address);
      }
    }
  }

  it('restores every pane of a window whose layout is "garbage-layout" without crashing tmux, with one warning', async () => {
    const directory = await editedSaveDirectory('work', 0, () => 'garbage-layout');
    await restartFresh();
    const result = await server.cli('--dir', directory, 'restore');
    await assertRestoredAround(result, 'work:0');
    const lines = result.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0]!,
      /^continuum: warning: window "work":0 \("editor"\): the saved layout is not one tmux can use \(.*checksum.*\); its 3 panes are restored tiled$/,
    );

    // `show` reads the same save and names the window too.
    const shown = await server.cli('--dir', directory, 'show');
    assert.equal(shown.code, 0, shown.stderr);
    const shownLines = shown.stderr.split('\n').filter(Boolean);
    assert.equal(shownLines.length, 1, shown.stderr);
    assert.match(shownLines[0]!, /^continuum: warning: window "work":0 \("editor"\): .*checksum/);
  });

  it('restores a window whose layout has a wrong checksum tiled, with one warning, and the rest exactly', async () => {
    const directory = await editedSaveDirectory('notes', 0, (layout) => {
      const flipped = layout[0] === '0' ? '1' : '0';
      return `${flipped}${layout.slice(1)}`;
    });
    await restartFresh();
    const result = await server.cli('--dir', directory, 'restore');
    await assertRestoredAround(result, 'notes:0');
    const lines = result.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0]!,
      /^continuum: warning: window "notes":0 \("todo"\): .*its checksum [0-9a-f]{4} does not match .*; its 3 panes are restored tiled$/,
    );
  });
});
