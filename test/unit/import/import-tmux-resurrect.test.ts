import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  convertTmuxResurrectSave,
  TmuxResurrectImportProblem,
  tmuxResurrectSaveTime,
} from '../../../src/import/import-tmux-resurrect.js';
import { readTarGz, TarArchiveProblem } from '../../../src/import/tar-archive.js';
import { validateSnapshot } from '../../../src/snapshot/schema.js';
import { withChecksum } from '../../support/layouts.js';
import {
  editLayout,
  logsLayout,
  paneLine,
  sampleSave,
  singleLayout,
  windowLine,
} from '../../support/tmux-resurrect-saves.js';

const directories = { spaced: '/home/ana/my projects/a: b', plain: '/tmp' };
const savedAt = new Date(2026, 2, 14, 9, 15, 2);
const socketPath = '/tmp/tmux-1000/default';
const convert = (text: string, paneContentFiles?: ReadonlyMap<string, Uint8Array>) =>
  convertTmuxResurrectSave(Buffer.from(text, 'utf8'), {
    savedAt,
    socketPath,
    ...(paneContentFiles ? { paneContentFiles } : {}),
  });

describe('convertTmuxResurrectSave: a save written with save.sh rules', () => {
  const converted = convert(sampleSave(directories));
  const { snapshot } = converted;
  const session = (name: string) => snapshot.sessions.find((candidate) => candidate.name === name)!;

  it('is a valid snapshot with every session, the grouped one last, and no problem', () => {
    assert.equal(validateSnapshot(JSON.parse(JSON.stringify(snapshot))).ok, true);
    assert.deepEqual(
      snapshot.sessions.map((each) => [each.name, each.group]),
      [
        ['my work α', 'my work α'],
        ['日本', null],
        ['peek', 'my work α'],
      ],
    );
    assert.deepEqual(converted.lineProblems, []);
    assert.deepEqual(converted.warnings, []);
  });

  it('keeps the time, the server it is imported for, and the state line', () => {
    assert.equal(snapshot.savedAt, savedAt.toISOString());
    assert.equal(snapshot.server.socketPath, socketPath);
    assert.equal(snapshot.activeSession, '日本');
    assert.equal(snapshot.alternateSession, 'my work α');
  });

  it('reads windows field by field: tab and `:` in a name, flags, layout size, automatic-rename', () => {
    const [edit, logs] = session('my work α').windows;
    assert.deepEqual(
      { ...edit!, panes: undefined },
      {
        id: edit!.id,
        index: 1,
        name: 'edit: α\tβ',
        automaticRename: false,
        layout: editLayout,
        width: 160,
        height: 48,
        zoomed: false,
        active: false,
        alternate: true,
        paneBaseIndex: 0,
        panes: undefined,
      },
    );
    assert.equal(logs!.index, 2);
    assert.equal(logs!.name, 'logs');
    assert.equal(logs!.zoomed, true);
    assert.equal(logs!.active, true);
    assert.equal(logs!.alternate, false);
    assert.equal(logs!.automaticRename, true, 'an unset option (":") is the default, on');
    assert.equal(logs!.layout, logsLayout);
    const notes = session('日本').windows[0]!;
    assert.deepEqual([notes.layout, notes.width, notes.height], [singleLayout, 120, 40]);
  });

  it('reads panes field by field: escaped spaces and `:`, empty title, full command', () => {
    const [first, second] = session('my work α').windows[0]!.panes;
    assert.deepEqual(
      { ...first!, id: undefined },
      {
        id: undefined,
        index: 0,
        cwd: '/home/ana/my projects/a: b',
        title: 'vim: main',
        active: true,
        currentCommand: 'vim',
        startCommand: '',
        program: { argv: ['vim', '-O', 'a.txt', 'b.txt'] },
      },
    );
    assert.deepEqual(
      [second!.cwd, second!.title, second!.active, second!.program],
      ['/tmp', '', false, null],
    );
    const logsPanes = session('my work α').windows[1]!.panes;
    assert.deepEqual(
      logsPanes.map((pane) => [pane.index, pane.title, pane.active]),
      [
        [0, 'tail: here', false],
        [1, 'logs', true],
      ],
    );
  });

  it('gives a grouped session its original windows with its own active and alternate window', () => {
    const peek = session('peek');
    const original = session('my work α');
    assert.deepEqual(
      peek.windows.map((window) => [window.index, window.name, window.active, window.alternate]),
      [
        [1, 'edit: α\tβ', false, true],
        [2, 'logs', true, false],
      ],
    );
    assert.deepEqual(
      peek.windows.map((window) => window.panes.map((pane) => pane.id)),
      original.windows.map((window) => window.panes.map((pane) => pane.id)),
    );
  });
});

