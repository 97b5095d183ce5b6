import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultRetention,
  type RetentionCandidate,
  type RetentionPolicy,
  retentionFromOption,
  savesToDelete,
} from '../../../src/store/retention.js';
import { parseSaveFileName, saveFileName, sortNewestFirst } from '../../../src/store/save-files.js';

// A Tuesday, noon UTC.
const now = new Date('2026-11-24T12:00:00.000Z');
const mebibyte = 1024 * 1024;

/** A save taken at `iso` (UTC) by server lifetime `lifetime`, `bytes` big on disk. */
function at(iso: string, lifetime = 1, bytes = 1000): RetentionCandidate {
  const parsed = parseSaveFileName(
    saveFileName(new Date(iso), { startTime: 1000 + lifetime, pid: lifetime }),
  )!;
  return { ...parsed, bytes };
}

const policy = (overrides: Partial<RetentionPolicy> = {}): RetentionPolicy => ({
  ...defaultRetention,
  ...overrides,
});

/** The times (ISO) of the saves that stay. */
function keptTimes(saves: readonly RetentionCandidate[], retention: RetentionPolicy): string[] {
  const doomed = new Set(savesToDelete(saves, retention, now).map((save) => save.fileName));
  return saves
    .filter((save) => !doomed.has(save.fileName))
    .map((save) => save.savedAt.toISOString())
    .sort();
}

describe('savesToDelete: the thinning schedule', () => {
  it('keeps every save of the last hour', () => {
    const saves = ['11:59', '11:58', '11:40', '11:30', '11:15', '11:01', '11:00:30'].map((time) =>
      at(`2026-11-24T${time}${time.length === 5 ? ':00' : ''}.000Z`),
    );
    assert.deepEqual(savesToDelete(saves, defaultRetention, now), []);
  });

  it('keeps the newest save of each hour of the last day', () => {
    const saves = [
      at('2026-11-24T11:30:00.000Z'), // the last hour
      at('2026-11-24T10:55:00.000Z'), // newest of 10:00-10:59
      at('2026-11-24T10:20:00.000Z'),
      at('2026-11-24T09:05:00.000Z'), // alone in its hour
      at('2026-11-23T13:40:00.000Z'), // 22 h 20 min ago, newest of its hour
      at('2026-11-23T13:10:00.000Z'),
      at('2026-11-23T11:50:00.000Z'), // more than a day ago, and not the newest of 2026-11-23
    ];
    assert.deepEqual(keptTimes(saves, defaultRetention), [
      '2026-11-23T13:40:00.000Z',
      '2026-11-24T09:05:00.000Z',
      '2026-11-24T10:55:00.000Z',
      '2026-11-24T11:30:00.000Z',
    ]);
  });

  it('keeps the newest save of each day of the last week', () => {
    const saves = [
      at('2026-11-24T11:50:00.000Z'),
      at('2026-11-22T20:00:00.000Z'), // newest of Sunday 22nd
      at('2026-11-22T08:00:00.000Z'),
      at('2026-11-18T09:00:00.000Z'), // 6 days 3 hours ago, alone on its day
      at('2026-11-17T10:00:00.000Z'), // over a week ago; the 22nd is newer in the same Monday-Sunday week
    ];
    assert.deepEqual(keptTimes(saves, defaultRetention), [
      '2026-11-18T09:00:00.000Z',
      '2026-11-22T20:00:00.000Z',
      '2026-11-24T11:50:00.000Z',
    ]);
  });

  it('keeps the newest save of each week up to the age limit, and nothing older', () => {
    const saves = [
      at('2026-11-24T11:50:00.000Z'),
      at('2026-11-14T10:00:00.000Z'), // Saturday: newest of the week of Monday 9th
      at('2026-11-10T10:00:00.000Z'),
      at('2026-10-30T10:00:00.000Z'), // 25 days ago, alone in its week
      at('2026-10-20T10:00:00.000Z'), // 35 days ago: past 30 days
    ];
    assert.deepEqual(keptTimes(saves, defaultRetention), [
      '2026-10-30T10:00:00.000Z',
      '2026-11-14T10:00:00.000Z',
      '2026-11-24T11:50:00.000Z',
    ]);
  });

  it('follows a shorter age limit (@resurrect-delete-backup-after 3)', () => {
    const saves = [
      at('2026-11-24T11:50:00.000Z'),
      at('2026-11-22T10:00:00.000Z'), // 2 days ago, newest of its day
      at('2026-11-19T10:00:00.000Z'), // 5 days ago: would be kept as a daily save, but past 3 days
    ];
    assert.deepEqual(keptTimes(saves, policy({ maximumAgeDays: 3 })), [
      '2026-11-22T10:00:00.000Z',
      '2026-11-24T11:50:00.000Z',
    ]);
  });

  it('thins a year of saves every 15 minutes to a few dozen', () => {
    const saves = Array.from({ length: 365 * 96 }, (_, index) =>
      at(new Date(now.getTime() - (index + 1) * 15 * 60_000).toISOString()),
    );
    const kept = saves.length - savesToDelete(saves, defaultRetention, now).length;
    // 11:15, 11:30 and 11:45 of the last hour; hh:45 of the 23 hours before; 23:45 of the 17th to
    // the 22nd; 23:45 of the Sundays 15th, 8th, 1st and 25th October (29.5 days ago).
    assert.equal(kept, 3 + 23 + 6 + 4);
  });
});

