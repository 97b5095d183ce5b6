import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { literalForFormat } from '../../src/mux/script.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/** The saved program of a pane, as `continuum save` captures it. */
function programAt(snapshot: Snapshot, session: string, windowIndex: number, paneIndex: number) {
  const window = snapshot.sessions
    .find((s) => s.name === session)
    ?.windows.find((w) => w.index === windowIndex);
  const pane = window?.panes.find((p) => p.index === paneIndex);
  if (!pane) return 'no such pane';
  return pane.program?.argv ?? null;
}

async function waitForProgram(
  server: TestServer,
  target: [string, number, number],
  expected: readonly string[] | null,
): Promise<void> {
  let last: unknown;
  await waitFor(
    async () => {
      last = programAt(await captureSnapshot(server), ...target);
      return JSON.stringify(last) === JSON.stringify(expected);
    },
    10_000,
    `pane ${target.join('.')} to run ${JSON.stringify(expected)}`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; it runs ${JSON.stringify(last)}`);
  });
}

/** Once a marker typed after everything else has printed, anything typed before it has run. */
async function waitForShellToSettle(server: TestServer, target: string): Promise<string> {
  const marker = `settled-${Math.random().toString(36).slice(2)}`;
  await server.tmux('send-keys', '-t', target, '-l', `echo ${marker}-$((6*7))`);
  await server.tmux('send-keys', '-t', target, 'Enter');
  let screen = '';
  await waitFor(
    async () => {
      screen = await server.tmux('capture-pane', '-p', '-J', '-t', target);
      return screen.includes(`${marker}-42`);
    },
    10_000,
    `the shell in ${target} to run a typed command`,
  );
  return screen;
}

async function saveOrFail(server: TestServer): Promise<string> {
  const saved = await server.cli('save');
  assert.equal(saved.code, 0, saved.stderr);
  return (await newestSaveIn(server.saveDirectory))!;
}

describe('programs come back in the panes the restore creates', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('vim with a Session.vim, less on a path with spaces, tail -f with quoted arguments, a pane started with a command, top', async () => {
    const project = join(server.home, 'my project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'a file.txt'), 'text for less\n');
    await writeFile(join(project, `it's a "log".txt`), 'log line\n');
    await writeFile(join(project, 'notes.txt'), 'notes\n');
    await writeFile(join(project, 'Session.vim'), 'edit notes.txt\n');
    // No swap or viminfo files written into the test's HOME while it is being removed.
    await writeFile(join(server.home, '.vimrc'), 'set noswapfile\nset viminfo=\n');
    await startWithConfig(server, []);
    const tmux = (...args: string[]) => server.tmux(...args);
    await tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40', '-c', literalForFormat(project));
    await tmux('send-keys', '-t', '=work:0.0', '-l', 'vim notes.txt');
    await tmux('send-keys', '-t', '=work:0.0', 'Enter');
    await tmux('split-window', '-t', '=work:0.0', '-c', literalForFormat(project));
    await tmux('send-keys', '-t', '=work:0.1', '-l', `less 'a file.txt'`);
    await tmux('send-keys', '-t', '=work:0.1', 'Enter');
    // A pane created with a command: tmux runs it with `sh -c`.
    await tmux(
      'split-window',
      '-t',
      '=work:0.1',
      '-c',
      literalForFormat(project),
      `tail -f "it's a \\"log\\".txt"`,
    );
    await tmux('new-window', '-t', '=work:1', '-c', literalForFormat(project));
    await tmux('send-keys', '-t', '=work:1.0', '-l', 'exec top');
    await tmux('send-keys', '-t', '=work:1.0', 'Enter');
    await tmux('kill-session', '-t', '=0');

    await waitForProgram(server, ['work', 0, 0], ['vim', 'notes.txt']);
    await waitForProgram(server, ['work', 0, 1], ['less', 'a file.txt']);
    await waitForProgram(server, ['work', 0, 2], ['tail', '-f', `it's a "log".txt`]);
    // `exec top` replaced the pane's shell: the pane's own process is the program.
    await waitForProgram(server, ['work', 1, 0], ['top']);
    await saveOrFail(server);

    await server.kill();
    await startWithConfig(server, ['set -g @resurrect-strategy-vim session']);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);

    await waitForProgram(server, ['work', 0, 0], ['vim', '-S']);
    await waitForProgram(server, ['work', 0, 1], ['less', 'a file.txt']);
    await waitForProgram(server, ['work', 0, 2], ['tail', '-f', `it's a "log".txt`]);
    await waitForProgram(server, ['work', 1, 0], ['top']);
    // The session file opened the file it names.
    await waitFor(
      async () => (await tmux('capture-pane', '-p', '-t', '=work:0.0')).includes('notes'),
      10_000,
      'vim to show notes.txt',
    );

    // Programs were typed into a shell: quitting one returns to it.
    await tmux('send-keys', '-t', '=work:0.1', 'q');
    await waitForProgram(server, ['work', 0, 1], null);
    await waitForShellToSettle(server, '=work:0.1');

    // A second restore types nothing into panes that already exist, only into the window it recreates.
    await tmux('kill-window', '-t', '=work:1');
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    await waitForProgram(server, ['work', 1, 0], ['top']);
    await waitForShellToSettle(server, '=work:0.1');
    assert.equal(programAt(await captureSnapshot(server), 'work', 0, 1), null);
  });

  it('the allowlist decides, with ~, -> and *, and false restores nothing', async () => {
    await startWithConfig(server, []);
    const tmux = (...args: string[]) => server.tmux(...args);
    await writeFile(join(server.home, 'x y.log'), 'one\n');
    await server.newSession('jobs', { width: 120, height: 40 });
    await tmux('send-keys', '-t', '=jobs:0.0', '-l', `tail -f 'x y.log'`);
    await tmux('send-keys', '-t', '=jobs:0.0', 'Enter');
    await tmux('split-window', '-t', '=jobs:0.0', '-c', literalForFormat(server.home));
    await tmux('send-keys', '-t', '=jobs:0.1', '-l', 'sleep 4242');
    await tmux('send-keys', '-t', '=jobs:0.1', 'Enter');
    await tmux('kill-session', '-t', '=0');
    await waitForProgram(server, ['jobs', 0, 0], ['tail', '-f', 'x y.log']);
    await waitForProgram(server, ['jobs', 0, 1], ['sleep', '4242']);
    await saveOrFail(server);

    await server.kill();
    await startWithConfig(server, [
      "set -g @resurrect-default-processes 'vim'",
      `set -g @resurrect-processes '"~-f->tail -n 5 -f *" "~4242->sleep 4343"'`,
    ]);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    await waitForProgram(server, ['jobs', 0, 0], ['tail', '-n', '5', '-f', 'x y.log']);
    await waitForProgram(server, ['jobs', 0, 1], ['sleep', '4343']);

    await server.kill();
    await startWithConfig(server, ["set -g @resurrect-processes 'false'"]);
    const plan = await server.cli('restore', '--dry-run');
    assert.doesNotMatch(plan.stdout, /type /);
    const none = await server.cli('restore');
    assert.equal(none.code, 0, none.stderr);
    await waitForShellToSettle(server, '=jobs:0.0');
    await waitForShellToSettle(server, '=jobs:0.1');
    const after = await captureSnapshot(server);
    assert.equal(programAt(after, 'jobs', 0, 0), null);
    assert.equal(programAt(after, 'jobs', 0, 1), null);

    // :all: restores a program no list names, and a user strategy rewrites its command line.
    await server.kill();
    await startWithConfig(server, [
      "set -g @resurrect-processes ':all:'",
      "set -g @continuum-strategy-sleep 'sleep 6666 *'",
    ]);
    const all = await server.cli('restore');
    assert.equal(all.code, 0, all.stderr);
    await waitForProgram(server, ['jobs', 0, 0], ['tail', '-f', 'x y.log']);
    await waitForProgram(server, ['jobs', 0, 1], ['sleep', '6666', '4242']);
  });

  it('a saved argv with a newline or an escape sequence is never typed: the program starts from its argv', async () => {
    await startWithConfig(server, []);
    const tmux = (...args: string[]) => server.tmux(...args);
    await server.newSession('evil', { width: 120, height: 40 });
    await tmux('split-window', '-t', '=evil:0.0', '-c', literalForFormat(server.home));
    await tmux('kill-session', '-t', '=0');
    const saveName = await saveOrFail(server);
    const savePath = join(server.saveDirectory, saveName);
    const snapshot = JSON.parse(await readFile(savePath, 'utf8')) as Snapshot;
    const panes = snapshot.sessions[0]!.windows[0]!.panes;
    // tail -F keeps waiting for a file that does not exist.
    panes[0]!.program = { argv: ['tail', '-F', 'x\ntouch pwned-newline'] };
    panes[1]!.program = { argv: ['tail', '-F', '\x1b[201~; touch pwned-escape'] };
    await writeFile(savePath, JSON.stringify(snapshot));

    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.doesNotMatch(restored.stderr, /not typed/);
    await waitForProgram(server, ['evil', 0, 0], ['tail', '-F', 'x\ntouch pwned-newline']);
    await waitForProgram(server, ['evil', 0, 1], ['tail', '-F', '\x1b[201~; touch pwned-escape']);
    // Stopped with ^C, the program leaves the pane's shell, not a closed pane.
    await tmux('send-keys', '-t', '=evil:0.0', 'C-c');
    await waitForProgram(server, ['evil', 0, 0], null);
    // tail's own message names the file; a shell that ran it would have made the file.
    await waitForShellToSettle(server, '=evil:0.0');
    assert.equal(existsSync(join(server.home, 'pwned-newline')), false);
    assert.equal(existsSync(join(server.home, 'pwned-escape')), false);
  });
});
