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

  it('doubles % as well as # for formats that pass through strftime (display-message)', () => {
    assert.equal(literalForTimeFormat('pane %3 at 50% #1'), 'pane %%3 at 50%% ##1');
    assert.equal(literalForTimeFormat('a#[b'), 'a#[b');
  });
});
