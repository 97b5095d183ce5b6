import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  paneContentsCommands,
  paneContentsSettingsFrom,
  parsePaneContents,
} from '../../src/snapshot/pane-contents.js';
import {
  contentsFileNameFor,
  encodePaneContents,
  paneContentsDigest,
  readPaneContentsFile,
} from '../../src/store/pane-contents-file.js';

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
    assert.deepEqual(paneContentsCommands(['%3'], full, 'M'), [
      ['display-message', '-p', 'M %3'],
      ['capture-pane', '-p', '-e', '-J', '-S', '-300', '-t', '%3'],
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
      'MARK %1',
      'one',
      '\x1b[31mtwo\x1b[39m   ',
      '',
      '\x1b[0m',
      'MARK %2',
      '',
      '',
      'MARK %3',
      'a',
      'b',
      'c',
      '',
    ].join('\n');
    const contents = parsePaneContents(output, 'MARK', 2);
    assert.deepEqual(
      [...contents],
      [
        ['%1', 'one\n\x1b[31mtwo\x1b[39m\n'],
        ['%3', 'b\nc\n'],
      ],
    );
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
