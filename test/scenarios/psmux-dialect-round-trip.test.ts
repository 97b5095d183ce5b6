import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLayout } from '../../src/mux/layout.js';
import { literalForFormat } from '../../src/mux/script.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { newestSaveIn, run, TestServer, waitFor } from '../support/tmux-server.js';

/**
 * The psmux dialect's capture and restore, driven through the CLI against real tmux. The CLI picks
 * the psmux dialect (PsmuxClient) from the program's name, so the stand-in is a script named
 * `psmux` that runs tmux. Exercised: selectMux on the name, one invocation per command (no
 * source-file), `list-panes -a` as one `list-panes -s -t NAME:` per session, `list-clients`
 * dropped, options through `show-options -gv`, PSMUX_* variables set, creation polled (has-session,
 * list-windows), whole-session targets ending in `:`, `select-layout -t` on each window, the
 * layout read back and, in the second test, rebuilt by percentage splits. Not exercised (tmux is
 * not psmux): psmux's own output quirks (empty `ls` with exit 0, `__warm__`, CRLF: unit-tested
 * with recorded output), asynchronous creation itself (tmux creates synchronously, so the polls
 * find the result at once), one server per session, percentages psmux keeps for a layout string.
 */
const config = ['set -g base-index 1', 'set -g pane-base-index 1'];

async function standIn(server: TestServer, refuseLayoutStrings: boolean): Promise<string> {
  const directory = join(server.root, refuseLayoutStrings ? 'refusing' : 'plain');
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'psmux');
  // psmux turns a layout string it cannot use into even-horizontal and says nothing
  // (docs/psmux.md, Layouts): the refusing stand-in does that to every layout string.
  const refuse = refuseLayoutStrings
    ? [
        'case " $* " in *" select-layout "*)',
        '  last=; for a in "$@"; do last=$a; done',
        '  case "$last" in even-horizontal|even-vertical|main-horizontal|main-vertical|tiled) ;;',
        '  *) echo refused >> "$(dirname "$0")/refused.log"; n=$#; i=0',
        '     for a in "$@"; do i=$((i+1)); [ $i -eq 1 ] && set --',
        '       if [ $i -eq $n ]; then set -- "$@" even-horizontal; else set -- "$@" "$a"; fi; done ;;',
        '  esac ;;',
        'esac',
      ]
    : [];
  // The psmux client routes a command without a session with a global `-t SESSION:` before the
  // command (psmux's -t scan, main.rs); tmux is one server and takes no such flag: dropped.
  // Pane ids are named SESSION:.%N for psmux (ids repeat across its sessions); tmux's are
  // unique: the id alone.
  const globalTarget = [
    'if [ "$1" = -L ] && [ "$3" = -t ]; then l=$2; shift 4; set -- -L "$l" "$@"; fi',
    'n=$#; previous=',
    'while [ "$n" -gt 0 ]; do a=$1; shift',
    '  if [ "$previous" = -t ]; then case "$a" in *:.%[0-9]*) a="%$(printf %s "$a" | sed "s/.*:\\.%//")" ;; esac; fi',
    '  set -- "$@" "$a"; previous=$a; n=$((n-1)); done',
  ];
  // -u: psmux prints UTF-8 whatever the locale; tmux in the C locale would print `_` instead.
  await writeFile(
    path,
    ['#!/bin/sh', ...globalTarget, ...refuse, `exec tmux -u -f /dev/null "$@"`, ''].join('\n'),
  );
  await chmod(path, 0o755);
  return path;
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function boxesOfLayout(layout: string): Box[] {
  const parsed = parseLayout(layout);
  assert.ok(parsed.ok, `a layout continuum cannot parse: ${layout}`);
  const boxes: Box[] = [];
  const walk = (cell: typeof parsed.root): void => {
    if (cell.direction === undefined)
      boxes.push({ left: cell.x, top: cell.y, width: cell.width, height: cell.height });
    else for (const child of cell.children) walk(child);
  };
  walk(parsed.root);
  return boxes;
}

async function liveBoxes(server: TestServer, window: string): Promise<Box[]> {
  const output = await server.tmux(
    'list-panes',
    '-t',
    window,
    '-F',
    '#{pane_left} #{pane_top} #{pane_width} #{pane_height}',
  );
  return output
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map(Number))
    .map(([left, top, width, height]) => ({ left: left!, top: top!, width: width!, height: height! }));
}

