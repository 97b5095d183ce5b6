import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { saveFiles, succeeded } from '../support/cli-saves.js';
import { cliPath, run, TestServer, waitFor } from '../support/tmux-server.js';

/** The layout's geometry without checksum and pane ids, as tmux wrote it. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

describe('continuum diff', () => {
  let server: TestServer;
  let elsewhere: string;
  let layoutBefore: string;
  let firstSave = '';

  before(async () => {
    server = await TestServer.create();
    elsewhere = join(server.root, 'elsewhere');
    await mkdir(elsewhere);
    await server.newSession('dev');
    await server.tmux('split-window', '-h', '-t', '=dev:0', '-c', server.home);
    await server.tmux('new-window', '-d', '-t', '=dev:1', '-n', 'logs', '-c', server.home);
    await server.tmux('new-window', '-d', '-t', '=dev:2', '-n', 'edit', '-c', server.home);
    await server.newSession('old', { width: 80, height: 24 });
    layoutBefore = (await server.tmux('display-message', '-p', '-t', '=dev:0', '#{window_layout}')).trim();
    succeeded(await server.cli('save'));
    firstSave = (await saveFiles(server))[0]!;
  });
  after(async () => {
    await server.dispose();
  });

  const header = (from: string, to: string) => [`--- ${from}`, `+++ ${to}`];
  const live = () => `the tmux server on socket -L ${server.socketName} now`;

  it('finds nothing between the newest save and the unchanged server, and exits 0', async () => {
    const result = await server.cli('diff');
    assert.deepEqual(succeeded(result).split('\n'), [
      ...header(join(server.saveDirectory, firstSave!), live()),
      '',
    ]);
    assert.equal(result.stderr, '');
  });

  it('names each session, window and pane added, removed, renamed, moved or changed, and exits 1', async () => {
    await server.tmux('new-window', '-d', '-t', '=dev:5', '-n', 'web', '-c', server.home);
    await server.tmux('kill-pane', '-t', '=dev:0.1');
    await server.tmux('rename-session', '-t', '=old', 'new');
    await server.tmux('send-keys', '-t', '=dev:2.0', `cd '${elsewhere}'`, 'Enter');
    await waitFor(
      async () =>
        (await server.tmux('display-message', '-p', '-t', '=dev:2.0', '#{pane_current_path}')).trim() ===
        elsewhere,
      5000,
      'the shell to change directory',
    );
    await server.tmux('move-window', '-d', '-s', '=dev:1', '-t', '=dev:3');
    const layoutAfter = (
      await server.tmux('display-message', '-p', '-t', '=dev:0', '#{window_layout}')
    ).trim();
    const expected = [
      `~ window "dev":0 layout: ${geometry(layoutBefore)} → ${geometry(layoutAfter)}`,
      '~ pane "dev":0.0 active: no → yes',
      `- pane "dev":0.1 "${server.home}"`,
      '~ window "dev":1 moved to "dev":3',
      `~ pane "dev":2.0 directory: "${server.home}" → "${elsewhere}"`,
      '+ window "dev":5 "web" (1 pane)',
      '~ session "old" renamed to "new"',
    ];
    const result = await server.cli('diff');
    assert.equal(result.stderr, '');
    assert.deepEqual(succeeded(result, 1).split('\n'), [
      ...header(join(server.saveDirectory, firstSave!), live()),
      ...expected,
      '',
    ]);
    assert.doesNotMatch(result.stdout, /\x1b/, 'no colour when stdout is no terminal');

    // The same changes between two saves, with no server needed to compare them.
    succeeded(await server.cli('save'));
    const [, secondSave] = await saveFiles(server);
    assert.ok(secondSave);
    const saves = await server.cli('diff', firstSave!, secondSave!);
    assert.deepEqual(succeeded(saves, 1).split('\n'), [
      ...header(join(server.saveDirectory, firstSave!), join(server.saveDirectory, secondSave!)),
      ...expected,
      '',
    ]);
    const reversed = succeeded(await server.cli('diff', secondSave!, firstSave!), 1).split('\n');
    assert.ok(reversed.includes(`+ pane "dev":0.1 "${server.home}"`), reversed.join('\n'));
    assert.ok(reversed.includes('~ session "new" renamed to "old"'));

    // The newest save is the server as it is now; naming it gives the same answer.
    succeeded(await server.cli('diff'));
    succeeded(await server.cli('diff', secondSave!));

    const json = await server.cli('diff', '--json', firstSave!);
    const parsed = JSON.parse(succeeded(json, 1)) as {
      equal: boolean;
      from: { save: string };
      to: { server: string };
      changes: { kind: string }[];
    };
    assert.equal(parsed.equal, false);
    assert.deepEqual(parsed.from, { save: join(server.saveDirectory, firstSave!) });
    assert.deepEqual(parsed.to, { server: `socket -L ${server.socketName}` });
    assert.deepEqual(
      parsed.changes.map((change) => change.kind),
      [
        'window-changed',
        'pane-changed',
        'pane-removed',
        'window-moved',
        'pane-changed',
        'window-added',
        'session-renamed',
      ],
    );
    assert.deepEqual(parsed.changes.at(-1), { kind: 'session-renamed', before: 'old', after: 'new' });
    const equal = JSON.parse(succeeded(await server.cli('diff', '--json'))) as {
      equal: boolean;
      changes: [];
    };
    assert.deepEqual([equal.equal, equal.changes], [true, []]);
  });

  it('colours the lines on a terminal, unless NO_COLOR is set', async () => {
    const command = [process.execPath, cliPath, '-L', server.socketName, 'diff', firstSave!]
      .map((argument) => `'${argument}'`)
      .join(' ');
    const onTerminal = await run('script', ['-qec', command, '/dev/null'], server.environment);
    assert.equal(onTerminal.code, 1, onTerminal.stdout);
    assert.match(onTerminal.stdout, /\x1b\[32m\+ window "dev":5 "web" \(1 pane\)\x1b\[0m/);
    assert.match(onTerminal.stdout, /\x1b\[31m- pane "dev":0\.1 /);
    assert.match(onTerminal.stdout, /\x1b\[33m~ session "old" renamed to "new"\x1b\[0m/);
    const noColour = await run('script', ['-qec', command, '/dev/null'], {
      ...server.environment,
      NO_COLOR: '1',
    });
    assert.match(noColour.stdout, /\+ window "dev":5 "web"/);
    assert.doesNotMatch(noColour.stdout, /\x1b\[3\dm/);
  });

  it('fails with its own exit code and a continuum: line for a save that does not exist', async () => {
    const result = await server.cli('diff', 'no-such-save');
    assert.equal(result.code, exitCodes.noSave);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^continuum: no save named "no-such-save" .*\n$/);
  });
});
