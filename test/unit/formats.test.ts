import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { FormatParseError, formatFor, parseRecords } from '../../src/mux/formats.js';
import { buildSnapshot, captureCommands } from '../../src/snapshot/capture.js';

/** Real `list-panes -a -F` output of tmux 3.3a, made by test/fixtures/generate-list-panes.mjs. */
const fixture = readFileSync(resolve(process.cwd(), 'test/fixtures/list-panes-tmux.txt'), 'utf8');

/** The pane fields capture asks for, read back from the format it sends (so the two cannot drift). */
const listPanes = captureCommands([])[0]!;
const paneFields = [...listPanes.at(-1)!.matchAll(/#\{([^}]+)\}/g)].map((match) => match[1]!);

describe('formatFor', () => {
  it('joins fields with US and ends the record with RS', () => {
    assert.equal(formatFor('X', ['a', 'b-c']), 'X\x1f#{a}\x1f#{b-c}\x1e');
  });
});

describe('parseRecords on real list-panes output', () => {
  const records = parseRecords(fixture, { P: paneFields });
  const value = (index: number, field: string): string | undefined => records[index]?.values.get(field);

  it('finds one record per pane of every session (grouped sessions list their shared panes)', () => {
    assert.equal(records.length, 9);
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

  it('builds the snapshot model: groups, zoom, sizes and the tab-holding directory', () => {
    const snapshot = buildSnapshot(records, () => null, new Date('2026-11-24T12:00:00Z'));
    assert.equal(snapshot.sessions.length, 3);
    const work = snapshot.sessions.find((session) => session.name === 'work space')!;
    const second = snapshot.sessions.find((session) => session.name === '2nd')!;
    assert.equal(work.group, 'work space');
    assert.equal(second.group, 'work space');
    assert.equal(snapshot.sessions.find((session) => session.name === 'solo 😀')!.group, null);
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
  it('returns nothing for empty output', () => {
    assert.deepEqual(parseRecords('', { P: ['a'] }), []);
    assert.deepEqual(parseRecords('\n', { P: ['a'] }), []);
  });

  it('ignores records of tags it was not asked about', () => {
    const output = 'Z\x1fq\x1e\nP\x1fone\x1ftwo\x1e\n';
    const records = parseRecords(output, { P: ['a', 'b'] });
    assert.equal(records.length, 1);
    assert.deepEqual(
      [...records[0]!.values],
      [
        ['a', 'one'],
        ['b', 'two'],
      ],
    );
  });

  it('keeps empty fields', () => {
    const records = parseRecords('P\x1f\x1f\x1e\n', { P: ['a', 'b'] });
    assert.deepEqual([...records[0]!.values.values()], ['', '']);
  });

  it('refuses a record with the wrong number of fields, naming the tag and the counts', () => {
    assert.throws(
      () => parseRecords('P\x1fonly one\x1e\n', { P: ['a', 'b'] }),
      (error: unknown) =>
        error instanceof FormatParseError && /expected 2 fields in a P record, got 1/.test(error.message),
    );
  });

  it('reads records of several tags from one invocation', () => {
    const output = `${'P\x1f1\x1e\n'}${'C\x1fclient\x1f$1\x1e\n'}${'O\x1f/saves\x1e\n'}`;
    const records = parseRecords(output, { P: ['a'], C: ['name', 'session'], O: ['@resurrect-dir'] });
    assert.deepEqual(
      records.map((record) => record.tag),
      ['P', 'C', 'O'],
    );
    assert.equal(records[2]!.values.get('@resurrect-dir'), '/saves');
  });
});