/** An environment with uneven layouts, names psmux reads specially, titles, zoom and directories. */
async function build(server: TestServer): Promise<void> {
  const spaced = join(server.home, 'dir with  spaces');
  const unicode = join(server.home, 'ünï 😀');
  for (const directory of [spaced, unicode]) await mkdir(directory, { recursive: true });
  const newSession = (name: string, cwd: string, width = 160, height = 48) =>
    server.tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), '-c', cwd);
  // tmux turns `.` in a session name into `_`, so psmux's `name.2` quirk cannot be built here.
  await newSession('work v1', spaced);
  await server.tmux('split-window', '-h', '-l', '50', '-t', '=work v1:1.1', '-c', unicode);
  await server.tmux('split-window', '-v', '-l', '12', '-t', '=work v1:1.1', '-c', spaced);
  await server.tmux('split-window', '-v', '-t', '=work v1:1.3');
  await server.tmux('split-window', '-h', '-l', '20', '-t', '=work v1:1.2');
  await server.tmux('select-pane', '-t', '=work v1:1.3', '-T', literalForFormat('build  # log'));
  await server.tmux('new-window', '-d', '-t', '=work v1:', '-n', 'rows', '-c', unicode);
  await server.tmux('split-window', '-v', '-l', '40', '-t', '=work v1:2.1');
  await server.tmux('split-window', '-v', '-l', '9', '-t', '=work v1:2.2');
  await server.tmux('split-window', '-v', '-l', '3', '-t', '=work v1:2.3');
  await server.tmux('resize-pane', '-Z', '-t', '=work v1:2.2');
  await newSession('ünïcødé  two', unicode, 80, 24);
  await server.tmux('split-window', '-v', '-t', '=ünïcødé  two:1.1');
  await server.tmux('split-window', '-h', '-l', '25', '-t', '=ünïcødé  two:1.1');
  await server.tmux('split-window', '-h', '-t', '=ünïcødé  two:1.3');
  await server.tmux('new-window', '-d', '-t', '=ünïcødé  two:', '-n', 'one pane', '-c', spaced);
  // A program psmux reports by its executable name only: it comes back as `tail`, without arguments.
  await server.tmux('send-keys', '-t', '=ünïcødé  two:2.1', 'tail -f /dev/null', 'Enter');
  await waitFor(
    async () =>
      (
        await server.tmux('display-message', '-p', '-t', '=ünïcødé  two:2.1', '#{pane_current_command}')
      ).trim() === 'tail',
    10_000,
    'tail to run',
  );
  // A window psmux made at another index is selected to be moved into place (psmux's move-window
  // moves the active window), which can leave a restored session with an alternate window (no
  // command clears it). Sessions here have one, as any session a user switched windows in.
  for (const session of ['work v1', 'ünïcødé  two']) {
    await server.tmux('select-window', '-t', `=${session}:2`);
    await server.tmux('select-window', '-t', `=${session}:1`);
  }
  await server.tmux('kill-session', '-t', '=0');
}

/** The structure without programs: the tmux dialect reads them from the process table, with arguments. */
const withoutPrograms = (snapshot: Snapshot) =>
  snapshotStructure({
    ...snapshot,
    sessions: snapshot.sessions.map((session) => ({
      ...session,
      windows: session.windows.map((window) => ({
        ...window,
        panes: window.panes.map((pane) => ({ ...pane, program: null })),
      })),
    })),
  });

