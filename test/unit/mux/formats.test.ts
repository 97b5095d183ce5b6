import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { formatFor, newRecordMarkers, parseRecords, type RecordMarkers } from '../../../src/mux/formats.js';
import { psmuxDialect } from '../../../src/mux/psmux-dialect.js';
import { tmuxDialect } from '../../../src/mux/tmux-dialect.js';
import { buildSnapshot, captureQuery, undecodableDirectoryWarnings } from '../../../src/snapshot/capture.js';
import { pane, session, snapshot, window } from '../../support/snapshots.js';

/**
 * Real `list-panes -a -F` output of the same server built on tmux 3.3a (bytes raw) and 3.5a
 * (control bytes as octal escapes), made by test/support/recorded/generate-list-panes.mjs.
 */
const fixtures = [
  ['3.3a', 'test/support/recorded/list-panes-tmux.txt'],
  ['3.5a', 'test/support/recorded/list-panes-tmux-3.5a.txt'],
].map(([version, file]) => ({
  version: version!,
  output: readFileSync(resolve(process.cwd(), file!), 'utf8'),
}));

/** The markers test/support/recorded/generate-list-panes.mjs made the fixture with. */
const fixtureMarkers: RecordMarkers = {
  start: '<0123456789abcdef',
  field: '|0123456789abcdef',
  end: '>0123456789abcdef',
  quoted: true,
};

/** The pane fields capture asks for (so the two cannot drift). */
const paneFields = [...(captureQuery([]).panes ?? [])];

describe('formatFor', () => {
  it('starts with <, joins quoted fields with | and ends with >, each followed by the nonce', () => {
    assert.equal(
      formatFor('X', ['a', 'b-c'], fixtureMarkers),
      '<0123456789abcdefX|0123456789abcdef#{q:a}|0123456789abcdef#{q:b-c}>0123456789abcdef',
    );
  });

  it('asks psmux for its fields unquoted', () => {
    const markers = newRecordMarkers(psmuxDialect);
    assert.equal(formatFor('X', ['a'], markers), `${markers.start}X${markers.field}#{a}${markers.end}`);
  });

  it('draws a new nonce for every invocation, of characters tmux formats leave alone', () => {
    const one = newRecordMarkers(tmuxDialect);
    const two = newRecordMarkers(tmuxDialect);
    assert.notEqual(one.field, two.field);
    // Printable: tmux 3.4 and 3.5 print a control byte as an octal escape.
    for (const marker of [one.start, one.field, one.end]) assert.match(marker, /^[<|>][0-9a-f]{16}$/);
  });
});

