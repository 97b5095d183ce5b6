import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectSessions } from '../../../src/restore/select-sessions.js';
import { session, snapshot } from '../../support/snapshots.js';

const saved = snapshot({
  activeSession: 'work',
  alternateSession: 'mail',
  sessions: [
    session({ id: '$0', name: 'work' }),
    session({ id: '$1', name: 'mail' }),
    session({ id: '$2', name: 'left', group: 'left' }),
    session({ id: '$3', name: 'right', group: 'left' }),
  ],
});

describe('restore --session', () => {
  it('keeps only the sessions named, and the active or alternate one only when named', () => {
    const selection = selectSessions(saved, ['mail']);
    assert.ok(selection.ok);
    assert.deepEqual(
      selection.snapshot.sessions.map((kept) => kept.name),
      ['mail'],
    );
    assert.equal(selection.snapshot.activeSession, null);
    assert.equal(selection.snapshot.alternateSession, 'mail');
    assert.deepEqual(selection.groupMembers, []);
  });

  it('brings the whole group of a grouped session: its members share their windows', () => {
    const selection = selectSessions(saved, ['right', 'work']);
    assert.ok(selection.ok);
    assert.deepEqual(
      selection.snapshot.sessions.map((kept) => kept.name),
      ['work', 'left', 'right'],
    );
    assert.deepEqual(selection.groupMembers, ['left']);
    assert.equal(selection.snapshot.activeSession, 'work');
    assert.equal(selection.snapshot.alternateSession, null);
  });

  it('names every session the save does not hold', () => {
    assert.deepEqual(selectSessions(saved, ['work', 'nope', 'gone', 'nope']), {
      ok: false,
      unknown: ['nope', 'gone'],
    });
  });
});
