import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beforeSelector, selectSave } from '../../../src/cli/save-argument.js';
import { parseTimeExpression } from '../../../src/cli/time-expression.js';
import { UsageError } from '../../../src/errors.js';
import { saveSelectorFor } from '../../../src/store/save-selector.js';

// A zone away from UTC, so local and UTC readings cannot pass for each other.
process.env.TZ = 'Asia/Kolkata';

/** Wed 25 Nov 2026, 14:30:00 in Kolkata (UTC+05:30). */
const now = new Date('2026-11-25T09:00:00.000Z');
const at = (text: string): string | undefined => parseTimeExpression(text, now)?.toISOString();

describe('--before TIME', () => {
  it('reads durations back from now', () => {
    assert.equal(at('2h'), '2026-11-25T07:00:00.000Z');
    assert.equal(at('90m'), '2026-11-25T07:30:00.000Z');
    assert.equal(at('90 min'), '2026-11-25T07:30:00.000Z');
    assert.equal(at('45s'), '2026-11-25T08:59:15.000Z');
    assert.equal(at('3d'), '2026-11-22T09:00:00.000Z');
    assert.equal(at('1w'), '2026-11-18T09:00:00.000Z');
    assert.equal(at('1h30m'), '2026-11-25T07:30:00.000Z');
    assert.equal(at('2h ago'), '2026-11-25T07:00:00.000Z');
    assert.equal(at('2H'), '2026-11-25T07:00:00.000Z');
  });

  it('reads a clock time as today, or yesterday when today’s is still to come', () => {
    // 12:00 Kolkata = 06:30 UTC, earlier today.
    assert.equal(at('12:00'), '2026-11-25T06:30:00.000Z');
    // 18:00 Kolkata today is in the future at 14:30: yesterday's.
    assert.equal(at('18:00'), '2026-11-24T12:30:00.000Z');
    assert.equal(at('18:00:30'), '2026-11-24T12:30:30.000Z');
    assert.equal(at('9:05'), '2026-11-25T03:35:00.000Z');
    assert.equal(at('yesterday 18:00'), '2026-11-24T12:30:00.000Z');
    assert.equal(at('yesterday 9:00'), '2026-11-24T03:30:00.000Z');
    assert.equal(at('today 9:30'), '2026-11-25T04:00:00.000Z');
  });

  it('reads ISO times, local unless they carry a zone', () => {
    assert.equal(at('2026-11-24'), '2026-11-23T18:30:00.000Z');
    assert.equal(at('2026-11-24T18:00'), '2026-11-24T12:30:00.000Z');
    assert.equal(at('2026-11-24 18:00:05'), '2026-11-24T12:30:05.000Z');
    assert.equal(at('2026-11-24T18:00:05.250Z'), '2026-11-24T18:00:05.250Z');
    assert.equal(at('2026-11-24T18:00+01:00'), '2026-11-24T17:00:00.000Z');
    assert.equal(at('2026-11-24T18:00-0230'), '2026-11-24T20:30:00.000Z');
  });

  it('refuses anything else rather than guess', () => {
    for (const text of [
      '',
      'soon',
      '2',
      'h',
      '-2h',
      '2 hours',
      '24:00',
      '18:60',
      'yesterday',
      'tomorrow 18:00',
      '2026-02-30',
      '2026-13-01',
      '2026-11-24T25:00',
      '18:00 yesterday',
    ])
      assert.equal(at(text), undefined, text);
  });

  it('is a usage error naming the accepted forms, and cannot be given with a SAVE', () => {
    assert.throws(
      () => beforeSelector('soon', now),
      (error: unknown) =>
        error instanceof UsageError &&
        error.exitCode === 2 &&
        /"soon" is not a time/.test(error.message) &&
        /2h/.test(error.hint ?? '') &&
        /yesterday 18:00/.test(error.hint ?? '') &&
        /ISO/.test(error.hint ?? ''),
    );
    assert.throws(() => selectSave('1', '2h', now), UsageError);
    assert.deepEqual(selectSave(undefined, '2h', now), {
      kind: 'before',
      time: new Date('2026-11-25T07:00:00.000Z'),
      expression: '2h',
    });
  });
});

describe('SAVE arguments', () => {
  it('read digits as a number from list, a slash as a path, the rest as a name', () => {
    assert.deepEqual(saveSelectorFor(undefined), { kind: 'newest' });
    assert.deepEqual(saveSelectorFor('last'), { kind: 'newest' });
    assert.deepEqual(saveSelectorFor('3'), { kind: 'number', number: 3 });
    assert.deepEqual(saveSelectorFor('./3'), { kind: 'path', path: './3' });
    assert.deepEqual(saveSelectorFor('/saves/x.json'), { kind: 'path', path: '/saves/x.json' });
    assert.deepEqual(saveSelectorFor('continuum-work'), { kind: 'name', name: 'continuum-work' });
  });
});
