import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { literalForFormat } from '../../src/mux/script.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { encodePaneContents, readPaneContentsFile } from '../../src/store/pane-contents-file.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

const colourful = 'red ünïcödé 😀 text';

async function typeLine(server: TestServer, target: string, line: string): Promise<void> {
  await server.tmux('send-keys', '-t', target, '-l', line);
  await server.tmux('send-keys', '-t', target, 'Enter');
}

async function waitForScreen(
  server: TestServer,
  target: string,
  pattern: RegExp,
  what: string,
): Promise<string> {
  let screen = '';
  await waitFor(
    async () => {
      // Before 3.3, -J gives every line up to the cells tmux allocated for it, not the ones
      // written (commit ded69550), so lines end in padding blanks: compare without any.
      const captured = await server.tmux('capture-pane', '-p', '-e', '-J', '-S', '-', '-t', target);
      screen = captured.replace(/ +$/gm, '');
      return pattern.test(screen);
    },
    10_000,
    what,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the pane shows:\n${screen}`);
  });
  return screen;
}

async function lastSave(server: TestServer): Promise<{ path: string; snapshot: Snapshot }> {
  const name = (await newestSaveIn(server.saveDirectory))!;
  const path = join(server.saveDirectory, name);
  return { path, snapshot: JSON.parse(await readFile(path, 'utf8')) as Snapshot };
}

describe('pane contents', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('come back with colours and unicode in a restored pane, which then runs default-command with &&', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('view', { width: 100, height: 30 });
    await server.tmux('kill-session', '-t', '=0');
    // Each line only once the shell waits for it: keys typed ahead are echoed by the terminal
    // before the shell prints its prompt, and the output then shares a line with that prompt.
    await waitForScreen(server, '=view:0.0', /[$#]$/m, 'the first prompt');
    await typeLine(server, '=view:0.0', 'seq 1 200');
    await waitForScreen(server, '=view:0.0', /^200\n[$#]$/m, 'the output of seq and the next prompt');
    await typeLine(server, '=view:0.0', `printf '\\033[31m%s\\033[0m\\n' '${colourful}'`);
    const original = await waitForScreen(server, '=view:0.0', /\x1b\[31mred ünïcödé/, 'the coloured line');
    // tmux writes the colour change back to default where the next cell is: keep the line as it is.
    const colouredLine = original.split('\n').find((line) => line.startsWith(`\x1b[31m${colourful}`));
    assert.ok(colouredLine, original);

    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const save = await lastSave(server);
    const reference = save.snapshot.paneContents;
    assert.ok(reference, 'the save names its contents file');
    const contentsPath = join(server.saveDirectory, reference.file);
    assert.equal((await stat(contentsPath)).mode & 0o777, 0o600);
    const contents = await readPaneContentsFile(contentsPath);
    const paneId = save.snapshot.sessions[0]!.windows[0]!.panes[0]!.id;
    assert.match(contents.get(paneId) ?? '', /(^|\s)1\n2\n3\n/);

    // The same screen again is no new save; new text on the same layout is.
    assert.match((await server.cli('save')).stdout, /nothing changed/);
    await typeLine(server, '=view:0.0', 'echo "more-$((2+3))"');
    await waitForScreen(server, '=view:0.0', /more-5$/m, 'more text');
    assert.match((await server.cli('save')).stdout, /^saved /);

    await server.kill();
    await startWithConfig(server, [
      'set -g @resurrect-capture-pane-contents on',
      `set -g default-command 'CONTINUUM_MARK=from-default-command && export CONTINUUM_MARK && exec /bin/sh'`,
    ]);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const screen = await waitForScreen(
      server,
      '=view:0.0',
      /\x1b\[31mred ünïcödé 😀 text/,
      'the saved coloured unicode text in the restored pane',
    );
    assert.ok(screen.split('\n').includes(colouredLine), 'the coloured line comes back exactly');
    assert.match(screen, /(^|\s)1\n2\n3\n/);
    assert.match(screen, /^200$/m);
    // Then it is the user's shell, started through default-command.
    await typeLine(server, '=view:0.0', 'echo "mark=$CONTINUUM_MARK"');
    await waitForScreen(
      server,
      '=view:0.0',
      /mark=from-default-command$/m,
      'the shell started by default-command',
    );
    // The pane removed its private copy once it was shown.
    const copies = join(server.home, '.local', 'state', 'continuum', 'pane-contents');
    await waitFor(async () => (await readdir(copies)).length === 0, 5000, 'the private copy to be removed');
    assert.equal((await stat(copies)).mode & 0o777, 0o700);
  });

  it('come back for every pane of many windows: a pane id past %2 is no strftime width', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('many', { width: 160, height: 50 });
    await server.tmux('kill-session', '-t', '=0');
    // Three windows of four panes: twelve panes, ids %1 to %12 and beyond.
    for (let window = 0; window < 3; window += 1) {
      if (window > 0)
        await server.tmux('new-window', '-t', `=many:${window}`, '-c', literalForFormat(server.home));
      for (let split = 0; split < 3; split += 1)
        await server.tmux('split-window', '-t', `=many:${window}`, '-c', literalForFormat(server.home));
      await server.tmux('select-layout', '-t', `=many:${window}`, 'tiled');
    }
    const panes = (
      await server.tmux('list-panes', '-s', '-t', '=many:', '-F', '#{window_index}.#{pane_index}')
    )
      .split('\n')
      .filter((line) => line !== '');
    assert.equal(panes.length, 12);
    for (const pane of panes) {
      const target = `=many:${pane}`;
      await waitForScreen(server, target, /[$#]$/m, `the first prompt in ${pane}`);
      await typeLine(server, target, `echo "text-of-$((100+${panes.indexOf(pane)}))"`);
      await waitForScreen(
        server,
        target,
        new RegExp(`^text-of-${100 + panes.indexOf(pane)}$`, 'm'),
        `the text in ${pane}`,
      );
    }
    assert.equal((await server.cli('save')).code, 0);
    const save = await lastSave(server);
    const contents = await readPaneContentsFile(join(server.saveDirectory, save.snapshot.paneContents!.file));
    const savedPanes = save.snapshot.sessions[0]!.windows.flatMap((window) => window.panes);
    assert.equal(savedPanes.length, 12);
    assert.deepEqual([...contents.keys()].sort(), savedPanes.map((pane) => pane.id).sort());

    await server.kill();
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    for (const [position, pane] of panes.entries())
      await waitForScreen(
        server,
        `=many:${pane}`,
        new RegExp(`^text-of-${100 + position}$`, 'm'),
        `the saved text in ${pane}`,
      );
  });

  it('an edited contents file cannot reach the terminal with anything but colours (OSC 52 never sets a buffer)', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('edited', { width: 100, height: 30 });
    await server.tmux('kill-session', '-t', '=0');
    await typeLine(server, '=edited:0.0', 'echo "saved-$((6*7))"');
    await waitForScreen(server, '=edited:0.0', /saved-42$/m, 'the text');
    assert.equal((await server.cli('save')).code, 0);
    const save = await lastSave(server);
    const paneId = save.snapshot.sessions[0]!.windows[0]!.panes[0]!.id;
    const clipboard = (text: string): string => Buffer.from(text).toString('base64');
    // OSC 52 ended by BEL and by ST, a title, a DCS passthrough, then the line the test waits for.
    const edited = [
      `\x1b]52;c;${clipboard('pwned-by-bel')}\x07\x1b[31mred text\x1b[0m`,
      `\x1b]52;c;${clipboard('pwned-by-st')}\x1b\\\x1b]2;pwned-title\x07plain`,
      `\x1bPtmux;\x1b\x1b]52;c;${clipboard('pwned-by-dcs')}\x07\x1b\\last-line-shown`,
      '',
    ].join('\n');
    await writeFile(
      join(server.saveDirectory, save.snapshot.paneContents!.file),
      await encodePaneContents(new Map([[paneId, edited]])),
    );

    await server.kill();
    // With set-clipboard on, tmux turns an OSC 52 a pane prints into a paste buffer.
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on', 'set -s set-clipboard on']);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    // tmux handles a pane's output in order: once the last line shows, every sequence before it was read.
    const screen = await waitForScreen(server, '=edited:0.0', /^last-line-shown$/m, 'the edited text');
    assert.match(screen, /^\x1b\[31mred text/m, 'the colours come through');
    // tmux writes the colour change back to default where the next cell is.
    assert.match(screen, /^(\x1b\[[0-9;]*m)?plain$/m);
    assert.equal(await server.tmux('list-buffers'), '', 'no OSC 52 reached tmux');
    assert.notEqual(
      (await server.tmux('display-message', '-p', '-t', '=edited:0.0', '#{pane_title}')).trim(),
      'pwned-title',
    );
  });

  it('a restored pane becomes default-shell as a login shell when default-command is empty', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('login', { width: 100, height: 30 });
    await server.tmux('kill-session', '-t', '=0');
    await waitForScreen(server, '=login:0.0', /[$#]$/m, 'the first prompt');
    await typeLine(server, '=login:0.0', 'echo "before-the-save-$((40+2))"');
    await waitForScreen(server, '=login:0.0', /before-the-save-42$/m, 'the text');
    assert.equal((await server.cli('save')).code, 0);
    // tmux before 3.3 pads each captured line with blanks; the save keeps only what was written.
    const save = await lastSave(server);
    const saved = await readPaneContentsFile(join(server.saveDirectory, save.snapshot.paneContents!.file));
    const text = saved.get(save.snapshot.sessions[0]!.windows[0]!.panes[0]!.id) ?? '';
    assert.match(text, /before-the-save-42\n/);
    assert.doesNotMatch(text, / \n/, 'no saved line ends in a blank');

    await server.kill();
    await startWithConfig(server, [
      'set -g @resurrect-capture-pane-contents on',
      'set -g default-shell /bin/bash',
    ]);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    await waitForScreen(server, '=login:0.0', /before-the-save-42$/m, 'the saved text');
    await typeLine(server, '=login:0.0', 'shopt -q login_shell && echo "login-$BASH_VERSINFO"');
    await waitForScreen(server, '=login:0.0', /login-\d+$/m, 'bash started as a login shell');
  });

  it('skip panes running an excluded program, and stay off when the option is off', async () => {
    await startWithConfig(server, [
      'set -g @resurrect-capture-pane-contents on',
      "set -g @continuum-pane-contents-exclude 'less gpg'",
    ]);
    await server.newSession('mixed', { width: 100, height: 30 });
    await server.tmux('kill-session', '-t', '=0');
    await typeLine(server, '=mixed:0.0', 'echo "visible-$((1+2))"');
    await server.tmux('split-window', '-t', '=mixed:0.0', '-c', literalForFormat(server.home));
    await typeLine(server, '=mixed:0.1', 'echo secret-text | less');
    await waitForScreen(server, '=mixed:0.0', /visible-3$/m, 'the visible text');
    await waitForScreen(server, '=mixed:0.1', /^secret-text$/m, 'less showing the secret');
    // less must be in the foreground when the save looks. The pipeline's leader (echo) has
    // exited, so only the walk down the pane's process tree finds less.
    await waitFor(
      async () => {
        const snapshot = await captureSnapshot(server);
        return snapshot.sessions[0]?.windows[0]?.panes[1]?.program?.argv[0] === 'less';
      },
      5000,
      'less in the foreground',
    );
    assert.equal((await server.cli('save')).code, 0);
    const save = await lastSave(server);
    const [shellPane, lessPane] = save.snapshot.sessions[0]!.windows[0]!.panes;
    const contents = await readPaneContentsFile(join(server.saveDirectory, save.snapshot.paneContents!.file));
    assert.match(contents.get(shellPane!.id) ?? '', /visible-3/);
    assert.equal(contents.has(lessPane!.id), false);
    for (const text of contents.values()) assert.doesNotMatch(text, /secret-text/);

    await server.kill();
    await startWithConfig(server, []);
    const plan = await server.cli('restore', '--dry-run');
    assert.equal(plan.code, 0, plan.stderr);
    assert.doesNotMatch(plan.stdout, /saved line/);
  });
});
