import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshotFormatVersion, validateSnapshot } from '../../../src/snapshot/schema.js';
import { pane, session, snapshot, splitWindow } from '../../support/snapshots.js';

/** The snapshot as it is on disk: a JSON round trip, mutated by `change`. */
// biome-ignore lint/suspicious/noExplicitAny: each test edits the raw JSON at some depth, as a hand-edited file would be.
function document(change: (value: Record<string, any>) => void = () => {}): unknown {
  const value = JSON.parse(
    JSON.stringify(
      snapshot({
        activeSession: 'dev',
        sessions: [
          session({
            name: 'dev',
            windows: [
              splitWindow(0),
              { ...splitWindow(1, 2, 3), panes: [pane({ program: { argv: ['less', 'a b'] } })] },
            ],
          }),
        ],
      }),
    ),
  );
  change(value);
  return value;
}

function problem(value: unknown): { problem: string; field: string | undefined } {
  const result = validateSnapshot(value);
  assert.equal(result.ok, false, 'expected the document to be refused');
  return result.ok ? { problem: '', field: undefined } : result;
}

describe('validateSnapshot', () => {
  it('accepts a valid document and returns it', () => {
    const result = validateSnapshot(document());
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.snapshot.sessions[0]!.windows[1]!.panes[0]!.program?.argv[1], 'a b');
  });

  it('accepts a save with no sessions (the store refuses it, with its own message)', () => {
    assert.equal(
      validateSnapshot(
        document((value) => {
          value.sessions = [];
        }),
      ).ok,
      true,
    );
  });

  it('names a missing field by its path', () => {
    const { field, problem: text } = problem(document((value) => delete value.sessions[0].windows[1].layout));
    assert.equal(field, 'sessions.0.windows.1.layout');
    assert.match(text, /Invalid (key|type)/);
  });

  it('names a field of the wrong type and what was expected', () => {
    const result = problem(
      document((value) => {
        value.sessions[0].windows[0].panes[1].active = 'yes';
      }),
    );
    assert.equal(result.field, 'sessions.0.windows.0.panes.1.active');
    assert.match(result.problem, /boolean/);
    const index = problem(
      document((value) => {
        value.sessions[0].windows[0].index = -1;
      }),
    );
    assert.equal(index.field, 'sessions.0.windows.0.index');
  });

  it('refuses a window without panes and a session without windows', () => {
    assert.equal(
      problem(
        document((value) => {
          value.sessions[0].windows[0].panes = [];
        }),
      ).field,
      'sessions.0.windows.0.panes',
    );
    assert.equal(
      problem(
        document((value) => {
          value.sessions[0].windows = [];
        }),
      ).field,
      'sessions.0.windows',
    );
  });

  it('says a save from a newer version needs a newer continuum', () => {
    const result = problem(
      document((value) => {
        value.version = snapshotFormatVersion + 1;
      }),
    );
    assert.equal(result.field, 'version');
    assert.match(
      result.problem,
      new RegExp(`newer continuum.*version ${snapshotFormatVersion + 1}.*up to ${snapshotFormatVersion}`),
    );
  });

  it('says a JSON document of another kind is not a continuum save', () => {
    for (const value of [
      {},
      { version: 1, sessions: [] },
      document((value) => {
        value.format = 'resurrect';
      }),
    ]) {
      const result = problem(value);
      assert.equal(result.field, 'format');
      assert.match(result.problem, /not a continuum save/);
    }
  });

  it('refuses values that are not objects', () => {
    for (const value of [null, 42, 'text', [], true]) assert.equal(validateSnapshot(value).ok, false);
  });

  it('refuses a version that is not a number, naming the field', () => {
    assert.equal(
      problem(
        document((value) => {
          value.version = '1';
        }),
      ).field,
      'version',
    );
  });
});
