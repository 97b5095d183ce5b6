import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeQuotedField, quotedFormat } from '../../../src/mux/quoted-field.js';

describe('quotedFormat', () => {
  it('asks for a field through the q modifier', () => {
    assert.equal(quotedFormat('pane_title'), '#{q:pane_title}');
    assert.equal(quotedFormat('@resurrect-dir'), '#{q:@resurrect-dir}');
  });
});

describe('decodeQuotedField', () => {
  it('gives text without a backslash back as it is, control bytes included (3.3a, 3.6+)', () => {
    assert.equal(decodeQuotedField('plain ünï 😀 \x1f\x1e\x1d\x7f'), 'plain ünï 😀 \x1f\x1e\x1d\x7f');
    assert.equal(decodeQuotedField(''), '');
  });

  it("undoes q's backslash before a backslash and each shell metacharacter", () => {
    assert.equal(decodeQuotedField('a\\\\b'), 'a\\b');
    assert.equal(
      decodeQuotedField('\\|\\&\\;\\<\\>\\(\\)\\$\\`\\"\\\'\\*\\?\\[\\#\\ \\=\\%'),
      '|&;<>()$`"\'*?[# =%',
    );
    // tmux 3.8 also escapes a newline and a tab.
    assert.equal(decodeQuotedField('one\\\ntwo\\\tthree'), 'one\ntwo\tthree');
  });

  it("reads tmux 3.4 and 3.5's octal and C-style escapes (vis VIS_OCTAL|VIS_CSTYLE)", () => {
    assert.equal(decodeQuotedField('\\035\\036\\037\\033\\177\\001'), '\x1d\x1e\x1f\x1b\x7f\x01');
    assert.equal(decodeQuotedField('\\r\\a\\b\\f\\v\\n\\t\\s'), '\r\x07\b\f\v\n\t ');
  });

  it('tells a data backslash before digits from an escape', () => {
    // The data `\035` is printed by q as `\\035`; a GS byte by 3.5a as `\035`.
    assert.equal(decodeQuotedField('\\\\035'), '\\035');
    assert.equal(decodeQuotedField('\\\\\\035'), '\\\x1d');
    assert.equal(decodeQuotedField('\\\\n'), '\\n');
  });

  it('puts octal bytes together as UTF-8, and a byte that is not UTF-8 becomes U+FFFD as in raw output', () => {
    assert.equal(decodeQuotedField('caf\\303\\251'), 'café');
    assert.equal(decodeQuotedField('bad\\351name'), 'bad\uFFFDname');
    assert.equal(decodeQuotedField('\\377'), '\uFFFD');
  });

  it('keeps a character outside the BMP whole after a backslash', () => {
    assert.equal(decodeQuotedField('\\😀x'), '😀x');
  });

  it('refuses what no tmux prints: a backslash at the end, an incomplete or too large octal escape', () => {
    assert.equal(decodeQuotedField('end\\'), undefined);
    assert.equal(decodeQuotedField('\\03'), undefined);
    assert.equal(decodeQuotedField('\\03x'), undefined);
    assert.equal(decodeQuotedField('\\400'), undefined);
  });
});