for (const fixture of fixtures)
  describe(`parseRecords on real list-panes output of tmux ${fixture.version}`, () => {
    const records = parseRecords(fixture.output, { P: paneFields }, fixtureMarkers);
    const value = (index: number, field: string): string | undefined => records[index]?.values.get(field);

    it('finds one record per pane of every session (grouped sessions list their shared panes)', () => {
      assert.equal(records.length, 11);
      assert.ok(records.every((record) => record.tag === 'P' && record.values.size === paneFields.length));
    });

    it('keeps a directory holding a tab and a newline in one field', () => {
      const paths = records.map((record) => record.values.get('pane_current_path') ?? '');
      const withControls = paths.filter((path) => path.endsWith('/tab\there\nnewline'));
      assert.equal(withControls.length, 2, JSON.stringify(paths));
      // The fields after it did not shift: the title and active flag are where they belong.
      const index = paths.indexOf(withControls[0]!);
      assert.equal(value(index, 'pane_active'), '1');
      assert.equal(value(index, 'pane_current_command'), 'sh');
      assert.match(value(index, 'version') ?? '', /^\d+\.\d+/);
    });

    it('keeps spaces, unicode, emoji and # in names, titles and paths exactly as tmux printed them', () => {
      const sessionNames = new Set(records.map((record) => record.values.get('session_name')));
      assert.deepEqual([...sessionNames].sort(), ['2nd', 'solo 😀', 'work space']);
      const titles = records.map((record) => record.values.get('pane_title'));
      // select-pane -T expands formats, so "## hash" arrived as "# hash"; the parser keeps it as is.
      assert.ok(titles.includes('# hash # and  spaces'), JSON.stringify(titles));
      assert.ok(
        records.some((record) => record.values.get('pane_current_path')?.endsWith('/dir with space/ünï')),
      );
      assert.ok(records.some((record) => record.values.get('window_name') === 'logs ✓ editor'));
      assert.ok(
        records.some(
          (record) => record.values.get('window_layout') === 'f91d,120x40,0,0{60x40,0,0,0,59x40,61,0,1}',
        ),
      );
    });

    it('keeps a directory and a window name holding US and RS, the bytes of the old separators', () => {
      const index = records.findIndex((record) => record.values.get('window_name') === 'win\x1fdow\x1e');
      assert.notEqual(index, -1, JSON.stringify(records.map((record) => record.values.get('window_name'))));
      assert.match(value(index, 'pane_current_path') ?? '', /\/us\x1fand rs\x1e$/);
      assert.equal(value(index, 'session_name'), 'solo 😀');
      assert.equal(value(index, 'pane_current_command'), 'sh');
      assert.match(value(index, 'version') ?? '', /^\d+\.\d+/);
    });

    it('keeps backslashes, DEL, ESC and shell metacharacters in a directory and a window name', () => {
      const index = records.findIndex(
        (record) => record.values.get('window_name') === 'back\\slash \\035\x7f',
      );
      assert.notEqual(index, -1, JSON.stringify(records.map((record) => record.values.get('window_name'))));
      assert.match(
        value(index, 'pane_current_path') ?? '',
        /\/back\\slash \\035 \\n del\x7f esc\x1b \|<>%; end$/,
      );
    });

    it('builds the snapshot model: groups, zoom, sizes and the tab-holding directory', () => {
      const snapshot = buildSnapshot(records, () => null, new Date('2026-11-24T12:00:00Z'));
      assert.equal(snapshot.sessions.length, 3);
      const work = snapshot.sessions.find((session) => session.name === 'work space')!;
      const second = snapshot.sessions.find((session) => session.name === '2nd')!;
      assert.equal(work.group, 'work space');
      assert.equal(second.group, 'work space');
      const solo = snapshot.sessions.find((session) => session.name === 'solo 😀')!;
      assert.equal(solo.group, null);
      assert.deepEqual(
        solo.windows.map((window) => window.name),
        ['sh', 'win\x1fdow\x1e', 'back\\slash \\035\x7f'],
      );
      assert.deepEqual(
        work.windows.map((window) => [window.index, window.zoomed, window.panes.length, window.width]),
        [
          [0, false, 2, 120],
          [1, true, 2, 120],
        ],
      );
      assert.ok(work.windows[0]!.panes[1]!.cwd.endsWith('/tab\there\nnewline'));
      assert.equal(snapshot.savedAt, '2026-11-24T12:00:00.000Z');
      assert.ok(snapshot.server.pid > 0 && snapshot.server.startTime > 0);
    });
  });

