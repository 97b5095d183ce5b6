import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRetention, retentionFromOption, savesToDelete } from '../../src/store/retention.js';
import { parseSaveFileName, type SaveFileName, saveFileName } from '../../src/store/save-files.js';

const now = new Date('2026-11-24T12:00:00.000Z');
const day = 24 * 60 * 60 * 1000;

/** A save taken `daysAgo` days before `now` by the server lifetime `lifetime`. */
function save(daysAgo: number, lifetime = 1, minutes = 0): SaveFileName {
  const savedAt = new Date(now.getTime() - daysAgo * day - minutes * 60_000);
  return parseSaveFileName(saveFileName(savedAt, { startTime: 1000 + lifetime, pid: lifetime }))!;
}

const names = (saves: readonly SaveFileName[]): string[] => saves.map((entry) => entry.fileName).sort();

describe('savesToDelete', () => {
  it('deletes saves past the age limit', () => {
    const saves = Array.from({ length: 10 }, (_, index) => save(index * 10, 1, index));
    const doomed = savesToDelete(saves, { maximumAgeDays: 30, keepNewest: 2 }, now);
    // Index 3 is 30 days and 3 minutes old: past the limit.
    assert.deepEqual(names(doomed), names(saves.filter((_, index) => index >= 3)));
  });

  it('keeps everything younger than the limit', () => {
    const saves = Array.from({ length: 20 }, (_, index) => save(index, 1, index));
    assert.deepEqual(savesToDelete(saves, { maximumAgeDays: 30, keepNewest: 1 }, now), []);
  });

  it('never deletes the newest N, however old they are', () => {
    const saves = Array.from({ length: 8 }, (_, index) => save(100 + index, 1, index));
    const doomed = savesToDelete(saves, { maximumAgeDays: 30, keepNewest: 3 }, now);
    const kept = saves.filter((entry) => !doomed.includes(entry));
    assert.deepEqual(names(kept), names(saves.slice(0, 3)));
    assert.equal(doomed.length, 5);
  });

  it('never deletes the newest save of a server lifetime (the one to come back to after a reboot)', () => {
    // Lifetime 1 saved long ago, before a reboot; lifetime 2 has saved many times since.
    const before = [save(60, 1), save(61, 1), save(62, 1)];
    const after = Array.from({ length: 10 }, (_, index) => save(40 + index, 2, index));
    const doomed = savesToDelete([...after, ...before], { maximumAgeDays: 30, keepNewest: 2 }, now);
    assert.ok(!doomed.includes(before[0]!), 'the newest save of the earlier lifetime stays');
    assert.ok(!doomed.includes(after[0]!) && !doomed.includes(after[1]!));
    assert.ok(doomed.includes(before[1]!) && doomed.includes(before[2]!));
    assert.equal(doomed.length, 2 + 8);
  });

  it('does not depend on the order it is given the saves in', () => {
    const saves = [save(50, 1), save(40, 2), save(45, 2), save(1, 3), save(70, 1)];
    const policy = { maximumAgeDays: 30, keepNewest: 1 };
    assert.deepEqual(
      names(savesToDelete(saves, policy, now)),
      names(savesToDelete([...saves].reverse(), policy, now)),
    );
    assert.deepEqual(names(savesToDelete(saves, policy, now)), names([saves[2]!, saves[4]!]));
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
});