describe('the psmux dialect with tmux standing in for psmux', () => {
  let server: TestServer;
  before(async () => {
    server = await TestServer.create();
  });
  after(async () => {
    await server.dispose();
  });

  const cli = (mux: string, ...args: string[]) =>
    run(
      process.execPath,
      [join(process.cwd(), 'dist/continuum.js'), '--mux', mux, '-L', server.socketName, ...args],
      {
        ...server.environment,
        CONTINUUM_MUX_TIMEOUT_MS: '20000',
      },
    );

  it('captures and restores an environment exactly', async () => {
    const mux = await standIn(server, false);
    await startWithConfig(server, config);
    await build(server);
    const built = await captureSnapshot(server);
    assert.deepEqual(built.sessions.map((session) => session.name).sort(), ['work v1', 'ünïcødé  two']);

    const saved = await cli(mux, 'save');
    assert.equal(saved.code, 0, saved.stderr);
    const file = await newestSaveIn(server.saveDirectory);
    assert.ok(file, 'a save was written');
    const document = JSON.parse(await readFile(join(server.saveDirectory, file), 'utf8'));
    assert.equal(document.mux.name, 'psmux');
    assert.deepEqual(withoutPrograms(document), withoutPrograms(built));
    const programs = document.sessions.flatMap((session: { windows: { panes: { program: unknown }[] }[] }) =>
      session.windows.flatMap((window) => window.panes.map((pane) => pane.program)),
    );
    assert.deepEqual(
      programs.filter((program: unknown) => program !== null),
      [{ argv: ['tail'] }],
      'the program as psmux would report it: pane_current_command',
    );

    await server.kill();
    await startWithConfig(server, config);
    const restored = await cli(mux, 'restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.stderr, '');
    await waitFor(
      async () =>
        (
          await server.tmux('display-message', '-p', '-t', '=ünïcødé  two:2.1', '#{pane_current_command}')
        ).trim() === 'tail',
      10_000,
      'the restored tail',
    );
    const after = await captureSnapshot(server);
    assert.deepEqual(withoutPrograms(after), withoutPrograms(built));
    assert.deepEqual(
      after.sessions.find((session) => session.name === 'ünïcødé  two')?.windows[1]?.panes[0]?.program,
      {
        argv: ['tail'],
      },
    );
  });

  it('rebuilds refused layouts with percentage splits, every pane within one cell', async () => {
    const mux = await standIn(server, true);
    const file = await newestSaveIn(server.saveDirectory);
    const saved = JSON.parse(await readFile(join(server.saveDirectory, file!), 'utf8'));
    await server.kill();
    await startWithConfig(server, config);
    const restored = await cli(mux, 'restore');
    assert.equal(restored.code, 0, restored.stderr);
    let multiPane = 0;
    for (const session of saved.sessions)
      for (const window of session.windows) {
        const target = `=${session.name}:${window.index}`;
        const wanted = boxesOfLayout(window.layout);
        if (wanted.length > 1) multiPane += 1;
        // A zoomed pane fills the window: compare the layout under the zoom.
        if (window.zoomed) await server.tmux('resize-pane', '-Z', '-t', target);
        const actual = await liveBoxes(server, target);
        assert.equal(actual.length, wanted.length, target);
        for (const [position, box] of wanted.entries())
          for (const key of ['left', 'top', 'width', 'height'] as const)
            assert.ok(
              Math.abs(actual[position]![key] - box[key]) <= 1,
              `${target} pane ${position} ${key}: ${actual[position]![key]} instead of ${box[key]} (${window.layout})`,
            );
        const directories = (await server.tmux('list-panes', '-t', target, '-F', '#{pane_start_path}'))
          .trim()
          .split('\n');
        assert.deepEqual(
          directories,
          window.panes.map((pane: { cwd: string }) => pane.cwd),
          `${target}: each pane made again in its own directory`,
        );
      }
    assert.equal(multiPane, 3, 'three windows needed the fallback');
    // The layouts came back right although the stand-in refused every layout string sent to it.
    const refused = await readFile(join(server.root, 'refusing', 'refused.log'), 'utf8').catch(() => '');
    assert.equal(refused.split('\n').filter((line) => line === 'refused').length, 4, 'one per window');
  });

  it('init: sh key bindings off Windows, one client-attached hook, one daemon for the namespace', async () => {
    const mux = await standIn(server, false);
    const first = await cli(mux, 'init');
    assert.equal(first.code, 0, first.stderr);
    const again = await cli(mux, 'init');
    assert.equal(again.code, 0, again.stderr);
    const keys = await server.tmux('list-keys', '-T', 'prefix', 'C-s');
    assert.match(keys, /run-shell -b "\/\S*node \S*continuum\.js -L \S+ --mux \S+ hook save"/, keys);
    const hooks = (await server.tmux('show-hooks', '-g', 'client-attached')).trim().split('\n');
    assert.equal(hooks.length, 1, `one hook after two inits: ${hooks.join(' | ')}`);
    assert.match(hooks[0]!, /run-shell.*daemon start/);
    // tmux prints an unset hook by its name alone.
    assert.doesNotMatch(
      await server.tmux('show-hooks', '-g', 'session-created'),
      /\[\d+\]/,
      'no session-created hook on psmux',
    );
    const status = await cli(mux, 'status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^multiplexer .*\(dialect psmux\)$/m);
    const stopped = await cli(mux, 'daemon', 'stop');
    assert.equal(stopped.code, 0, stopped.stderr);
  });
});
