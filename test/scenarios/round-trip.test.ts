import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { decodeQuotedField } from '../../src/mux/quoted-field.js';
import { joinCommandArguments, literalForFormat } from '../../src/mux/script.js';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { TestServer, waitFor } from '../support/tmux-server.js';

const config = ['set -g base-index 1', 'set -g pane-base-index 1'];

/** Names tmux accepts and must give back unchanged after a restore. */
const names = {
  doubleSpace: 'my  project',
  quotes: `it's "quoted"`,
  formats: '#{session_id} #W $HOME #',
  dash: '-dash',
  unicode: 'ünïcødé 😀',
  digit: '2fast',
  // tmux reads a target starting with `$` as a session id, even after `=`: only ids reach it.
  dollar: '$1 cash',
  dev: 'dev',
  dev2: 'dev2',
  groupCarrier: 'grp one',
  groupMember: 'grp two',
};

/**
 * Builds the tricky environment with plain tmux commands, as a user would have made it. Names,
 * titles and directories go through literalForFormat because tmux format-expands them; sessions
 * are addressed by id because tmux stores some names escaped (`$HOME` as `\$HOME`).
 */
async function buildEnvironment(server: TestServer): Promise<void> {
  const directories = {
    spaces: join(server.home, 'dir with  spaces'),
    unicode: join(server.home, 'ünï 😀 dir'),
    quote: join(server.home, `quote's "dir"`),
  };
  for (const directory of Object.values(directories)) await mkdir(directory, { recursive: true });
  // A trailing `;` on the command line separates commands; joinCommandArguments escapes it.
  const tmux = (...args: string[]) => server.tmux(...joinCommandArguments([args]));
  const newSession = async (name: string, windowName: string | undefined, cwd: string) =>
    (
      await tmux(
        'new-session',
        '-d',
        '-P',
        '-F',
        '#{session_id}',
        '-s',
        literalForFormat(name),
        '-x',
        '120',
        '-y',
        '40',
        '-c',
        literalForFormat(cwd),
        ...(windowName === undefined ? [] : ['-n', literalForFormat(windowName)]),
      )
    ).trim();
  const newWindow = (session: string, windowName: string | undefined, cwd: string) =>
    tmux(
      'new-window',
      '-d',
      '-t',
      `${session}:`,
      '-c',
      literalForFormat(cwd),
      ...(windowName === undefined ? [] : ['-n', literalForFormat(windowName)]),
    );
  const split = async (window: string, count: number, cwd: string) => {
    for (let index = 0; index < count; index += 1) {
      await tmux('split-window', '-d', '-t', window, '-c', literalForFormat(cwd));
      await tmux('select-layout', '-t', window, 'tiled');
    }
  };

  const project = await newSession(names.doubleSpace, 'editor  main', directories.spaces);
  await split(`${project}:1`, 2, directories.unicode);
  await tmux('select-layout', '-t', `${project}:1`, 'even-horizontal');
  await tmux('select-pane', '-t', `${project}:1.2`, '-T', literalForFormat('# title  with  spaces'));
  await newWindow(project, 'semi;', directories.quote);
  await split(`${project}:2`, 3, directories.spaces);
  await tmux('select-layout', '-t', `${project}:2`, 'main-vertical');
  await tmux('select-pane', '-t', `${project}:2.3`);
  await tmux('resize-pane', '-Z', '-t', `${project}:2.3`);
  await newWindow(project, undefined, server.home); // automatic-rename stays on
  // Until the shell has run, automatic-rename may name the window after the forking server
  // (`tmux`); tmux 3.8 did so once in CI. Wait for the name the shell gives it.
  await waitFor(
    async () =>
      (await tmux('display-message', '-p', '-t', `${project}:3`, '#{window_name}')).trim() !== 'tmux',
    5000,
    'the new window to be named after its shell',
  );
  await tmux('select-window', '-t', `${project}:1`);
  await tmux('select-window', '-t', `${project}:2`);

  const quotes = await newSession(names.quotes, `q"u'o`, directories.quote);
  await split(`${quotes}:1`, 4, directories.unicode);
  await tmux('select-pane', '-t', `${quotes}:1.4`, '-T', literalForFormat('#{pane_id} #T'));
  await tmux('select-pane', '-t', `${quotes}:1.2`);

  const formats = await newSession(names.formats, '#{window_index} #', server.home);
  await tmux('split-window', '-h', '-t', `${formats}:1.1`, '-c', literalForFormat(directories.spaces));
  await tmux('split-window', '-v', '-t', `${formats}:1.2`, '-c', literalForFormat(directories.unicode));
  await tmux('resize-pane', '-t', `${formats}:1.1`, '-x', '37');
  await tmux('resize-pane', '-t', `${formats}:1.3`, '-y', '9');

  await newSession(names.dash, '-w', directories.unicode);
  const unicode = await newSession(names.unicode, 'emoji 🚀', directories.unicode);
  await split(`${unicode}:1`, 1, server.home);
  const digit = await newSession(names.digit, '1st', server.home);
  await newWindow(digit, '2nd window', server.home);
  const dollar = await newSession(names.dollar, '$2', server.home);
  await split(`${dollar}:1`, 1, directories.spaces);

  const dev = await newSession(names.dev, 'a', server.home);
  await newWindow(dev, 'a2', directories.spaces);
  await newSession(names.dev2, 'b', directories.unicode);

  const carrier = await newSession(names.groupCarrier, 'shared one', server.home);
  await newWindow(carrier, 'shared two', directories.spaces);
  await split(`${carrier}:2`, 1, server.home);
  await tmux('new-session', '-d', '-s', names.groupMember, '-t', carrier);
  // Members of a group share windows but each has its own current window.
  await tmux('select-window', '-t', `=${names.groupMember}:2`);

  await tmux('kill-session', '-t', '=0');
}

