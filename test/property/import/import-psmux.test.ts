import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { convertPsmuxSave, PsmuxImportProblem } from '../../../src/import/import-psmux.js';
import { validateSnapshot } from '../../../src/snapshot/schema.js';
import { powershellJson, samplePsmuxSave } from '../../support/psmux-saves.js';

/** The converter's contract: a valid snapshot, or a PsmuxImportProblem; nothing else escapes. */
function checkOutcome(bytes: Uint8Array): void {
  let result: ReturnType<typeof convertPsmuxSave>;
  try {
    result = convertPsmuxSave(bytes);
  } catch (error) {
    assert.ok(error instanceof PsmuxImportProblem, `unexpected ${String(error)}`);
    assert.notEqual(error.message, '');
    return;
  }
  const validation = validateSnapshot(JSON.parse(JSON.stringify(result.snapshot)));
  assert.ok(validation.ok, validation.ok ? '' : validation.problem);
  const paneIds = new Set(
    result.snapshot.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => p.id))),
  );
  for (const id of result.contents.keys()) assert.ok(paneIds.has(id));
}

/** Any JSON value, near the shape of a save often enough to reach the deep checks. */
const jsonValue = fc.jsonValue({ maxDepth: 6 });

const pane = fc.record(
  {
    index: fc.oneof(fc.nat(5), fc.integer(), fc.double(), fc.string()),
    directory: fc.oneof(fc.string({ unit: 'grapheme' }), jsonValue),
    active: fc.oneof(fc.boolean(), jsonValue),
    title: fc.string({ unit: 'grapheme' }),
    command: fc.string({ unit: 'grapheme', maxLength: 8 }),
    content: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
  },
  { requiredKeys: ['index', 'active', 'title', 'command'] },
);
const window = fc.record({
  index: fc.oneof(fc.nat(5), jsonValue),
  name: fc.string({ unit: 'grapheme' }),
  layout: fc.oneof(fc.constant('b25d,80x24,0,0,0'), fc.string()),
  active: fc.boolean(),
  zoomed: fc.oneof(fc.boolean(), jsonValue),
  flags: fc.string(),
  panes: fc.array(pane, { maxLength: 3 }),
});
const save = fc.record({
  version: fc.oneof(fc.constant(2), jsonValue),
  timestamp: fc.oneof(fc.constant('20260101_120000'), fc.string()),
  sessions: fc.array(
    fc.record({ name: fc.string({ unit: 'grapheme' }), windows: fc.array(window, { maxLength: 3 }) }),
    { maxLength: 3 },
  ),
});

describe('convertPsmuxSave never crashes', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => checkOutcome(bytes)));
  });

  it('on arbitrary JSON, with and without the PowerShell byte-order mark and CRLF', () => {
    fc.assert(
      fc.property(jsonValue, fc.boolean(), (value, powershell) =>
        checkOutcome(powershell ? powershellJson(value) : Buffer.from(JSON.stringify(value) ?? 'null')),
      ),
    );
  });

  it('on save-shaped JSON with wrong or odd fields', () => {
    fc.assert(
      fc.property(save, (value) => checkOutcome(powershellJson(value))),
      { numRuns: 300 },
    );
  });

  it('on the sample save cut short at any byte', () => {
    const bytes = powershellJson(samplePsmuxSave());
    fc.assert(fc.property(fc.nat(bytes.length), (length) => checkOutcome(bytes.subarray(0, length))));
  });
});
