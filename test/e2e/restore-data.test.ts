import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { startWithConfig } from '../support/live-server.js';
import { cliPath, newestSaveIn, run, spawn, TestServer, waitFor } from '../support/tmux-server.js';

async function lastSnapshot(server: TestServer): Promise<Snapshot> {
  const name = (await newestSaveIn(server.saveDirectory))!;
  return JSON.parse(await readFile(join(server.saveDirectory, name), 'utf8')) as Snapshot;
}

describe('what a save keeps of a pane', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('a removed directory is saved without " (deleted)", and the pane starts there when it exists again', async () => {
    const directory = join(server.home, 'project (x)');
    await mkdir(directory);
    await server.newSession('gone', { cwd: directory });
    await waitFor(
      async () =>
        (await server.tmux('display-message', '-p', '-t', '=gone:', '#{pane_current_path}')).trim() ===
        directory,
      5000,
      'the pane in its directory',
    );
    await rmdir(directory);
    // What tmux shows for it now (Linux's readlink of /proc/PID/cwd).
    assert.equal(
      (await server.tmux('display-message', '-p', '-t', '=gone:', '#{pane_current_path}')).trim(),
      `${directory} (deleted)`,
    );
    assert.equal((await server.cli('save')).code, 0);
    assert.equal(
      (await lastSnapshot(server)).sessions.find((session) => session.name === 'gone')!.windows[0]!.panes[0]!
        .cwd,
      directory,
    );

    await mkdir(directory);
    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.doesNotMatch(restored.stderr, /no longer exists/);
    assert.equal(
      (await server.tmux('display-message', '-p', '-t', '=gone:', '#{pane_current_path}')).trim(),
      directory,
    );
  });
});

/** Lets a reader waiting on the FIFO go; nothing when none waits (O_NONBLOCK: ENXIO). */
async function releaseFifo(fifo: string): Promise<void> {
  const handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  await handle?.writeFile('go\n');
  await handle?.close();
}

describe('a restore stopped half-way', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await releaseFifo(join(server.root, 'hold'));
    await server.dispose();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`by ${signal} unsets @continuum-restoring, and a second restore completes it`, async () => {
      await server.newSession('one');
      await server.newSession('two');
      await server.tmux('kill-session', '-t', '=0').catch(() => '');
      assert.equal((await server.cli('save')).code, 0);
      await server.kill();
      // The pre-restore-pane-processes hook runs after the batches, with the marker set: it waits on
      // a FIFO, so the restore is stopped there, every time, without a race against a sleep.
      const fifo = join(server.root, 'hold');
      await run('mkfifo', [fifo], server.environment);
      await startWithConfig(server, [
        `set -g @resurrect-hook-pre-restore-pane-processes 'read line < ${fifo}'`,
      ]);
      const restore = spawn(process.execPath, [cliPath, '-L', server.socketName, 'restore'], {
        env: server.environment,
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        restore.on('exit', (code, signalName) => resolve({ code, signal: signalName })),
      );
      await waitFor(
        async () => (await server.tmux('show-options', '-gqv', '@continuum-restoring')).trim() !== '',
        10_000,
        'the restore to set its marker',
      );
      restore.kill(signal);
      const ending = await exited;
      // Release the hook's shell, which the signal to continuum alone does not stop.
      await releaseFifo(fifo);
      assert.equal(ending.signal, signal, 'continuum ends by the same signal');
      assert.equal((await server.tmux('show-options', '-gqv', '@continuum-restoring')).trim(), '');
      await server.tmux('set-option', '-gu', '@resurrect-hook-pre-restore-pane-processes');
      const again = await server.cli('restore');
      assert.equal(again.code, 0, again.stderr);
      // The fresh server's `0` was to go last: the stopped restore kept it, and so does the second.
      assert.deepEqual(
        (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort(),
        ['0', 'one', 'two'],
      );
    });
  }
});

describe('base-index and pane-base-index', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('come from the global options, not from a first session with values of its own, and the save`s are kept', async () => {
    // The save: `work` with the defaults (a window of two panes), `ones` with its own indexes 1.
    await server.newSession('work');
    await server.tmux('split-window', '-t', '=work:0', '-c', server.home);
    await server.newSession('ones');
    await server.tmux('set-option', '-t', '=ones:', 'base-index', '1');
    await server.tmux('set-option', '-w', '-t', '=ones:0', 'pane-base-index', '1');
    await server.tmux('move-window', '-s', '=ones:0', '-t', '=ones:1');
    await server.tmux('split-window', '-t', '=ones:1', '-c', server.home);
    await server.tmux('kill-session', '-t', '=0').catch(() => '');
    assert.equal((await server.cli('save')).code, 0);
    await server.kill();

    // The new server's first session holds local values: base-index 5, pane-base-index 3.
    await startWithConfig(server, []);
    await server.tmux('set-option', '-t', '=0:', 'base-index', '5');
    await server.tmux('set-option', '-w', '-t', '=0:0', 'pane-base-index', '3');
    const layout = async (session: string): Promise<string> =>
      (
        await server.tmux('list-panes', '-s', '-t', `=${session}:`, '-F', '#{window_index}.#{pane_index}')
      ).trim();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const restored = await server.cli('restore', '--session', 'work', '--session', 'ones');
      assert.equal(restored.code, 0, `${restored.stdout}${restored.stderr}`);
      assert.doesNotMatch(restored.stdout, /moved session/);
      assert.equal(await layout('work'), '0.0\n0.1');
      assert.equal(await layout('ones'), '1.1\n1.2');
    }
    assert.deepEqual(
      (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort(),
      ['0', 'ones', 'work'],
    );
  });
});

describe('what a restore reports', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('names the sessions that do not exist afterwards (a default-command that exits at once), with exit 10', async () => {
    await server.newSession('work');
    await server.newSession('notes');
    await server.tmux('kill-session', '-t', '=0').catch(() => '');
    assert.equal((await server.cli('save')).code, 0);
    await server.kill();
    await startWithConfig(server, []);
    // The server's own `0` started with the shell; every pane made after this exits at once.
    await server.tmux('set-option', '-g', 'default-command', '/bin/false');
    const restored = await server.cli('restore');
    assert.equal(restored.code, exitCodes.partialRestore, `${restored.stdout}${restored.stderr}`);
    assert.match(restored.stdout, /^restored 0 sessions /m);
    assert.match(
      restored.stderr,
      /sessions "notes", "work" were created but no longer exist|sessions "work", "notes" were created but no longer exist/,
    );
    assert.deepEqual(
      (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean),
      ['0'],
    );
  });
});

describe('% and # in names, titles and directories', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('come back as they were: no format that holds them passes through strftime', async () => {
    const directory = join(server.home, 'd%5d #{x} %12');
    await mkdir(directory);
    await server.newSession('s%3 #1', { cwd: directory });
    await server.tmux('rename-window', '-t', '=s%3 #1:0', 'w%12 ##');
    await server.tmux('select-pane', '-t', '=s%3 #1:0.0', '-T', 't%2%%');
    await server.tmux('set-option', '-w', '-t', '=s%3 #1:0', 'automatic-rename', 'off');
    await server.tmux('kill-session', '-t', '=0').catch(() => '');
    const fields = '#{session_name}|#{window_name}|#{pane_title}|#{pane_current_path}';
    const before = await server.tmux('list-panes', '-a', '-F', fields);
    assert.equal(before.trim(), `s%3 #1|w%12 #|t%2%%|${directory}`);
    assert.equal((await server.cli('save')).code, 0);
    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(await server.tmux('list-panes', '-a', '-F', fields), before);
  });
});
