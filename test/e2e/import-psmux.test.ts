import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { withChecksum } from '../support/layouts.js';
import { powershellJson } from '../support/psmux-saves.js';
import { TestServer } from '../support/tmux-server.js';

/** The layout without its checksum and pane ids: what a restore reproduces exactly. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

const editorLayout = withChecksum('120x40,0,0{70x40,0,0,0,49x40,71,0[49x20,71,0,1,49x19,71,21,2]}');
const logsLayout = withChecksum('100x30,0,0[100x22,0,0,3,100x7,0,23,4]');

/**
 * A psmux-resurrect save imported with `continuum import` restores into a real tmux (standing in
 * for psmux) with the structure it describes: sessions, window names and indexes, panes, layouts,
 * zoom, active window and pane, titles and directories.
 */
describe('continuum import of a psmux-resurrect save, restored into tmux', () => {
  let server: TestServer;
  let resurrect: string;
  let projects: string;

  before(async () => {
    server = await TestServer.create();
    resurrect = join(server.home, '.psmux', 'resurrect');
    projects = join(server.home, 'проекты', 'a  b');
    await mkdir(resurrect, { recursive: true });
    await mkdir(projects, { recursive: true });
    const save = {
      timestamp: '20260314_091502',
      version: 2,
      sessions: [
        {
          name: 'проект',
          windows: [
            {
              panes: [
                { title: 'main', command: 'pwsh', active: false, index: 0, directory: projects },
                { directory: server.home, index: 1, command: 'pwsh', active: true, title: 'tests' },
                {
                  directory: '\\\\fileserver\\share\\docs',
                  index: 2,
                  command: 'pwsh',
                  active: false,
                  title: 'docs',
                },
              ],
              flags: '*Z',
              zoomed: true,
              layout: editorLayout,
              active: false,
              name: 'código',
              index: 0,
            },
            {
              index: 2,
              name: 'logs 📜',
              layout: logsLayout,
              active: true,
              zoomed: false,
              flags: '*',
              panes: [
                { index: 0, directory: 'C:\\logs', active: false, title: '', command: 'pwsh' },
                { index: 1, directory: server.home, active: true, title: 'tail', command: 'pwsh' },
              ],
            },
          ],
        },
        {
          name: '日本 notes',
          windows: [
            {
              index: 0,
              name: 'todo',
              layout: withChecksum('90x25,0,0,5'),
              active: true,
              zoomed: false,
              flags: '*',
              panes: [{ index: 0, directory: projects, active: true, title: 't', command: 'cmd' }],
            },
          ],
        },
      ],
    };
    await writeFile(join(resurrect, 'psmux_resurrect_20260314_091502.json'), powershellJson(save));
    await writeFile(
      join(resurrect, 'last'),
      `\uFEFFC:\\Users\\ana\\.psmux\\resurrect\\psmux_resurrect_20260314_091502.json\r\n`,
    );
  });
  after(async () => {
    await server.dispose();
  });

  it('--dry-run describes the save and writes nothing', async () => {
    const result = await server.cli('import', '--dry-run', resurrect);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^would import .*psmux_resurrect_20260314_091502\.json \(saved /);
    assert.match(result.stdout, /2 sessions, 3 windows, 6 panes/);
    await assert.rejects(readdir(server.saveDirectory), { code: 'ENOENT' });
  });

  it('restore without any continuum save says how to import the psmux-resurrect saves', async () => {
    await server.start('bootstrap');
    const result = await server.cli('restore');
    assert.equal(result.code, exitCodes.noSave);
    assert.ok(
      result.stderr.includes(`bring them along with \`continuum import ${resurrect}\``),
      result.stderr,
    );
  });

  it('imports with the save time of the psmux save, and restores the same structure', async () => {
    const imported = await server.cli('import', resurrect);
    assert.equal(imported.code, 0, imported.stderr);
    const files = (await readdir(server.saveDirectory)).filter((name) => name.endsWith('.json'));
    const savedAt = new Date(2026, 2, 14, 9, 15, 2);
    const stamp = savedAt.toISOString().replace(/:/g, '-').replace('.', '-');
    assert.equal(files.length, 1);
    assert.ok(files[0]!.endsWith(`${stamp}-server-${savedAt.getTime() / 1000}-0.json`), files[0]);

    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    // The UNC and drive paths do not exist here: those panes start in HOME, and restore says so.
    assert.match(restored.stderr, /fileserver/);

    const windows = await server.tmux(
      'list-windows',
      '-a',
      '-F',
      '#{session_name}|#{window_index}|#{window_name}|#{window_panes}|#{window_zoomed_flag}|#{window_active}',
    );
    // The bootstrap session is restore's business (it may replace it), not the import's.
    const restoredWindows = windows
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('bootstrap|'));
    assert.deepEqual(
      restoredWindows.sort(),
      ['проект|0|código|3|1|0', 'проект|2|logs 📜|2|0|1', '日本 notes|0|todo|1|0|1'].sort(),
    );

    const layoutOf = async (target: string) =>
      geometry((await server.tmux('display-message', '-p', '-t', target, '#{window_layout}')).trim());
    // A zoomed window reports its zoomed layout; unzoom to compare the saved one.
    await server.tmux('resize-pane', '-Z', '-t', '=проект:0');
    assert.equal(await layoutOf('=проект:0'), geometry(editorLayout));
    assert.equal(await layoutOf('=проект:2'), geometry(logsLayout));

    const panes = await server.tmux(
      'list-panes',
      '-s',
      '-t',
      '=проект',
      '-F',
      '#{window_index}.#{pane_index}|#{pane_title}|#{pane_active}|#{pane_current_path}',
    );
    assert.deepEqual(panes.trim().split('\n'), [
      `0.0|main|0|${projects}`,
      `0.1|tests|1|${server.home}`,
      `0.2|docs|0|${server.home}`,
      `2.0||0|${server.home}`,
      `2.1|tail|1|${server.home}`,
    ]);
  });

  it('a malformed save is reported with its path and field, exit 6, and nothing is written', async () => {
    const broken = join(server.root, 'broken');
    await mkdir(broken);
    const file = join(broken, 'psmux_resurrect_20260101_000000.json');
    await writeFile(
      file,
      powershellJson({
        version: 2,
        timestamp: '20260101_000000',
        sessions: [
          {
            name: 'x',
            windows: [{ index: 0, name: 'w', layout: '', active: 'yes', zoomed: false, panes: [] }],
          },
        ],
      }),
    );
    const before = await readdir(server.saveDirectory);
    const result = await server.cli('import', file);
    assert.equal(result.code, exitCodes.badSave);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^continuum: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    assert.match(result.stderr, /\(at sessions\.0\.windows\.0\.active\)/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.deepEqual(await readdir(server.saveDirectory), before);
  });
});
