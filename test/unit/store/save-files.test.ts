import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSaveFileName, saveFileName, sortNewestFirst } from '../../../src/store/save-files.js';

const server = { startTime: 1795522571, pid: 4242 };

describe('save file names', () => {
  it('carry the time and the server lifetime', () => {
    const name = saveFileName(new Date('2026-11-24T12:13:37.123Z'), server);
    assert.equal(name, 'continuum-2026-11-24T12-13-37-123Z-server-1795522571-4242.json');
    const parsed = parseSaveFileName(name)!;
    assert.equal(parsed.savedAt.toISOString(), '2026-11-24T12:13:37.123Z');
    assert.equal(parsed.serverLifetime, '1795522571-4242');
    assert.equal(parsed.fileName, name);
  });

  it('round-trip with an attempt suffix for saves of the same millisecond', () => {
    const name = saveFileName(new Date('2026-11-24T12:13:37.123Z'), server, 2);
    assert.equal(name, 'continuum-2026-11-24T12-13-37-123Z-server-1795522571-4242-2.json');
    assert.equal(parseSaveFileName(name)?.serverLifetime, '1795522571-4242');
  });

  it('reject what is not a save: the pointer, temp files of an interrupted write, other tools', () => {
    const good = saveFileName(new Date('2026-11-24T12:13:37.123Z'), server);
    for (const name of [
      'last',
      `${good}.1234567890`,
      `.${good}.tmp`,
      `${good}~`,
      'tmux_resurrect_20261124T121337.txt',
      'continuum-2026-13-45T99-99-99-999Z-server-1-2.json',
      'continuum-garbage.json',
    ])
      assert.equal(parseSaveFileName(name), undefined, name);
  });

  it('sort newest first, and a later attempt of the same millisecond before the first', () => {
    const at = (iso: string, attempt = 0) => parseSaveFileName(saveFileName(new Date(iso), server, attempt))!;
    const older = at('2026-11-23T23:59:59.999Z');
    const newer = at('2026-11-24T00:00:00.000Z');
    const newerAgain = at('2026-11-24T00:00:00.000Z', 1);
    assert.deepEqual(
      sortNewestFirst([older, newer, newerAgain]).map((save) => save.fileName),
      [newerAgain.fileName, newer.fileName, older.fileName],
    );
  });

  it('sort by sequence number before time: a save stamped a year ahead is not newer than the next one', () => {
    const ahead = parseSaveFileName(
      saveFileName(new Date('2027-11-24T00:00:00.000Z'), server, 0, undefined, 9),
    )!;
    const next = parseSaveFileName(
      saveFileName(new Date('2026-11-24T00:00:01.000Z'), server, 0, undefined, 10),
    )!;
    const legacy = parseSaveFileName(saveFileName(new Date('2026-11-25T00:00:00.000Z'), server))!;
    assert.equal(next.sequence, 10);
    assert.match(next.fileName, /-n10\.json$/);
    assert.equal(legacy.sequence, 0);
    assert.deepEqual(
      sortNewestFirst([legacy, ahead, next]).map((save) => save.fileName),
      [next.fileName, ahead.fileName, legacy.fileName],
    );
  });

  it('sort attempt 10 after attempt 9 (numbers, not text)', () => {
    const attempts = [9, 10, 0, 1].map(
      (attempt) => parseSaveFileName(saveFileName(new Date('2026-11-24T00:00:00.000Z'), server, attempt))!,
    );
    assert.deepEqual(
      sortNewestFirst(attempts).map((save) => save.attempt),
      [10, 9, 1, 0],
    );
  });
});
