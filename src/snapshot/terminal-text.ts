const escapeCharacter = 0x1b;
const bell = 0x07;
const cancel = 0x18;
const substitute = 0x1a;
const eightBitCsi = 0x9b;
const eightBitStringTerminator = 0x9c;
/** ESC followed by one of these starts a control string: DCS `P`, SOS `X`, OSC `]`, PM `^`, APC `_`. */
const stringIntroducers = new Set(['P', 'X', ']', '^', '_']);
/** The 8-bit forms of the same: DCS, SOS, OSC, PM, APC. */
const eightBitStringIntroducers = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);

/** C0 controls other than newline and tab, DEL, and the C1 controls U+0080–U+009F. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f);
}

/**
 * Pure: `text` with every terminal control removed except SGR, the colour and attribute sequences
 * `tmux capture-pane -e` writes (`ESC [` digits, `;` and `:` then `m`). Saved pane contents are
 * printed raw into a restored pane, and a contents file can be edited: an OSC 52 there would set
 * the clipboard, an OSC 2 retitle the terminal, a DCS pass commands through tmux. Dropped: OSC,
 * DCS, SOS, PM and APC strings (to BEL or ST, or to the end when unterminated), every other CSI and
 * escape sequence, the 8-bit C1 forms (U+009B as CSI included), a bare or trailing ESC, and every C0
 * control but newline and tab (a carriage return or backspace could make one line pose as another).
 */
export function keepOnlyColourSequences(text: string): string {
  const parts: string[] = [];
  let plainStart = 0;
  let index = 0;
  while (index < text.length) {
    if (!isControl(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    if (index > plainStart) parts.push(text.slice(plainStart, index));
    const end = sequenceEnd(text, index);
    if (isSgr(text, index, end)) parts.push(text.slice(index, end));
    index = end;
    plainStart = end;
  }
  if (plainStart === 0) return text;
  if (plainStart < text.length) parts.push(text.slice(plainStart));
  return parts.join('');
}

/** The index just after the control sequence that starts at `start` (at least one character). */
function sequenceEnd(text: string, start: number): number {
  const code = text.charCodeAt(start);
  if (code === eightBitCsi) return csiEnd(text, start + 1);
  if (eightBitStringIntroducers.has(code)) return controlStringEnd(text, start + 1);
  if (code !== escapeCharacter) return start + 1;
  const next = text[start + 1];
  if (next === undefined) return start + 1;
  if (next === '[') return csiEnd(text, start + 2);
  if (stringIntroducers.has(next)) return controlStringEnd(text, start + 2);
  // Any other escape: intermediates (0x20–0x2F), then one final character (0x30–0x7E).
  let index = start + 1;
  while (index < text.length && inRange(text.charCodeAt(index), 0x20, 0x2f)) index += 1;
  return index < text.length && inRange(text.charCodeAt(index), 0x30, 0x7e) ? index + 1 : index;
}

/**
 * A CSI's parameters (0x30–0x3F), intermediates (0x20–0x2F) and final character (0x40–0x7E).
 * An unfinished one ends before the first character that cannot belong to it, which is then
 * filtered on its own.
 */
function csiEnd(text: string, from: number): number {
  let index = from;
  while (index < text.length && inRange(text.charCodeAt(index), 0x30, 0x3f)) index += 1;
  while (index < text.length && inRange(text.charCodeAt(index), 0x20, 0x2f)) index += 1;
  return index < text.length && inRange(text.charCodeAt(index), 0x40, 0x7e) ? index + 1 : index;
}

/**
 * A control string ends with ST (`ESC \` or U+009C) or BEL (xterm's OSC terminator); CAN and SUB
 * abort it. Without any of them it runs to the end of the text, as a terminal would swallow it.
 */
function controlStringEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === bell || code === eightBitStringTerminator || code === cancel || code === substitute)
      return index + 1;
    if (code === escapeCharacter && text[index + 1] === '\\') return index + 2;
  }
  return text.length;
}

function isSgr(text: string, start: number, end: number): boolean {
  if (
    text.charCodeAt(start) !== escapeCharacter ||
    text[start + 1] !== '[' ||
    end - start < 3 ||
    text[end - 1] !== 'm'
  )
    return false;
  for (let index = start + 2; index < end - 1; index += 1) {
    const code = text.charCodeAt(index);
    if (!(inRange(code, 0x30, 0x39) || code === 0x3b || code === 0x3a)) return false;
  }
  return true;
}

function inRange(code: number, low: number, high: number): boolean {
  return code >= low && code <= high;
}
