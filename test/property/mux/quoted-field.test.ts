import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeQuotedField } from '../../../src/mux/quoted-field.js';

/**
 * Models of what tmux prints for a `#{q:…}` field, written from tmux's C source (format.c
 * format_quote_shell; server-client.c server_client_print with compat/vis.c), independent of the
 * decoder.
 */
const quoted38 = new Set('|&;<>()$`\\"\'*?[# =%\n\t');
const quotedBefore38 = new Set('|&;<>()$`\\"\'*?[# =%');

function quote(bytes: Buffer, set: ReadonlySet<string>): Buffer {
  const out: number[] = [];
  for (const byte of bytes) {
    if (byte < 0x80 && set.has(String.fromCharCode(byte))) out.push(0x5c);
    out.push(byte);
  }
  return Buffer.from(out);
}

const cStyle: Readonly<Record<number, string>> = { 13: 'r', 8: 'b', 7: 'a', 11: 'v', 12: 'f' };

/** Length of the valid UTF-8 character of more than one byte at `index`, or 0. */
function multiByteLength(bytes: Buffer, index: number): number {
  for (const length of [2, 3, 4]) {
    const slice = bytes.subarray(index, index + length);
    if (slice.length < length) break;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(slice);
      return length;
    } catch {}
  }
  return 0;
}

/** vis(3) with VIS_OCTAL|VIS_CSTYLE|VIS_NOSLASH over tmux's utf8_strvis. */
function escapeLikeTmux35(bytes: Buffer): string {
  let out = '';
  for (let index = 0; index < bytes.length; ) {
    const byte = bytes[index]!;
    const length = byte >= 0x80 ? multiByteLength(bytes, index) : 0;
    if (length > 0) {
      out += bytes.subarray(index, index + length).toString('utf8');
      index += length;
      continue;
    }
    if ((byte >= 0x21 && byte <= 0x7e) || byte === 0x20 || byte === 0x09 || byte === 0x0a)
      out += String.fromCharCode(byte);
    else if (cStyle[byte] !== undefined) out += `\\${cStyle[byte]}`;
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
    index += 1;
  }
  return out;
}

/** Any bytes but NUL (a C string), weighted towards the ones tmux treats specially. */
const fieldBytes = fc
  .array(
    fc.oneof(
      fc.integer({ min: 1, max: 0xff }),
      fc.constantFrom(0x5c, 0x1d, 0x1e, 0x1f, 0x7f, 0x0a, 0x09, 0x0d, 0x30, 0x33, 0x35, 0x6e),
      fc.constantFrom(...[...Buffer.from('é😀ü')]),
    ),
    { maxLength: 40 },
  )
  .map((values) => Buffer.from(values));

describe('decodeQuotedField on every way tmux prints a quoted field', () => {
  it('reads raw output (3.1c, 3.3a, 3.6, 3.7) as the bytes read as UTF-8', () => {
    fc.assert(
      fc.property(fieldBytes, (bytes) => {
        const printed = quote(bytes, quotedBefore38).toString('utf8');
        assert.equal(decodeQuotedField(printed), bytes.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads 3.8 raw output, whose q also escapes newline and tab', () => {
    fc.assert(
      fc.property(fieldBytes, (bytes) => {
        assert.equal(decodeQuotedField(quote(bytes, quoted38).toString('utf8')), bytes.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads escaped output (3.4, 3.5, 3.5a) as the same text', () => {
    fc.assert(
      fc.property(fieldBytes, (bytes) => {
        const printed = escapeLikeTmux35(quote(bytes, quotedBefore38));
        assert.equal(decodeQuotedField(printed), bytes.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });
});
