import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionNameToCreate } from '../../src/mux/session-name.js';

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