describe('convertTmuxResurrectSave: malformed lines', () => {
  it('reports each one with its line number, skips it, and imports the rest', () => {
    const good = sampleSave(directories).trimEnd().split('\n');
    const lines = [
      good[0],
      'pane\tmy work α\tx\t1\t:*\t0\tt\t:/tmp\t1\tbash\t:',
      ...good.slice(1),
      'window\tonly\tthree',
      'frobnicate\t1',
    ];
    const converted = convert(`${lines.join('\n')}\n`);
    assert.deepEqual(
      converted.lineProblems.map((problem) => problem.line),
      [2, lines.length - 1, lines.length],
    );
    assert.match(converted.lineProblems[0]!.problem, /window index "x" is not a number/);
    assert.match(converted.lineProblems[1]!.problem, /window line has 8 fields; this one has 3/);
    assert.match(converted.lineProblems[2]!.problem, /unknown line type "frobnicate"/);
    assert.equal(converted.snapshot.sessions.length, 3);
  });

  it('a pane whose window has no window line is reported, not given a guessed layout', () => {
    const text = `${paneLine({
      session: 'lonely',
      window: 0,
      windowActive: true,
      flags: '*',
      pane: 0,
      title: '',
      directory: '/tmp',
      active: true,
      command: 'bash',
      fullCommand: '',
    })}\n`;
    assert.throws(
      () => convert(text),
      (error: unknown) =>
        error instanceof TmuxResurrectImportProblem &&
        /no usable session/.test(error.message) &&
        error.lineProblems.length === 1 &&
        error.lineProblems[0]!.line === 1 &&
        /has no window line/.test(error.lineProblems[0]!.problem),
    );
  });

  it('an empty file, or one that is not UTF-8, has no usable session', () => {
    assert.throws(() => convert(''), TmuxResurrectImportProblem);
    assert.throws(
      () => convertTmuxResurrectSave(Uint8Array.from([0xff, 0xfe, 0x00]), { savedAt, socketPath }),
      /not UTF-8/,
    );
  });

  it('a layout tmux could not use is kept with a warning; the window is restored tiled', () => {
    const text = [
      paneLine({
        session: 's',
        window: 0,
        windowActive: true,
        flags: '*',
        pane: 0,
        title: '',
        directory: '/tmp',
        active: true,
        command: 'bash',
        fullCommand: '',
      }),
      windowLine({
        session: 's',
        window: 0,
        name: 'w',
        active: true,
        flags: '*',
        layout: 'garbage',
        automaticRename: 'on',
      }),
    ].join('\n');
    const converted = convert(text);
    assert.equal(converted.snapshot.sessions[0]!.windows[0]!.layout, 'garbage');
    assert.match(converted.warnings[0]!, /cannot be used .* restored tiled/);
  });
});

