import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { readPaneContentsFile } from '../../src/store/pane-contents-file.js';
import { editLayout, logsLayout, sampleSave, singleLayout } from '../support/tmux-resurrect-saves.js';
import { TestServer } from '../support/tmux-server.js';

/** The layout without its checksum and pane ids: what a restore reproduces exactly. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

/**
 * tmux-resurrect saves written by hand with save.sh's rules, imported with `continuum import`
 * into a real tmux server's saves, then restored into it.
 */
describe('continuum import of tmux-resurrect saves, restored into tmux', () => {
  let server: TestServer;
  let resurrect: string;
  let spaced: string;
  const olderName = 'tmux_resurrect_20260301T080000.txt';
  const newerName = 'tmux_resurrect_20260314T091502.txt';

  before(async () => {
    server = await TestServer.create();
    resurrect = join(server.home, '.tmux', 'resurrect');
    spaced = join(server.home, 'my projects', 'a: b ü');
    await mkdir(resurrect, { recursive: true });
    await mkdir(spaced, { recursive: true });
    const text = sampleSave({ spaced, plain: server.home });
    // The older save: only the 日本 session (its pane and window lines, and no state line).
    const older = `${text
      .split('\n')
      .filter((line) => /^(pane|window)\t日本\t/.test(line))
      .join('\n')}\n`;
    await writeFile(join(resurrect, olderName), older);
    await writeFile(join(resurrect, newerName), text);
    await symlink(newerName, join(resurrect, 'last'));
    const contents = join(resurrect, 'save', 'pane_contents');
    await mkdir(contents, { recursive: true });
    await writeFile(join(contents, 'pane-my work α:1.0'), 'saved vim screen\n');
    execFileSync(
      'tar',
      ['czf', join(resurrect, 'pane_contents.tar.gz'), '-C', join(resurrect, 'save'), './pane_contents/'],
      {
        timeout: 10_000,
      },
    );
  });
  after(async () => {
    await server.dispose();
  });

  it('list and restore, with no continuum save yet, give the exact import command', async () => {
    await server.start('bootstrap');
    const listed = await server.cli('list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(
      listed.stdout.includes(`bring them along with \`continuum import ${resurrect}\``),
      listed.stdout,
    );
    const restored = await server.cli('restore');
    assert.equal(restored.code, exitCodes.noSave);
    assert.ok(restored.stderr.includes(`\`continuum import ${resurrect}\`, then restore`), restored.stderr);
  });

  it('--dry-run describes every save, oldest first, and writes nothing', async () => {
    const result = await server.cli('import', '--dry-run', resurrect);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[0]!.startsWith(`would import ${join(resurrect, olderName)} `), lines[0]);
    assert.match(lines[1]!, /3 sessions, 5 windows, 9 panes, 1 pane\(s\) with contents$/);
    await assert.rejects(readdir(server.saveDirectory), { code: 'ENOENT' });
  });

  it('imports the directory with each save`s time; a second import writes nothing', async () => {
    const imported = await server.cli('import', resurrect);
    assert.equal(imported.code, 0, imported.stderr);
    const saves = (await readdir(server.saveDirectory)).filter((name) => name.endsWith('.json')).sort();
    assert.equal(saves.length, 2);
    const stamp = (date: Date) => date.toISOString().replace(/:/g, '-').replace('.', '-');
    assert.ok(
      saves.some((name) => name.includes(stamp(new Date(2026, 2, 1, 8, 0, 0)))),
      saves.join(),
    );
    const newer = saves.find((name) => name.includes(stamp(new Date(2026, 2, 14, 9, 15, 2))));
    assert.ok(newer, saves.join());
    const document = JSON.parse(await readFile(join(server.saveDirectory, newer), 'utf8'));
    assert.ok(document.paneContents, 'the newest save carries the archive`s contents');
    const contents = await readPaneContentsFile(join(server.saveDirectory, document.paneContents.file));
    assert.deepEqual([...contents.values()], ['saved vim screen\n']);

    const before = (await readdir(server.saveDirectory)).sort();
    const again = await server.cli('import', resurrect);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      again.stdout
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('already imported')).length,
      2,
    );
    assert.deepEqual((await readdir(server.saveDirectory)).sort(), before);
  });

  it('the imported save restores with the same structure', async () => {
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const windows = await server.tmux(
      'list-windows',
      '-a',
      '-F',
      '#{session_name}|#{session_grouped}|#{window_index}|#{window_panes}|#{window_zoomed_flag}|#{window_active}',
    );
    assert.deepEqual(
      windows
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('bootstrap|'))
        .sort(),
      [
        'my work α|1|1|2|0|0',
        'my work α|1|2|2|1|1',
        'peek|1|1|2|0|0',
        'peek|1|2|2|1|1',
        '日本|0|0|1|0|1',
      ].sort(),
    );
    // One group: restore names it after the session that carries it, as tmux does.
    const groups = await server.tmux('list-sessions', '-F', '#{session_name}|#{session_group}');
    const groupOf = (name: string) =>
      groups
        .split('\n')
        .find((line) => line.startsWith(`${name}|`))
        ?.split('|')[1];
    assert.equal(groupOf('peek'), groupOf('my work α'));
    await server.tmux('resize-pane', '-Z', '-t', '=my work α:2');
    const layoutOf = async (target: string) =>
      geometry((await server.tmux('display-message', '-p', '-t', target, '#{window_layout}')).trim());
    assert.equal(await layoutOf('=my work α:1'), geometry(editLayout));
    assert.equal(await layoutOf('=my work α:2'), geometry(logsLayout));
    assert.equal(await layoutOf('=日本:0'), geometry(singleLayout));
    const panes = await server.tmux(
      'list-panes',
      '-s',
      '-t',
      '=my work α',
      '-F',
      '#{window_index}.#{pane_index}|#{pane_title}|#{pane_active}|#{pane_current_path}',
    );
    assert.deepEqual(panes.trim().split('\n'), [
      `1.0|vim: main|1|${spaced}`,
      `1.1||0|${server.home}`,
      `2.0|tail: here|0|${server.home}`,
      `2.1|logs|1|${spaced}`,
    ]);
  });

  it('a file with no usable session is reported with its lines and not imported (exit 6)', async () => {
    const broken = join(server.root, 'broken');
    await mkdir(broken);
    const file = join(broken, 'tmux_resurrect_20260101T000000.txt');
    await writeFile(file, 'pane\tx\tnot-a-number\n');
    const before = (await readdir(server.saveDirectory)).sort();
    const result = await server.cli('import', file);
    assert.equal(result.code, exitCodes.badSave);
    assert.equal(result.stdout, '');
    assert.ok(result.stderr.includes(`${file}:1: a pane line has 11 fields`), result.stderr);
    assert.ok(
      result.stderr.includes(`${file}: the save holds no usable session; not imported`),
      result.stderr,
    );
    assert.deepEqual((await readdir(server.saveDirectory)).sort(), before);
  });
});