describe('savesToDelete: the count and byte caps', () => {
  it('under churn removes the extra saves of the last hour, oldest first, not the older history', () => {
    // 20 saves in the last 40 minutes (a daemon under churn), and a save on each of three days.
    const churn = Array.from({ length: 20 }, (_, index) =>
      at(new Date(now.getTime() - (1 + 2 * index) * 60_000).toISOString()),
    );
    const days = [
      at('2026-11-21T12:00:00.000Z'),
      at('2026-11-22T12:00:00.000Z'),
      at('2026-11-23T12:00:00.000Z'),
    ];
    const kept = keptTimes([...churn, ...days], policy({ maximumCount: 10 }));
    assert.deepEqual(kept, [
      '2026-11-21T12:00:00.000Z',
      '2026-11-22T12:00:00.000Z',
      '2026-11-23T12:00:00.000Z',
      '2026-11-24T11:47:00.000Z',
      '2026-11-24T11:49:00.000Z',
      '2026-11-24T11:51:00.000Z',
      '2026-11-24T11:53:00.000Z',
      '2026-11-24T11:55:00.000Z',
      '2026-11-24T11:57:00.000Z',
      '2026-11-24T11:59:00.000Z',
    ]);
  });

  it('counts bytes of saves and their contents, removing the extras first, then the oldest', () => {
    const big = 30 * mebibyte;
    const saves = [
      at('2026-11-24T11:50:00.000Z', 1, big),
      at('2026-11-24T11:40:00.000Z', 1, big), // an extra save of the last hour
      at('2026-11-24T09:00:00.000Z', 1, big),
      at('2026-11-24T07:00:00.000Z', 1, big),
      at('2026-11-22T12:00:00.000Z', 1, big),
      at('2026-11-20T12:00:00.000Z', 1, big),
    ];
    // 180 MiB against a cap of 100 MiB: three must go.
    assert.deepEqual(keptTimes(saves, defaultRetention), [
      '2026-11-24T07:00:00.000Z',
      '2026-11-24T09:00:00.000Z',
      '2026-11-24T11:50:00.000Z',
    ]);
  });

  it('never removes the newest save, even when it alone is over the byte cap', () => {
    const saves = [at('2026-11-24T11:50:00.000Z', 1, 150 * mebibyte), at('2026-11-24T11:40:00.000Z')];
    assert.deepEqual(keptTimes(saves, defaultRetention), ['2026-11-24T11:50:00.000Z']);
  });
});

describe('savesToDelete: a wall clock that jumped', () => {
  /** A save numbered `sequence` in its directory, stamped `iso` by whatever the clock said. */
  function numbered(iso: string, lifetime: number, sequence: number): RetentionCandidate {
    const parsed = parseSaveFileName(
      saveFileName(new Date(iso), { startTime: 1000 + lifetime, pid: lifetime }, 0, undefined, sequence),
    )!;
    return { ...parsed, bytes: 1000 };
  }

  it("deletes no lifetime's newest save when the clock says a year passed", () => {
    const aYearOn = new Date('2027-11-24T12:00:00.000Z');
    const saves = [
      numbered('2027-11-24T11:59:00.000Z', 3, 6), // written during the jump
      numbered('2026-11-24T11:50:00.000Z', 3, 5),
      numbered('2026-11-24T11:40:00.000Z', 3, 4),
      numbered('2026-11-23T18:00:00.000Z', 2, 3),
      numbered('2026-11-23T10:00:00.000Z', 2, 2),
      numbered('2026-11-20T10:00:00.000Z', 1, 1),
    ];
    const doomed = savesToDelete(saves, defaultRetention, aYearOn).map((save) => save.sequence);
    assert.deepEqual(doomed.sort(), [2, 4, 5]);
  });

  it('takes the save numbered last as the newest, not the one stamped latest', () => {
    const saves = [
      numbered('2027-11-24T11:59:00.000Z', 1, 1), // the clock was a year ahead
      numbered('2026-11-24T11:50:00.000Z', 1, 2), // the clock came back: the real latest state
    ];
    assert.deepEqual(
      sortNewestFirst(saves).map((save) => save.sequence),
      [2, 1],
    );
    // Over every cap, the newest by number stays.
    const doomed = savesToDelete(saves, policy({ maximumCount: 1 }), now).map((save) => save.sequence);
    assert.deepEqual(doomed, [1]);
  });
});

