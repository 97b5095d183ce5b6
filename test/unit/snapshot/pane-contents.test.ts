import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PaneContentsCopies } from '../../../src/restore/contents-launch.js';
import {
  paneContentsCommands,
  paneContentsSettingsFrom,
  parsePaneContents,
} from '../../../src/snapshot/pane-contents.js';
import {
  contentsFileNameFor,
  encodePaneContents,
  paneContentsDigest,
  readPaneContentsFile,
} from '../../../src/store/pane-contents-file.js';

describe('pane contents', () => {
  it('reads its options with tmux-resurrect defaults', () => {
    const off = paneContentsSettingsFrom(new Map());
    assert.equal(off.enabled, false);
    assert.equal(off.area, 'full');
    const on = paneContentsSettingsFrom(
      new Map([
        ['@resurrect-capture-pane-contents', 'on'],
        ['@resurrect-pane-contents-area', 'visible'],
        ['@continuum-pane-contents-lines', '50'],
        ['@continuum-pane-contents-exclude', 'ssh  pass gpg'],
      ]),
    );
    assert.deepEqual(
      { ...on, excludedPrograms: [...on.excludedPrograms] },
      { enabled: true, area: 'visible', maximumLines: 50, excludedPrograms: ['ssh', 'pass', 'gpg'] },
    );
  });

  it('asks for the whole bounded scrollback or only the screen', () => {
    const full = paneContentsSettingsFrom(new Map([['@continuum-pane-contents-lines', '300']]));
    // The marker names the pane by its position: a `%` would reach strftime in display-message.
    assert.deepEqual(paneContentsCommands(['%3', '%14'], full, 'M'), [
      ['display-message', '-p', 'M 0'],
      ['capture-pane', '-p', '-e', '-J', '-S', '-300', '-t', '%3'],
      ['display-message', '-p', 'M 1'],
      ['capture-pane', '-p', '-e', '-J', '-S', '-300', '-t', '%14'],
    ]);
    const visible = paneContentsSettingsFrom(new Map([['@resurrect-pane-contents-area', 'visible']]));
    assert.deepEqual(paneContentsCommands(['%3'], visible, 'M')[1], [
      'capture-pane',
      '-p',
      '-e',
      '-J',
      '-t',
      '%3',
    ]);
  });

  it('splits output by marker, drops blank screen rows and keeps the newest lines', () => {
    const output = [
      'MARK 0',
      'one',
      '\x1b[31mtwo\x1b[39m   ',
      '',
      '\x1b[0m',
      'MARK 1',
      '',
      '',
      'MARK 2',
      'a',
      'b',
      'c',
      '',
    ].join('\n');
    const contents = parsePaneContents(output, 'MARK', ['%1', '%2', '%3'], 2);
    assert.deepEqual(
      [...contents],
      [
        ['%1', 'one\n\x1b[31mtwo\x1b[39m\n'],
        ['%3', 'b\nc\n'],
      ],
    );
  });

  it('keeps only colours of the captured text when saving', () => {
    const output = ['MARK 0', '\x1b[31mred\x1b]52;c;cHduZWQ=\x07\x1b[0m', '\x1b]2;title\x1b\\plain'].join(
      '\n',
    );
    assert.deepEqual(parsePaneContents(output, 'MARK', ['%1'], 10).get('%1'), '\x1b[31mred\x1b[0m\nplain\n');
  });

  it('gives a restored pane a copy with only the colours of an edited contents file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const edited = new Map([
        ['%1', '\x1b[32mgreen\x1b[0m\x1b]52;c;cHduZWQ=\x07 \x1b]52;c;cHduZWQ=\x1b\\text\u009b6n\n'],
        ['%2', '\x1b]0;only a title\x07'],
      ]);
      const copies = new PaneContentsCopies(join(directory, 'copies'), edited, {
        defaultShell: '/bin/sh',
        defaultCommand: '',
      });
      const launch = copies.launchFor('%1');
      assert.ok(launch, 'the pane shows its text');
      assert.equal(copies.launchFor('%2'), undefined, 'nothing is left to show');
      await copies.write();
      // The launch command's fifth argument is the copy the pane prints.
      const copy = launch.command[4]!;
      assert.equal(await readFile(copy, 'utf8'), '\x1b[32mgreen\x1b[0m text\n');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('stores contents compressed beside the save and reads them back', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const contents = new Map([['%1', 'ünï \x1b[32mcode\x1b[0m\n']]);
      const name = contentsFileNameFor('continuum-2026-11-24T12-00-00-000Z-server-1-2.json');
      assert.equal(name, 'continuum-2026-11-24T12-00-00-000Z-server-1-2.contents.json.gz');
      await writeFile(join(directory, name), await encodePaneContents(contents));
      assert.deepEqual(await readPaneContentsFile(join(directory, name)), contents);
      assert.notEqual(paneContentsDigest(contents), paneContentsDigest(new Map([['%1', 'other\n']])));
      await writeFile(join(directory, 'broken.gz'), 'not gzip');
      await assert.rejects(readPaneContentsFile(join(directory, 'broken.gz')), /not gzip-compressed JSON/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
