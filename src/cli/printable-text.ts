/**
 * Text from a save made safe for a terminal, and measured in terminal columns. Names, directories,
 * titles and command lines in a save can hold any byte tmux kept (tmux 3.3a stores
 * `new-window -n`, `pane_current_path` and program names byte for byte), and a save file can be
 * edited: printed raw, an escape sequence in one could retitle the terminal, set its clipboard
 * (OSC 52) or answer a query with typed input. Everything `show` and `diff` print passes here.
 */

/** C0 controls, DEL and the C1 controls (U+0080–U+009F, which some terminals obey as 8-bit CSI, OSC …). */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/g;

/** The text with every control character written as `\xNN`, so it prints as what it is. */
export function printable(text: string): string {
  return text.replace(controlCharacters, hexEscape);
}

/**
 * The text in double quotes, with `"` and `\` escaped and control characters as `\xNN`: a name
 * with spaces, quotes or an escape sequence reads unambiguously.
 */
export function quoted(text: string): string {
  return `"${printable(text.replace(/[\\"]/g, (character) => `\\${character}`))}"`;
}

/**
 * JSON for scripts that may still end on a terminal: JSON.stringify escapes C0 controls but
 * leaves DEL and the C1 controls raw, so those are written as `\u00NN` (the same value to any JSON
 * reader).
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function hexEscape(character: string): string {
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Marks that take no column of their own: combining marks (variation selectors among them), zero-width characters. */
const zeroWidth = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060-\u2064\ufeff]+$/u;
const pictographic = /\p{Emoji_Presentation}|\p{Regional_Indicator}|\ufe0f/u;

/**
 * East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, the blocks terminals draw
 * two columns wide).
 */
function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

function graphemeWidth(grapheme: string): number {
  if (zeroWidth.test(grapheme)) return 0;
  if (pictographic.test(grapheme)) return 2;
  return isWide(grapheme.codePointAt(0) ?? 0) ? 2 : 1;
}

/** Columns the text takes on a terminal (control characters must have been escaped first). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/**
 * The text cut to at most `width` columns, never inside a character: a cut text ends with `…`
 * (or is empty when not even that fits).
 */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 1) return '';
  let result = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const columns = graphemeWidth(segment);
    if (used + columns > width - 1) break;
    result += segment;
    used += columns;
  }
  return `${result}…`;
}
