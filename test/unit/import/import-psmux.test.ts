import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { convertPsmuxSave, PsmuxImportProblem, parseTimestamp } from '../../../src/import/import-psmux.js';
import { findPsmuxSave, PsmuxSourceProblem } from '../../../src/import/psmux-save-files.js';
import { validateSnapshot } from '../../../src/snapshot/schema.js';
import { withChecksum } from '../../support/layouts.js';
import {
  powershellJson,
  samplePsmuxSave,
  threePaneLayout,
  twoPaneLayout,
} from '../../support/psmux-saves.js';

function problemOf(save: unknown): PsmuxImportProblem {
  try {
    convertPsmuxSave(typeof save === 'string' ? Buffer.from(save, 'utf8') : powershellJson(save));
  } catch (error) {
    assert.ok(error instanceof PsmuxImportProblem, String(error));
    return error;
  }
  assert.fail('the save was accepted');
}

describe('convertPsmuxSave: a psmux-resurrect save as Windows PowerShell writes it', () => {
  const converted = convertPsmuxSave(powershellJson(samplePsmuxSave()));
  const snapshot = converted.snapshot;

  it('reads a file with a byte-order mark, CRLF and shuffled keys into a valid snapshot', () => {
    assert.equal(validateSnapshot(snapshot).ok, true);
    assert.deepEqual(
      snapshot.sessions.map((session) => session.name),
      ['проект', '日本 notes'],
    );
    assert.equal(snapshot.mux.name, 'psmux');
    assert.equal(snapshot.server.pid, 0);
  });

  it('keeps the save time: yyyyMMdd_HHmmss read as local time', () => {
    assert.equal(snapshot.savedAt, new Date(2026, 2, 14, 9, 15, 2).toISOString());
  });

  it('keeps unicode names, backslash and UNC directories exactly', () => {
    const [first, second] = snapshot.sessions[0]!.windows;
    assert.equal(first!.name, 'código');
    assert.equal(second!.name, 'logs 📜');
    assert.deepEqual(
      first!.panes.map((pane) => [pane.cwd, pane.title]),
      [
        ['C:\\Users\\ana\\src', 'ana-laptop'],
        ['\\\\fileserver\\share\\проекты', 'редактор'],
      ],
    );
    assert.equal(second!.panes[1]!.cwd, 'D:\\logs\\a b');
    assert.equal(second!.panes[2]!.cwd, 'C:\\');
  });

  it('keeps zoom, active window and active pane', () => {
    const [first, second] = snapshot.sessions[0]!.windows;
    assert.deepEqual(
      [first!.zoomed, first!.active, second!.zoomed, second!.active],
      [true, true, false, false],
    );
    assert.deepEqual(
      first!.panes.map((pane) => pane.active),
      [false, true],
    );
  });

  it("a window whose flags hold psmux's `-` comes back as the alternate (last) window", () => {
    const [first, second] = snapshot.sessions[0]!.windows;
    assert.deepEqual([first!.alternate, second!.alternate], [false, true]);
    assert.equal(snapshot.sessions[1]!.windows[0]!.alternate, false);
  });

  it('takes the window size from a valid layout and keeps the layout', () => {
    const [first, second] = snapshot.sessions[0]!.windows;
    assert.deepEqual([first!.layout, first!.width, first!.height], [twoPaneLayout, 120, 40]);
    assert.deepEqual([second!.layout, second!.width, second!.height], [threePaneLayout, 100, 30]);
    assert.deepEqual(
      [snapshot.sessions[1]!.windows[0]!.width, snapshot.sessions[1]!.windows[0]!.height],
      [90, 25],
    );
    assert.deepEqual(converted.warnings, []);
  });

  it('keeps window and pane indexes; base indexes follow them', () => {
    const notes = snapshot.sessions[1]!;
    assert.equal(notes.windows[0]!.index, 3);
    assert.equal(notes.windows[0]!.panes[0]!.index, 1);
    assert.equal(notes.windows[0]!.paneBaseIndex, 1);
    assert.equal(notes.baseIndex, 1);
    assert.equal(snapshot.sessions[0]!.baseIndex, 0);
  });

  it('a shell is no program; any other executable name is, with no arguments to guess', () => {
    const programs = snapshot.sessions.flatMap((session) =>
      session.windows.flatMap((window) => window.panes.map((pane) => [pane.currentCommand, pane.program])),
    );
    assert.deepEqual(programs, [
      ['pwsh', null],
      ['nvim', { argv: ['nvim'] }],
      ['pwsh.exe', null],
      ['tail', { argv: ['tail'] }],
      ['', null],
      ['cmd', null],
    ]);
  });

  it('pane contents keep their text with \\n line ends, keyed by the pane', () => {
    const nvimPane = snapshot.sessions[0]!.windows[0]!.panes[1]!;
    assert.deepEqual([...converted.contents], [[nvimPane.id, 'PS C:\\> echo hi\nhi\nPS C:\\>\n']]);
  });

  it('reads the same save without a byte-order mark and with LF line ends (pwsh 7)', () => {
    const plain = convertPsmuxSave(Buffer.from(JSON.stringify(samplePsmuxSave()), 'utf8'));
    assert.deepEqual(plain.snapshot, snapshot);
  });

  it('reads a save written as UTF-16 with its mark', () => {
    const text = `\uFEFF${JSON.stringify(samplePsmuxSave())}`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(1), 'utf16le')]);
    assert.deepEqual(convertPsmuxSave(bytes).snapshot, snapshot);
  });
});