describe('convertTmuxResurrectSave: older save.sh formats and bash read rules', () => {
  it('reads the format before 2021: the window name in the pane line, no title, 6-field windows', () => {
    const layout = withChecksum('80x24,0,0,0');
    const text = [
      'pane\told\t3\t:editor\t1\t:*\t0\t:/srv/a\\ b\t1\tbash\t:',
      `window\told\t3\t1\t:*\t${layout}`,
      'state\told\t',
    ].join('\n');
    const converted = convert(text);
    assert.deepEqual(converted.lineProblems, []);
    const window = converted.snapshot.sessions[0]!.windows[0]!;
    assert.deepEqual(
      [window.index, window.name, window.active, window.automaticRename],
      [3, 'editor', true, false],
    );
    assert.equal(window.panes[0]!.cwd, '/srv/a b');
    assert.equal(converted.snapshot.activeSession, 'old');
    assert.equal(converted.snapshot.alternateSession, null);
  });

  it('reads the format of 2021: pane lines without a title', () => {
    const layout = withChecksum('80x24,0,0,0');
    const text = [
      'pane\tmid\t0\t1\t:*\t0\t:/srv\t1\tpython3\t:python3 -m http.server',
      `window\tmid\t0\t:web\t1\t:*\t${layout}\ton`,
    ].join('\n');
    const pane = convert(text).snapshot.sessions[0]!.windows[0]!.panes[0]!;
    assert.deepEqual([pane.cwd, pane.title, pane.currentCommand], ['/srv', '', 'python3']);
    assert.deepEqual(pane.program?.argv, ['python3', '-m', 'http.server']);
  });

  it('a backslash at the end of a line joins the next one, as bash read does', () => {
    const layout = withChecksum('80x24,0,0,0');
    const text = [
      'pane\tjoined\t0\t1\t:*\t0\ta long \\',
      'title\t:/tmp\t1\tbash\t:',
      `window\tjoined\t0\t:w\t1\t:*\t${layout}\ton`,
    ].join('\n');
    const converted = convert(text);
    assert.deepEqual(converted.lineProblems, []);
    assert.equal(converted.snapshot.sessions[0]!.windows[0]!.panes[0]!.title, 'a long title');
  });
});

describe('tmuxResurrectSaveTime', () => {
  it('reads save.sh`s `date +%Y%m%dT%H%M%S` in local time', () => {
    assert.equal(
      tmuxResurrectSaveTime('tmux_resurrect_20260314T091502.txt')?.getTime(),
      new Date(2026, 2, 14, 9, 15, 2).getTime(),
    );
  });
  it('refuses names that are not a save or not a real time', () => {
    assert.equal(tmuxResurrectSaveTime('tmux_resurrect_20261332T000000.txt'), undefined);
    assert.equal(tmuxResurrectSaveTime('last'), undefined);
    assert.equal(tmuxResurrectSaveTime('tmux_resurrect_20260314T091502.txt.bak'), undefined);
  });
});

describe('pane_contents.tar.gz', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-tar-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('an archive made by tar czf, as save.sh makes it, gives each pane its contents', async () => {
    const contentsDirectory = join(directory, 'save', 'pane_contents');
    await mkdir(contentsDirectory, { recursive: true });
    await writeFile(join(contentsDirectory, 'pane-my work α:1.0'), 'vim was here\n\u001b[31mred\u001b[0m\n');
    await writeFile(join(contentsDirectory, 'pane-日本:0.0'), 'notes\n');
    // A long name: GNU tar writes it as a ././@LongLink entry.
    await writeFile(join(contentsDirectory, `pane-${'x'.repeat(120)}:0.0`), 'long\n');
    const archive = join(directory, 'pane_contents.tar.gz');
    execFileSync('tar', ['czf', archive, '-C', join(directory, 'save'), './pane_contents/'], {
      timeout: 10_000,
    });

    const files = readTarGz(await readFile(archive));
    assert.equal(Buffer.from(files.get(`./pane_contents/pane-${'x'.repeat(120)}:0.0`)!).toString(), 'long\n');
    const converted = convert(sampleSave(directories), files);
    const panes = converted.snapshot.sessions.flatMap((session) =>
      session.group === 'my work α' && session.name !== 'my work α'
        ? []
        : session.windows.flatMap((window) =>
            window.panes.map((pane) => ({ session: session.name, window, pane })),
          ),
    );
    const idOf = (session: string, window: number, pane: number) =>
      panes.find(
        (each) => each.session === session && each.window.index === window && each.pane.index === pane,
      )!.pane.id;
    assert.deepEqual(
      [...converted.contents.entries()].sort(),
      [
        [idOf('my work α', 1, 0), 'vim was here\n\u001b[31mred\u001b[0m\n'],
        [idOf('日本', 0, 0), 'notes\n'],
      ].sort(),
    );
  });

  it('a damaged archive is a TarArchiveProblem, not a crash or a partial list', () => {
    assert.throws(() => readTarGz(Buffer.from('not gzip')), TarArchiveProblem);
    const header = Buffer.alloc(512);
    header.write('pane-a:0.0', 0);
    header.write('00000000017\0', 124);
    header.write('99999999\0', 148);
    assert.throws(() => readTarGz(gzipSync(header)), /checksum/);
  });
});
