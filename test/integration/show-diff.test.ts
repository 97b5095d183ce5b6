import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { cliPath, type ProcessResult, run, TestServer, waitFor } from '../helpers/tmux-server.js';

/** Control characters other than the newline that ends each line: none may reach a terminal. */
const controlCharacters = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** The layout's geometry without checksum and pane ids, as tmux wrote it. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

function succeeded(result: ProcessResult, code = 0): string {
  assert.equal(result.code, code, `exit ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function saveFiles(server: TestServer): Promise<string[]> {
  return (await readdir(server.saveDirectory)).filter((name) => name.endsWith('.json')).sort();
}

describe('continuum show', () => {
  let server: TestServer;
  let layout: string;
  let directoryWithEscape: string;

  before(async () => {
    server = await TestServer.create();
    directoryWithEscape = join(server.root, 'dir\x1b[2Jx');
    await mkdir(directoryWithEscape);
    // Short enough that 80 columns draw it at its own shape (a taller one is squeezed to 24 lines).
    await server.newSession('work', { width: 121, height: 31 });
    // A left pane and a right column split in two, of sizes tmux is told exactly.
    await server.tmux('split-window', '-h', '-l', '40', '-t', '=work:0', 'exec sleep 600');
    await server.tmux('split-window', '-v', '-l', '10', '-t', '=work:0.1');
    await waitFor(
      async () =>
        (await server.tmux('display-message', '-p', '-t', '=work:0.1', '#{pane_current_command}')).trim() ===
        'sleep',
      5000,
      'sleep to run in pane 1',
    );
    await server.tmux(
      'new-window',
      '-d',
      '-t',
      '=work:1',
      '-n',
      'ed\x1b]0;pwned\x07it',
      '-c',
      directoryWithEscape,
    );
    layout = (await server.tmux('display-message', '-p', '-t', '=work:0', '#{window_layout}')).trim();
    succeeded(await server.cli('save'));
  });
  after(async () => {
    await server.dispose();
  });

  it('draws the window with the proportions and positions of its layout', async () => {
    const output = succeeded(await server.cli('show'));
    // Read the geometry tmux wrote: WxH,0,0{LEFTxH,0,0,ID,RIGHTxH,X,0[RIGHTxTOP,X,0,ID,RIGHTxBOTTOM,X,Y,ID]}
    const numbers = layout.match(
      /^[0-9a-f]{4},(\d+)x(\d+),0,0\{(\d+)x\d+,0,0,\d+,(\d+)x\d+,(\d+),0\[\d+x(\d+),\d+,0,\d+,\d+x(\d+),\d+,(\d+),\d+\]\}$/,
    );
    assert.ok(numbers, `unexpected layout ${layout}`);
    const [width, height, leftWidth, rightWidth, rightX, topHeight, , bottomY] = numbers
      .slice(1)
      .map(Number) as number[];
    assert.equal(rightWidth, 40);
    const lines = output.split('\n');
    const top = lines.findIndex((line) => line.startsWith('    ┌'));
    assert.ok(top > 0, output);
    const bottom = lines.findIndex((line, index) => index > top && line.startsWith('    └'));
    const drawing = lines.slice(top, bottom + 1).map((line) => line.slice(4));
    // Not a terminal: 80 columns, the drawing indented by 4.
    const drawnWidth = drawing[0]!.length;
    assert.ok(drawnWidth <= 76 && drawnWidth >= 70, `${drawnWidth} columns`);
    // One scale for both axes; with the frame the window is (width + 2) x (height + 2).
    const scale = (drawnWidth - 1) / (width! + 1);
    assert.ok(Math.abs(drawing.length - 1 - (height! + 1) * scale) <= 1, `${drawing.length} lines`);
    const border = drawing[0]!.indexOf('┬');
    assert.ok(Math.abs(border - (leftWidth! + 1) * scale) <= 1, `border at ${border}`);
    assert.equal(rightX, leftWidth! + 1);
    const split = drawing.findIndex((line) => line.endsWith('┤'));
    // The border between top and bottom is the line at y = bottomY - 1, drawn at (y + 1) * scale.
    assert.ok(Math.abs(split - bottomY! * scale) <= 1, `split at ${split}`);
    assert.ok(topHeight! > 0);
    assert.equal(drawing[split]![border], '├');
    // Labels: pane index (active marked) and program, each in its own box.
    assert.equal(drawing[1], `│${'0 sh'.padEnd(border - 1)}│${'1 sleep'.padEnd(drawnWidth - border - 2)}│`);
    assert.equal(
      drawing[split + 1],
      `│${' '.repeat(border - 1)}│${'2* sh'.padEnd(drawnWidth - border - 2)}│`,
    );
    assert.match(output, /^ {4}pane 1 {2}\S.*runs: "sleep" "600"$/m);
  });

  it('prints names and directories with escape sequences escaped, never raw', async () => {
    const output = succeeded(await server.cli('show'));
    assert.doesNotMatch(output, controlCharacters);
    assert.match(output, /^ {2}window 1 "ed\\x1b\]0;pwned\\x07it" /m);
    assert.ok(output.includes(`pane 0* ${server.root}/dir\\x1b[2Jx`), output);
    const json = succeeded(await server.cli('show', '--json'));
    assert.doesNotMatch(json, controlCharacters);
    const document = JSON.parse(json) as { sessions: { windows: { name: string }[] }[] };
    assert.equal(document.sessions[0]!.windows[1]!.name, 'ed\x1b]0;pwned\x07it');
  });

  it('shows a window whose layout is unusable with a note and no drawing, without its text', async () => {
    const [name] = await saveFiles(server);
    const document = JSON.parse(await readFile(join(server.saveDirectory, name!), 'utf8'));
    document.sessions[0].windows[0].layout = '\x1b]52;c;aGk=\x07';
    // An 8-bit CSI in the name: JSON.stringify, which the warning quotes names with, leaves it raw.
    document.sessions[0].windows[0].name = 'sh\u009b2J';
    const directory = join(server.root, 'edited');
    await mkdir(directory, { mode: 0o700 });
    await writeFile(join(directory, name!), JSON.stringify(document), { mode: 0o600 });
    const result = await server.cli('--dir', directory, 'show');
    const output = succeeded(result);
    assert.doesNotMatch(output + result.stderr, controlCharacters);
    assert.match(
      result.stderr,
      /^continuum: warning: window "work":0 \("sh\\x9b2J"\): the saved layout is not one tmux can use/,
    );
    assert.doesNotMatch(output, /52;c/);
    assert.match(
      output,
      /^ {2}window 0 "sh\\x9b2J" 121x31 \(active\) {2}layout not drawn: it does not start with a 4-digit hexadecimal checksum and a comma$/m,
    );
    // Only the second window is drawn.
    assert.equal(output.split('\n').filter((line) => line.startsWith('    ┌')).length, 1);
  });
});

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
