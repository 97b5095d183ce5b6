import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinCommandArguments, literalForFormat, quoteScriptArgument } from '../../src/mux/script.js';

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
});
