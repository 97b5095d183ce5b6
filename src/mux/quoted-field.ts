/**
 * The text of one format field as tmux prints it, on every version and back to the exact value.
 *
 * tmux prints `list-* -F` and `display-message -p` output in one of two ways:
 * - raw (3.1c, 3.3a, 3.6 and later): every byte as the data holds it;
 * - escaped (3.4, 3.5, 3.5a; server-client.c `server_client_print` passes the line through
 *   vis(3) with VIS_OCTAL|VIS_CSTYLE|VIS_NOSLASH): a control byte, DEL and a byte that is not part
 *   of valid UTF-8 become `\ooo` or `\r`-style escapes, but a backslash stays a single backslash,
 *   so a data `\035` cannot be told from an escaped GS.
 *
 * Every field is therefore asked for through the `q` modifier (`#{q:NAME}`, format.c
 * `format_quote_shell`, unchanged from 3.1 to 3.8 but for 3.8 adding newline and tab to its set): it puts a
 * backslash before each backslash and shell metacharacter of the data, and never before a letter
 * or a digit. After it, a backslash followed by three octal digits or by one of `abfnrstv` can only
 * be tmux's own escaping, and a backslash followed by anything else is `q`'s; one decoder reads
 * both ways without knowing the version.
 */

/** The `-F` text for field `name`, quoted so that {@link decodeQuotedField} reads it back exactly. */
export function quotedFormat(name: string): string {
  return `#{q:${name}}`;
}

/** vis(3)'s VIS_CSTYLE escapes. */
const cStyleEscapes: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  s: 0x20,
  t: 0x09,
  v: 0x0b,
};

const isOctalDigit = (character: string | undefined): boolean =>
  character !== undefined && character >= '0' && character <= '7';

/**
 * The value a `#{q:…}` field printed as `printed` holds, or undefined for text that no tmux prints
 * (a backslash at the very end, or one before an incomplete octal escape). Bytes from octal escapes
 * are put together with the text around them and read as UTF-8, as a raw printing tmux's bytes are
 * read: a byte that is not UTF-8 becomes U+FFFD either way.
 */
export function decodeQuotedField(printed: string): string | undefined {
  if (!printed.includes('\\')) return printed;
  const pieces: Buffer[] = [];
  let plainStart = 0;
  let index = 0;
  const flushPlain = (end: number): void => {
    if (end > plainStart) pieces.push(Buffer.from(printed.slice(plainStart, end), 'utf8'));
  };
  while (index < printed.length) {
    if (printed[index] !== '\\') {
      index += 1;
      continue;
    }
    flushPlain(index);
    const next = printed[index + 1];
    if (next === undefined) return undefined;
    if (isOctalDigit(next)) {
      if (!isOctalDigit(printed[index + 2]) || !isOctalDigit(printed[index + 3])) return undefined;
      const value = Number.parseInt(printed.slice(index + 1, index + 4), 8);
      if (value > 0xff) return undefined;
      pieces.push(Buffer.of(value));
      index += 4;
    } else if (Object.hasOwn(cStyleEscapes, next)) {
      pieces.push(Buffer.of(cStyleEscapes[next]!));
      index += 2;
    } else {
      // q's escape: the character itself (a surrogate pair is two code units, kept whole).
      const width = (printed.codePointAt(index + 1) ?? 0) > 0xffff ? 2 : 1;
      pieces.push(Buffer.from(printed.slice(index + 1, index + 1 + width), 'utf8'));
      index += 1 + width;
    }
    plainStart = index;
  }
  flushPlain(index);
  return Buffer.concat(pieces).toString('utf8');
}
