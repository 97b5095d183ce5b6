import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { saveFiles, succeeded } from '../support/cli-saves.js';
import { TestServer, waitFor } from '../support/tmux-server.js';

/** Control characters other than the newline that ends each line: none may reach a terminal. */
const controlCharacters = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

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