describe('save, kill the server, restore into a fresh one', () => {
  let server: TestServer;
  before(async () => {
    server = await TestServer.create();
  });
  after(async () => {
    await server.dispose();
  });

  it('brings back the tricky environment exactly, and replaces the bootstrap session', async () => {
    await startWithConfig(server, config);
    await buildEnvironment(server);
    const built = await captureSnapshot(server);
    // The builder itself made what it meant to (else the comparison below proves nothing).
    // tmux 3.3a stores a `$` before a letter escaped, 3.5a does not: the names are compared with
    // the form the running tmux stores, and the restore must give that back.
    const stored = (await server.tmux('list-sessions', '-F', '#{q:session_name}'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => decodeQuotedField(line)!);
    assert.deepEqual(
      stored.map((name) => name.replace('\\$HOME', '$HOME')).sort(),
      Object.values(names).sort(),
    );
    assert.deepEqual(built.sessions.map((session) => session.name).sort(), stored.sort());
    const project = built.sessions.find((session) => session.name === names.doubleSpace)!;
    assert.deepEqual(
      project.windows.map((window) => [
        window.index,
        window.name,
        window.zoomed,
        window.active,
        window.alternate,
      ]),
      [
        [1, 'editor  main', false, false, true],
        [2, 'semi;', true, true, false],
        [3, 'sh', false, false, false],
      ],
    );
    assert.equal(project.windows[0]!.panes[1]!.title, '# title  with  spaces');
    assert.equal(
      built.sessions.find((session) => session.name.startsWith('#{session_id}'))!.windows[0]!.name,
      '#{window_index} #',
    );
    assert.ok(built.sessions.every((session) => session.baseIndex === 1));

    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /saved 11 sessions, 17 windows, 32 panes to /);

    await server.kill();
    await startWithConfig(server, config);
    const restored = await server.cli('restore');
    assert.equal(restored.stderr, '');
    assert.equal(restored.code, 0);
    assert.match(
      restored.stdout,
      /restored 11 sessions and 15 windows .*replaced the new server's session "0"/,
    );

    const after = await captureSnapshot(server);
    assert.ok(!after.sessions.some((session) => session.name === '0'), 'the bootstrap session is gone');
    assert.deepEqual(snapshotStructure(after), snapshotStructure(built));
  });

  it('restores a saved session named like the bootstrap one by renaming the bootstrap aside', async () => {
    await server.kill();
    await startWithConfig(server, config);
    await server.tmux('new-window', '-t', '=0:', '-n', 'second');
    await server.tmux('split-window', '-t', '=0:2');
    await server.tmux('new-session', '-d', '-s', 'other', '-x', '100', '-y', '30');
    const built = await captureSnapshot(server);
    const saved = await server.cli('save', '--quiet');
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(saved.stdout, '');

    await server.kill();
    await startWithConfig(server, config);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const after = await captureSnapshot(server);
    assert.deepEqual(
      after.sessions.map((session) => session.name).sort(),
      ['0', 'other'],
      'no parked bootstrap session is left behind',
    );
    assert.deepEqual(snapshotStructure(after), snapshotStructure(built));
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to restore/);
    assert.notEqual(exitCodes.failure, again.code);
  });
});
