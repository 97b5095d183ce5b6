import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  joinCommandArguments,
  literalForFormat,
  literalForTimeFormat,
  quoteScriptArgument,
} from '../../../src/mux/script.js';

describe('script quoting', () => {
  it('single-quotes and splices single quotes', () => {
    assert.equal(quoteScriptArgument(`it's`), `'it'"'"'s'`);
  });
  it('writes line breaks as double-quoted escapes', () => {
    assert.equal(quoteScriptArgument('a\\\n b\r'), `'a\\'"\\n"' b'"\\r"''`);
  });
  it('escapes a trailing semicolon for command-line batches', () => {
    assert.deepEqual(joinCommandArguments([['a', 'x;'], ['b']]), ['a', 'x\\;', ';', 'b']);
  });
  it('doubles # for format-expanded text', () => {
    assert.equal(literalForFormat('a#{b}#'), 'a##{b}##');
  });
  it('keeps a run of # before [ as it is: tmux copies a style start unchanged', () => {
    // What tmux 3.3a stores for each argument was checked with new-session -s / display -p.
    assert.equal(literalForFormat('a#[b'), 'a#[b');
    assert.equal(literalForFormat('a##[b'), 'a##[b');
    assert.equal(literalForFormat('#x##[y#'), '##x##[y##');
  });
  it('doubles every # for tmux 3.1, which turns ## into # before [ as well', () => {
    // tmux 3.1c stores `c#[d` when given `c##[d`, and `c##[d` when given `c####[d` (checked by hand).
    const tmux31 = { name: 'tmux', version: '3.1c' };
    assert.equal(literalForFormat('c##[d', tmux31), 'c####[d');
    assert.equal(literalForFormat('a#[b #', tmux31), 'a##[b ##');
    assert.equal(literalForFormat('c##[d', { name: 'tmux', version: '3.2a' }), 'c##[d');
    assert.equal(literalForFormat('c##[d', { name: 'psmux', version: '3.3.8' }), 'c##[d');
  });

  it('doubles % as well as # for formats that pass through strftime (display-message)', () => {
    assert.equal(literalForTimeFormat('pane %3 at 50% #1'), 'pane %%3 at 50%% ##1');
    assert.equal(literalForTimeFormat('a#[b'), 'a#[b');
  });
});
