import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Snapshot,
  snapshotFormatName,
  snapshotFormatVersion,
  validateSnapshot,
} from '../../../src/snapshot/schema.js';
import { sameStructure } from '../../../src/snapshot/structure.js';

const count = fc.nat({ max: 10_000 });
const text = fc.string({ unit: 'grapheme', maxLength: 12 });

const paneArbitrary = fc.record({
  id: text,
  index: count,
  cwd: text,
  title: text,
  active: fc.boolean(),
  currentCommand: text,
  startCommand: text,
  program: fc.option(
    fc.record({
      argv: fc.array(fc.string({ unit: 'binary', maxLength: 10 }), { minLength: 1, maxLength: 4 }),
    }),
    {
      nil: null,
    },
  ),
});

const windowArbitrary = fc.record({
  id: text,
  index: count,
  name: text,
  automaticRename: fc.boolean(),
  layout: fc.string({ minLength: 1, maxLength: 30 }),
  width: fc.integer({ min: 1, max: 1000 }),
  height: fc.integer({ min: 1, max: 1000 }),
  zoomed: fc.boolean(),
  active: fc.boolean(),
  alternate: fc.boolean(),
  paneBaseIndex: count,
  panes: fc.array(paneArbitrary, { minLength: 1, maxLength: 3 }),
});

const sessionArbitrary = fc.record({
  id: text,
  name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  group: fc.option(text, { nil: null }),
  baseIndex: count,
  windows: fc.array(windowArbitrary, { minLength: 1, maxLength: 3 }),
});

const snapshotArbitrary: fc.Arbitrary<Snapshot> = fc.record({
  format: fc.constant(snapshotFormatName),
  version: fc.constant(snapshotFormatVersion),
  savedAt: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((date) => date.toISOString()),
  mux: fc.record({ name: fc.constant('tmux'), version: text }),
  server: fc.record({ pid: count, startTime: fc.nat(), socketPath: text }),
  activeSession: fc.option(text, { nil: null }),
  alternateSession: fc.option(text, { nil: null }),
  sessions: fc.array(sessionArbitrary, { maxLength: 3 }),
});

describe('snapshot schema (property)', () => {
  it('accepts every snapshot this version can write, unchanged, after a JSON round trip', () => {
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot) => {
        const onDisk: unknown = JSON.parse(JSON.stringify(snapshot, null, 1));
        const result = validateSnapshot(onDisk);
        assert.ok(result.ok, result.ok ? '' : `${result.field}: ${result.problem}`);
        // fast-check builds objects without a prototype; compare with what was written to disk.
        assert.deepEqual(result.snapshot, onDisk);
        assert.ok(sameStructure(result.snapshot, snapshot));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses every snapshot with one required field removed, naming a field', () => {
    const required = [
      'format',
      'version',
      'savedAt',
      'mux',
      'server',
      'activeSession',
      'alternateSession',
      'sessions',
    ] as const;
    fc.assert(
      fc.property(snapshotArbitrary, fc.constantFrom(...required), (snapshot, field) => {
        const value: Record<string, unknown> = JSON.parse(JSON.stringify(snapshot));
        delete value[field];
        const result = validateSnapshot(value);
        assert.equal(result.ok, false);
        assert.equal(result.ok ? undefined : result.field, field);
      }),
      { numRuns: 100 },
    );
  });
});