describe('savesToDelete: saves that always stay', () => {
  it('keeps the newest save of every earlier server lifetime within the age limit, beyond the caps', () => {
    const saves = [
      at('2026-11-24T11:50:00.000Z', 5),
      at('2026-11-23T08:00:00.000Z', 4),
      at('2026-11-23T06:00:00.000Z', 3), // the same day as lifetime 4's: thinning alone would drop it
      at('2026-11-23T05:00:00.000Z', 3),
      at('2026-11-10T08:00:00.000Z', 2),
      at('2026-11-01T08:00:00.000Z', 1),
    ];
    assert.deepEqual(keptTimes(saves, policy({ maximumCount: 2, maximumBytes: 1 })), [
      '2026-11-01T08:00:00.000Z',
      '2026-11-10T08:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
      '2026-11-23T08:00:00.000Z',
      '2026-11-24T11:50:00.000Z',
    ]);
  });

  it('keeps the newest save of the lifetime before the newest save, however old (back after weeks away)', () => {
    const saves = [
      // The new server's first saves, after a laptop stayed shut for six weeks.
      at('2026-11-24T11:50:00.000Z', 3),
      at('2026-11-24T11:45:00.000Z', 3),
      at('2026-10-12T18:00:00.000Z', 2), // the environment before the shutdown
      at('2026-10-12T09:00:00.000Z', 2),
      at('2026-10-01T18:00:00.000Z', 1), // an older lifetime, past the age limit: only caps remove it
    ];
    assert.deepEqual(keptTimes(saves, defaultRetention), [
      '2026-10-01T18:00:00.000Z',
      '2026-10-12T18:00:00.000Z',
      '2026-11-24T11:45:00.000Z',
      '2026-11-24T11:50:00.000Z',
    ]);
  });

  it('keeps the newest save however old, and only it when all are past the limit', () => {
    const saves = [
      at('2025-01-03T10:00:00.000Z'),
      at('2025-01-02T10:00:00.000Z'),
      at('2025-01-01T10:00:00.000Z'),
    ];
    assert.deepEqual(keptTimes(saves, defaultRetention), ['2025-01-03T10:00:00.000Z']);
  });

  it('of saves in the same millisecond, keeps the later attempt', () => {
    const first = at('2026-11-23T09:00:00.000Z');
    const second = { ...parseSaveFileName(first.fileName.replace('.json', '-1.json'))!, bytes: 1000 };
    const newest = at('2026-11-24T11:50:00.000Z');
    assert.deepEqual(
      savesToDelete([first, second, newest], defaultRetention, now).map((save) => save.fileName),
      [first.fileName],
    );
  });

  it('does not depend on the order it is given the saves in', () => {
    const saves = [
      at('2026-10-05T10:00:00.000Z', 1), // lifetime 1's newest: past the age limit, kept
      at('2026-11-23T10:00:00.000Z', 2),
      at('2026-11-23T09:00:00.000Z', 2),
      at('2026-11-24T11:00:00.000Z', 3),
      at('2026-10-01T10:00:00.000Z', 1),
    ];
    const names = (list: readonly RetentionCandidate[]) => list.map((save) => save.fileName).sort();
    assert.deepEqual(
      names(savesToDelete(saves, defaultRetention, now)),
      names(savesToDelete([...saves].reverse(), defaultRetention, now)),
    );
    assert.deepEqual(names(savesToDelete(saves, defaultRetention, now)), names([saves[2]!, saves[4]!]));
  });

  it('deletes nothing from an empty directory', () => {
    assert.deepEqual(savesToDelete([], defaultRetention, now), []);
  });
});

describe('retentionFromOption', () => {
  it('reads a positive number of days', () => {
    assert.deepEqual(retentionFromOption('7'), { ...defaultRetention, maximumAgeDays: 7 });
  });
  it('falls back to the default for an unset, zero, negative or garbled value', () => {
    for (const value of [undefined, '', '0', '-3', 'soon', 'NaN'])
      assert.deepEqual(retentionFromOption(value), defaultRetention, String(value));
  });
  it('caps a default of 30 days, 100 saves and 100 MiB', () => {
    assert.deepEqual(defaultRetention, {
      maximumAgeDays: 30,
      maximumCount: 100,
      maximumBytes: 100 * mebibyte,
    });
  });
});