describe('parseRecords', () => {
  const markers = fixtureMarkers;
  const { start, field, end } = markers;
  const record = (tag: string, ...values: string[]): string =>
    `${start}${tag}${values.map((value) => `${field}${value}`).join('')}${end}\n`;
  const parse = (output: string, fieldsByTag: Record<string, readonly string[]>) => {
    const warnings: string[] = [];
    return { records: parseRecords(output, fieldsByTag, markers, (line) => warnings.push(line)), warnings };
  };

  it('returns nothing for empty output', () => {
    assert.deepEqual(parseRecords('', { P: ['a'] }, markers), []);
    assert.deepEqual(parseRecords('\n', { P: ['a'] }, markers), []);
  });

  it('ignores records of tags it was not asked about, and text outside records', () => {
    const output = `${record('Z', 'q')}other output\n${record('P', 'one', 'two')}more\n`;
    const { records, warnings } = parse(output, { P: ['a', 'b'] });
    assert.equal(records.length, 1);
    assert.deepEqual(
      [...records[0]!.values],
      [
        ['a', 'one'],
        ['b', 'two'],
      ],
    );
    assert.deepEqual(warnings, []);
  });

  it('keeps empty fields, and records of no field', () => {
    const { records } = parse(record('P', '', '') + record('L'), { P: ['a', 'b'], L: [] });
    assert.deepEqual([...records[0]!.values.values()], ['', '']);
    assert.equal(records[1]!.tag, 'L');
    assert.equal(records[1]!.values.size, 0);
  });

  it('keeps values holding every control byte, the bare separator bytes and the marker bytes without their nonce', () => {
    const every = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
    const adversarial = [
      every,
      '\x1f',
      '\x1e\n',
      '\x1d',
      '|',
      '>\n',
      '<',
      `|${'0'.repeat(16)}`,
      `>0123456789abcde`,
      '0123456789abcdef',
      'P\x1fa\x1fb\x1e\n',
      '#{pane_id}',
      'ünï 😀 \t tab',
    ];
    const fields = adversarial.map((_, index) => `f${index}`);
    const output = record('P', ...adversarial) + record('P', ...adversarial.toReversed());
    const { records, warnings } = parse(output, { P: fields });
    assert.deepEqual(warnings, []);
    assert.equal(records.length, 2);
    assert.deepEqual([...records[0]!.values.values()], adversarial);
    assert.deepEqual([...records[1]!.values.values()], adversarial.toReversed());
  });

  it('leaves out only a record with the wrong number of fields, and says so', () => {
    const output = record('P', 'first', '1') + record('P', 'only one') + record('P', 'third', '3');
    const { records, warnings } = parse(output, { P: ['a', 'b'] });
    assert.deepEqual(
      records.map((each) => each.values.get('a')),
      ['first', 'third'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /P record of 1 fields where 2 were expected; it was left out/);
  });

  it('leaves out a record cut short, and keeps the records around it', () => {
    const cut = `${start}P${field}half`;
    const { records, warnings } = parse(`${record('P', 'one')}${cut}\n${record('P', 'two')}${cut}`, {
      P: ['a'],
    });
    assert.deepEqual(
      records.map((each) => each.values.get('a')),
      ['one', 'two'],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /cut short/);
  });

  it("reads nothing made with other markers (another invocation's output)", () => {
    const other = newRecordMarkers(tmuxDialect);
    const output = `${other.start}P${other.field}x${other.end}\n`;
    assert.deepEqual(parseRecords(output, { P: ['a'] }, markers), []);
  });

  it('reads records of several tags from one invocation', () => {
    const output = record('P', '1') + record('C', 'client', '$1') + record('O', '/saves');
    const { records } = parse(output, { P: ['a'], C: ['name', 'session'], O: ['@resurrect-dir'] });
    assert.deepEqual(
      records.map((each) => each.tag),
      ['P', 'C', 'O'],
    );
    assert.equal(records[2]!.values.get('@resurrect-dir'), '/saves');
  });
});

describe('undecodableDirectoryWarnings', () => {
  it('names a pane whose directory arrived with bytes that are not UTF-8, and only that one', () => {
    // Node decodes a 0xff byte of tmux's output as U+FFFD.
    const decoded = Buffer.from('/home/u/bad\xffname', 'latin1').toString('utf8');
    const built = snapshot({
      sessions: [
        session({
          name: 'work',
          windows: [
            window({
              index: 2,
              panes: [pane({ index: 0, cwd: '/home/u' }), pane({ index: 1, cwd: decoded })],
            }),
          ],
        }),
      ],
    });
    const warnings = undecodableDirectoryWarnings(built);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^capture: pane "work":2\.1: its directory .* holds bytes that are not UTF-8/);
    assert.deepEqual(undecodableDirectoryWarnings(snapshot()), []);
  });
});
