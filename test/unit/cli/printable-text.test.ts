import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  displayWidth,
  printable,
  printableJson,
  quoted,
  truncateToWidth,
} from '../../../src/cli/printable-text.js';

describe('printable', () => {
  it('writes C0 controls, DEL and C1 controls as \\xNN and leaves the rest alone', () => {
    assert.equal(printable('a\x1b]0;t\x07b'), 'a\\x1b]0;t\\x07b');
    assert.equal(printable('\x00\t\n\x7f\u0085\u009b'), '\\x00\\x09\\x0a\\x7f\\x85\\x9b');
    assert.equal(printable('café 界 🙂 \\ "'), 'café 界 🙂 \\ "');
  });

  it('quotes with " and \\ escaped, so an escaped control and a typed backslash differ', () => {
    assert.equal(quoted('say "hi"'), '"say \\"hi\\""');
    assert.equal(quoted('\x1b'), '"\\x1b"');
    assert.equal(quoted('\\x1b'), '"\\\\x1b"');
  });

  it('keeps JSON valid and equal while escaping DEL and C1 controls', () => {
    const value = { name: 'a\u009b2J\x7f\x1b', list: ['\u0085'] };
    const text = printableJson(value);
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.deepEqual(JSON.parse(text), value);
  });
});

describe('displayWidth and truncateToWidth', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('界面'), 4);
    assert.equal(displayWidth('🙂'), 2);
    assert.equal(displayWidth('e\u0301'), 1);
  });

  it('cuts at a character boundary and ends with …', () => {
    assert.equal(truncateToWidth('abcdef', 6), 'abcdef');
    assert.equal(truncateToWidth('abcdef', 4), 'abc…');
    assert.equal(truncateToWidth('界面界面', 4), '界…');
    assert.equal(truncateToWidth('abc', 0), '');
  });
});
