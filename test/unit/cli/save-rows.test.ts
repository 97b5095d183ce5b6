import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeAge,
  describeSaveRow,
  describeSaveRows,
  describeWhen,
  type SaveRowSource,
  saveRowJson,
  saveRows,
} from '../../../src/cli/save-rows.js';
import { parseSaveFileName, saveFileName } from '../../../src/store/save-files.js';
import { pane, session, snapshot, window } from '../../support/snapshots.js';

// Local times below are written for UTC; Node applies a TZ set at run time to later dates.
process.env.TZ = 'UTC';

const now = new Date('2026-11-25T14:30:00.000Z');
const earlier = { startTime: Date.parse('2026-11-24T09:12:00Z') / 1000, pid: 100 };
const later = { startTime: Date.parse('2026-11-25T08:00:00Z') / 1000, pid: 200 };

function source(
  savedAt: string,
  server: { startTime: number; pid: number },
  options: { contents?: boolean; error?: string; other?: boolean } = {},
): SaveRowSource {
  const fileName = saveFileName(
    new Date(savedAt),
    server,
    0,
    options.other ? 'play.00000000' : 'work.11111111',
  );
  const saved = snapshot({
    savedAt,
    sessions: [
      session({ windows: [window(), window({ id: '@1', index: 1 })] }),
      session({ id: '$1', name: 'b' }),
    ],
    ...(options.contents ? { paneContents: { file: 'x.contents.json.gz', digest: 'd' } } : {}),
  });
  return {
    save: parseSaveFileName(fileName)!,
    path: `/saves/${fileName}`,
    content: options.error ? { error: options.error } : { snapshot: saved },
    server: options.other ? '-L play' : '-L work',
    thisServer: !options.other,
  };
}

describe('save rows', () => {
  const sources = [
    source('2026-11-25T12:30:00.000Z', later, { contents: true }),
    source('2026-11-25T09:00:00.000Z', later),
    source('2026-11-24T14:30:00.000Z', earlier),
  ];
  const newestName = sources[0]!.save.fileName;

  it('number this server’s saves from 1, newest first, and mark the one restore uses', () => {
    const rows = saveRows(sources, { now, currentName: newestName });
    assert.deepEqual(
      rows.map((row) => [row.number, row.current]),
      [
        [1, true],
        [2, false],
        [3, false],
      ],
    );
  });

  it('give another server’s saves no number, and keep counting this server’s', () => {
    const mixed = [sources[0]!, source('2026-11-25T10:00:00.000Z', later, { other: true }), sources[1]!];
    const rows = saveRows(mixed, { now, currentName: newestName });
    assert.deepEqual(
      rows.map((row) => row.number),
      [1, undefined, 2],
    );
    assert.match(describeSaveRow(rows[1]!), /\[-L play\]$/);
  });

  it('start a group at each server lifetime', () => {
    const rows = saveRows(sources, { now, currentName: newestName });
    assert.deepEqual(
      rows.map((row) => row.startsLifetime),
      [true, false, true],
    );
    assert.deepEqual(describeSaveRows(rows), [
      '— server started 08:00 (pid 200) —',
      '*  1  12:30, 2 h ago              2 sessions, 3 windows, 3 panes  contents',
      '   2  09:00, 5 h ago              2 sessions, 3 windows, 3 panes',
      '— server started Tue 24 Nov 09:12 (pid 100) —',
      '   3  Tue 24 Nov 14:30, 1 d ago   2 sessions, 3 windows, 3 panes',
    ]);
  });

  it('say why a save cannot be read, escaped, within the width', () => {
    const rows = saveRows(
      [source('2026-11-25T12:30:00.000Z', later, { error: `bad\u001b]52;c;x\u0007${'y'.repeat(80)}` })],
      {
        now,
        currentName: undefined,
      },
    );
    const line = describeSaveRow(rows[0]!);
    assert.ok(line.startsWith('   1  12:30, 2 h ago              unreadable: bad\\x1b]52;c;x\\x07'), line);
    assert.ok(line.endsWith('…'));
    assert.equal([...line].length, 80);
    assert.equal(rows[0]!.counts, undefined);
  });

  it('give scripts the same fields, times as ISO text', () => {
    const [row] = saveRows(sources, { now, currentName: newestName });
    assert.deepEqual(saveRowJson(row!), {
      number: 1,
      name: sources[0]!.save.fileName,
      path: sources[0]!.path,
      savedAt: '2026-11-25T12:30:00.000Z',
      ageSeconds: 7200,
      counts: { sessions: 2, windows: 3, panes: 3 },
      lifetime: { id: `${later.startTime}-200`, startedAt: '2026-11-25T08:00:00.000Z', pid: 200 },
      hasContents: true,
      agents: [],
      current: true,
      server: '-L work',
      thisServer: true,
    });
  });
});

describe('times of saves', () => {
  it('show the clock today, the day before, the year in another year', () => {
    assert.equal(describeWhen(new Date('2026-11-25T00:05:00Z'), now), '00:05, 14 h ago');
    assert.equal(describeWhen(new Date('2026-11-24T23:55:00Z'), now), 'Tue 24 Nov 23:55, 14 h ago');
    assert.equal(describeWhen(new Date('2025-12-31T10:00:00Z'), now), 'Wed 31 Dec 2025 10:00, 329 d ago');
  });

  it('count the age in the largest whole unit', () => {
    assert.deepEqual([0, 59, 60, 3599, 3600, 86_399, 86_400, -5, -3600].map(describeAge), [
      '0 s ago',
      '59 s ago',
      '1 min ago',
      '59 min ago',
      '1 h ago',
      '23 h ago',
      '1 d ago',
      '0 s ago',
      'in the future',
    ]);
  });
});

describe('the coding agents of a save', () => {
  it('are counted per agent in the list line and in --json, with the panes whose session is unknown', () => {
    const agent = (name: string, id?: string) => ({
      name,
      program: [name],
      arguments: [],
      dropped: [],
      environment: {},
      ...(id
        ? { session: { id, file: `/s/${id}`, decidedBy: 'its command line' } }
        : { problem: 'none found' }),
    });
    const base = source('2026-11-25T12:30:00.000Z', later);
    const saved = snapshot({
      savedAt: '2026-11-25T12:30:00.000Z',
      sessions: [
        session({
          windows: [
            window({
              panes: [
                pane({ id: '%0', agent: agent('codex', 'c-1') }),
                pane({ id: '%1', index: 1, agent: agent('claude', 'a-1') }),
                pane({ id: '%2', index: 2, agent: agent('claude') }),
                pane({ id: '%3', index: 3 }),
              ],
            }),
          ],
        }),
      ],
    });
    const [row] = saveRows([{ ...base, content: { snapshot: saved } }], { now, currentName: undefined });
    assert.deepEqual(row!.agents, [
      { name: 'claude', panes: 2, resumable: 1 },
      { name: 'codex', panes: 1, resumable: 1 },
    ]);
    assert.match(describeSaveRow(row!, 120), /4 panes {2}claude×2 \(1 unknown\) codex$/);
    assert.deepEqual(saveRowJson(row!).agents, row!.agents);
  });
});