describe('convertPsmuxSave: what it refuses, naming the field', () => {
  const withPane = (change: (pane: Record<string, unknown>) => void) => {
    const save = samplePsmuxSave() as { sessions: { windows: { panes: Record<string, unknown>[] }[] }[] };
    change(save.sessions[0]!.windows[0]!.panes[1]!);
    return save;
  };

  it('not JSON, not UTF-8, not an object', () => {
    assert.match(problemOf('{"version": 2,').message, /not JSON/);
    assert.match(
      (() => {
        try {
          convertPsmuxSave(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })(),
      /not UTF-8/,
    );
    assert.equal(problemOf('[1,2]').field, undefined);
  });

  it('another version, or none', () => {
    assert.equal(problemOf({ ...samplePsmuxSave(), version: 1 }).field, 'version');
    const { version: _, ...unversioned } = samplePsmuxSave();
    assert.match(problemOf(unversioned).message, /not a psmux-resurrect save/);
  });

  it('a timestamp that is not yyyyMMdd_HHmmss or not a real time', () => {
    assert.equal(problemOf({ ...samplePsmuxSave(), timestamp: '2026-03-14' }).field, 'timestamp');
    assert.equal(problemOf({ ...samplePsmuxSave(), timestamp: '20260231_120000' }).field, 'timestamp');
    assert.equal(problemOf({ ...samplePsmuxSave(), timestamp: 20260314 }).field, 'timestamp');
  });

  it('no sessions: nothing to import, and never an empty save', () => {
    assert.equal(problemOf({ ...samplePsmuxSave(), sessions: [] }).field, 'sessions');
  });

  it('a field of the wrong type names its path', () => {
    assert.equal(
      problemOf(
        withPane((pane) => {
          pane.active = 'True';
        }),
      ).field,
      'sessions.0.windows.0.panes.1.active',
    );
    assert.equal(
      problemOf(
        withPane((pane) => {
          pane.index = -1;
        }),
      ).field,
      'sessions.0.windows.0.panes.1.index',
    );
    assert.equal(
      problemOf(
        withPane((pane) => {
          delete pane.directory;
        }),
      ).field,
      'sessions.0.windows.0.panes.1.directory',
    );
    assert.equal(
      problemOf(
        withPane((pane) => {
          pane.content = 42;
        }),
      ).field,
      'sessions.0.windows.0.panes.1.content',
    );
  });

  it('duplicate names and indexes are refused rather than merged', () => {
    const save = samplePsmuxSave() as { sessions: { name: string; windows: { index: number }[] }[] };
    save.sessions[1]!.name = save.sessions[0]!.name;
    assert.equal(problemOf(save).field, 'sessions.1.name');
    const windows = samplePsmuxSave() as { sessions: { windows: { index: number }[] }[] };
    windows.sessions[0]!.windows[1]!.index = 0;
    assert.equal(problemOf(windows).field, 'sessions.0.windows.1.index');
  });

  it('an empty session name and a window without panes', () => {
    const unnamed = samplePsmuxSave() as { sessions: { name: string }[] };
    unnamed.sessions[0]!.name = '';
    assert.equal(problemOf(unnamed).field, 'sessions.0.name');
    const empty = samplePsmuxSave() as { sessions: { windows: { panes: unknown[] }[] }[] };
    empty.sessions[0]!.windows[0]!.panes = [];
    assert.equal(problemOf(empty).field, 'sessions.0.windows.0.panes');
  });
});

describe('convertPsmuxSave: layouts continuum cannot apply as saved', () => {
  const withLayout = (layout: string) => {
    const save = samplePsmuxSave() as { sessions: { windows: { layout: string }[] }[] };
    save.sessions[0]!.windows[0]!.layout = layout;
    return convertPsmuxSave(powershellJson(save));
  };

  it('a wrong checksum on a sound layout is recomputed, with a warning', () => {
    const body = '120x40,0,0{60x40,0,0,0,59x40,61,0,1}';
    const result = withLayout(`ffff,${body}`);
    const window = result.snapshot.sessions[0]!.windows[0]!;
    assert.deepEqual([window.layout, window.width, window.height], [withChecksum(body), 120, 40]);
    assert.match(result.warnings[0]!, /checksum/);
  });

  it('a layout for another number of panes or an empty one is kept for the record, 80x24, with a warning', () => {
    const other = withLayout(withChecksum('90x25,0,0,5'));
    const window = other.snapshot.sessions[0]!.windows[0]!;
    assert.deepEqual([window.layout, window.width, window.height], [withChecksum('90x25,0,0,5'), 80, 24]);
    assert.match(other.warnings[0]!, /it has 1 pane but the window has 2/);
    const empty = withLayout('');
    assert.equal(empty.snapshot.sessions[0]!.windows[0]!.layout, 'unknown');
    assert.match(empty.warnings[0]!, /tiled/);
  });
});

describe('parseTimestamp', () => {
  it('reads local time to the second', () => {
    assert.equal(parseTimestamp('20251231_235959').getTime(), new Date(2025, 11, 31, 23, 59, 59).getTime());
  });
});

describe('findPsmuxSave: the file, its `last` pointer, or the directory', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-psmux-files-'));
    await mkdir(join(directory, 'resurrect'));
    await writeFile(join(directory, 'resurrect', 'psmux_resurrect_20260101_080000.json'), 'old');
    await writeFile(join(directory, 'resurrect', 'psmux_resurrect_20260301_080000.json'), 'newest by name');
    await writeFile(join(directory, 'resurrect', 'psmux_resurrect_20260201_080000.json'), 'pointed at');
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('a directory without `last` gives its newest save by name', async () => {
    const source = await findPsmuxSave(join(directory, 'resurrect'));
    assert.equal(source.path, join(directory, 'resurrect', 'psmux_resurrect_20260301_080000.json'));
  });

  it('`last` holds a path as text (BOM, CRLF), followed from the directory or named itself', async () => {
    const pointed = join(directory, 'resurrect', 'psmux_resurrect_20260201_080000.json');
    await writeFile(join(directory, 'resurrect', 'last'), `\uFEFF${pointed}\r\n`);
    assert.equal((await findPsmuxSave(join(directory, 'resurrect'))).path, pointed);
    assert.equal((await findPsmuxSave(join(directory, 'resurrect', 'last'))).path, pointed);
    assert.equal(
      Buffer.from((await findPsmuxSave(join(directory, 'resurrect'))).bytes).toString(),
      'pointed at',
    );
  });

  it('a Windows path in `last` is read as the file of that name beside it', async () => {
    await writeFile(
      join(directory, 'resurrect', 'last'),
      'C:\\Users\\ana\\.psmux\\resurrect\\psmux_resurrect_20260101_080000.json\r\n',
    );
    assert.equal(
      (await findPsmuxSave(join(directory, 'resurrect'))).path,
      join(directory, 'resurrect', 'psmux_resurrect_20260101_080000.json'),
    );
  });

  it('a pointer to nothing, or a missing path, is a problem that names the file', async () => {
    await writeFile(join(directory, 'resurrect', 'last'), 'C:\\gone\\elsewhere.json\r\n');
    await assert.rejects(findPsmuxSave(join(directory, 'resurrect')), (error: unknown) => {
      assert.ok(error instanceof PsmuxSourceProblem);
      assert.equal(error.path, join(directory, 'resurrect', 'last'));
      return true;
    });
    await assert.rejects(findPsmuxSave(join(directory, 'nothing-here')), PsmuxSourceProblem);
  });
});
