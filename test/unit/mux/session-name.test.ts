import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  keepsNamesEscaped,
  nameAsGiven,
  sessionNameFor,
  sessionNameToCreate,
  storedSessionName,
} from '../../../src/mux/session-name.js';
import { inServerNameForm } from '../../../src/restore/names-for-server.js';
import type { Snapshot } from '../../../src/snapshot/schema.js';

/** Pairs of (name given to tmux 3.3a `new-session -s`, name it stored), observed on a real server. */
const observed: readonly [string, string][] = [
  ['x$y', 'x\\$y'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a session name holding the text ${a}.
  ['x${a}', 'x\\${a}'],
  ['x\\y', 'x\\\\y'],
  ['x\\$y', 'x\\\\\\$y'],
  ['x\ty', 'x\\ty'],
  ['x\ny', 'x\\ny'],
  ['x\x07y', 'x\\ay'],
  ['x\x1by', 'x\\033y'],
  ['x\x7f1', 'x\\1771'],
  ['x\u0085y', 'x\\302\\205y'],
];

describe('sessionNameToCreate', () => {
  it('undoes the escaping tmux applies to session names', () => {
    for (const [given, stored] of observed) assert.equal(sessionNameToCreate(stored), given, stored);
  });

  it('leaves names without a backslash alone', () => {
    for (const name of ['dev', 'my  project', '#{session_id} #W', 'x$', 'x$ 1', 'ünïcødé 😀', '-dash'])
      assert.equal(sessionNameToCreate(name), name);
  });

  it('keeps a backslash that starts no escape (a name tmux did not write)', () => {
    assert.equal(sessionNameToCreate('a\\qb'), 'a\\qb');
    assert.equal(sessionNameToCreate('end\\'), 'end\\');
  });
});

const tmux = (version: string) => ({ name: 'tmux', version });

/** Pairs of (name given to `new-session -s`, name it stored), seen on the real 3.1c, 3.5a and 3.8. */
const observedOn: Readonly<Record<string, readonly [string, string][]>> = {
  '3.1c': [
    ['a\\b', 'a\\b'],
    ['a\x1fb', 'a\x1fb'],
    ['t\tn', 't\tn'],
    ['a$b"c', 'a$b"c'],
  ],
  '3.5a': [
    ['a\\b', 'a\\\\b'],
    ['a\x1fb', 'a\\037b'],
    ['t\tn', 't\\tn'],
    ['a$b"c', 'a$b"c'],
    ['x:y.z', 'x_y_z'],
    ['a\\035', 'a\\\\035'],
  ],
  '3.8': [
    ['a\\b', 'a\\\\b'],
    ['a$b"c', 'a$b"c'],
    ['x:y.z', 'x:y.z'],
    ['a\\035', 'a\\\\035'],
  ],
};

describe('storedSessionName', () => {
  it('gives what each version was seen to store', () => {
    for (const [given, stored] of observed)
      assert.equal(storedSessionName(given, tmux('3.3a')), stored, given);
    for (const [version, pairs] of Object.entries(observedOn))
      for (const [given, stored] of pairs)
        assert.equal(storedSessionName(given, tmux(version)), stored, `${version} ${given}`);
  });
});

describe('the form names are kept in', () => {
  it('is escaped for session names from 3.2 and for window names from 3.7', () => {
    assert.equal(keepsNamesEscaped('session', tmux('3.1c')), false);
    assert.equal(keepsNamesEscaped('session', tmux('3.2')), true);
    assert.equal(keepsNamesEscaped('session', tmux('next-3.8')), true);
    assert.equal(keepsNamesEscaped('window', tmux('3.6a')), false);
    assert.equal(keepsNamesEscaped('window', tmux('3.7c')), true);
    assert.equal(keepsNamesEscaped('session', { name: 'psmux', version: '3.8' }), false);
    assert.equal(nameAsGiven('a\\\\b', 'session', tmux('3.1c')), 'a\\\\b');
    assert.equal(nameAsGiven('a\\\\b', 'session', tmux('3.3a')), 'a\\b');
  });

  it('is carried from the version a save was made on to the one it is restored on', () => {
    assert.deepEqual(sessionNameFor('a\\b', tmux('3.1c'), tmux('3.3a')), {
      name: 'a\\\\b',
      given: 'a\\b',
      renamed: false,
    });
    assert.deepEqual(sessionNameFor('a\\\\b', tmux('3.8'), tmux('3.1c')), {
      name: 'a\\b',
      given: 'a\\b',
      renamed: false,
    });
    assert.deepEqual(sessionNameFor('a\\$b', tmux('3.3a'), tmux('3.5a')), {
      name: 'a$b',
      given: 'a$b',
      renamed: false,
    });
    assert.deepEqual(sessionNameFor('us\\037', tmux('3.3a'), tmux('3.8')), {
      name: 'us_',
      given: 'us\x1f',
      renamed: true,
    });
    // The same version: the saved name untouched, whatever it holds.
    assert.deepEqual(sessionNameFor('a\\qb', tmux('3.3a'), tmux('3.3a')), {
      name: 'a\\qb',
      given: 'a\\qb',
      renamed: false,
    });
  });

  it('of a whole save: sessions, groups, the active ones, and window names 3.7 refuses, each with one warning', () => {
    const pane = { index: 0 } as Snapshot['sessions'][number]['windows'][number]['panes'][number];
    const window = (name: string) =>
      ({ index: 1, name, panes: [pane] }) as Snapshot['sessions'][number]['windows'][number];
    const saved = {
      mux: tmux('3.1c'),
      activeSession: 'a\\b',
      alternateSession: null,
      sessions: [
        { name: 'a\\b', group: 'a\\b', windows: [window('w\x1fx'), window('plain')] },
        { name: 'us\x1f', group: null, windows: [window('one')] },
      ],
    } as unknown as Snapshot;
    const onThreeEight = inServerNameForm(saved, tmux('3.8'));
    assert.equal(onThreeEight.snapshot.activeSession, 'a\\\\b');
    assert.deepEqual(
      onThreeEight.snapshot.sessions.map((session) => [
        session.name,
        session.group,
        session.windows.map((w) => w.name),
      ]),
      [
        ['a\\\\b', 'a\\\\b', ['w_x', 'plain']],
        ['us_', null, ['one']],
      ],
    );
    assert.deepEqual(onThreeEight.warnings, [
      'window "a\\\\b":1 ("w\\u001fx"): tmux 3.8 refuses control characters in window names; it is restored as "w_x"',
      'session "us\\u001f": tmux 3.8 refuses control characters in session names; it is restored as "us_"',
    ]);
    const onThreeThree = inServerNameForm(saved, tmux('3.3a'));
    assert.deepEqual(onThreeThree.warnings, []);
    assert.equal(onThreeThree.snapshot.sessions[1]!.name, 'us\\037');
    assert.equal(inServerNameForm(saved, tmux('3.1c')).snapshot, saved);
  });
});
