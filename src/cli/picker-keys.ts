/** The keys the picker understands, decoded from what a terminal in raw mode sends. */
export type PickerKey = { readonly kind: 'character'; readonly text: string } | { readonly kind: NamedKey };

/** Keys without text of their own. */
export type NamedKey =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'home'
  | 'end'
  | 'tab'
  | 'back-tab'
  | 'enter'
  | 'escape'
  | 'backspace'
  | 'clear-filter'
  | 'interrupt'
  | 'other';

/** CSI and SS3 sequences (xterm, tmux's own `screen`/`tmux` terminals, the Linux console). */
const sequences: Readonly<Record<string, NamedKey>> = {
  '[A': 'up',
  '[B': 'down',
  OA: 'up',
  OB: 'down',
  '[5~': 'page-up',
  '[6~': 'page-down',
  '[H': 'home',
  '[F': 'end',
  OH: 'home',
  OF: 'end',
  '[1~': 'home',
  '[4~': 'end',
  '[7~': 'home',
  '[8~': 'end',
  '[Z': 'back-tab',
};

/**
 * Pure: the keys in one chunk of terminal input. A lone ESC is the Escape key: tmux, like any
 * terminal, writes a key's whole sequence at once, so a chunk that is just ESC was the key itself.
 * Unknown sequences become `other` and are ignored, never typed into the filter.
 */
export function decodeKeys(input: string): PickerKey[] {
  const keys: PickerKey[] = [];
  let position = 0;
  while (position < input.length) {
    const character = input[position]!;
    if (character === '\x1b') {
      const rest = input.slice(position + 1);
      // CSI: ESC [ parameters intermediates final; SS3: ESC O final.
      const match = rest.match(/^\[[0-?]*[ -/]*[@-~]/) ?? rest.match(/^O[@-~]/);
      if (match) {
        keys.push({ kind: sequences[match[0]] ?? 'other' });
        position += 1 + match[0].length;
      } else if (rest.length > 0 && rest[0] !== '\x1b') {
        // Alt+key: nothing the picker uses.
        keys.push({ kind: 'other' });
        position += 2;
      } else {
        keys.push({ kind: 'escape' });
        position += 1;
      }
      continue;
    }
    position += character.length;
    if (character === '\r' || character === '\n') keys.push({ kind: 'enter' });
    else if (character === '\t') keys.push({ kind: 'tab' });
    else if (character === '\x7f' || character === '\b') keys.push({ kind: 'backspace' });
    else if (character === '\x03') keys.push({ kind: 'interrupt' });
    else if (character === '\x15') keys.push({ kind: 'clear-filter' });
    else if (character === '\x10') keys.push({ kind: 'up' });
    else if (character === '\x0e') keys.push({ kind: 'down' });
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(character)) keys.push({ kind: 'other' });
    else {
      // A whole code point (a surrogate pair stays together).
      const codePoint = input.codePointAt(position - 1)!;
      const text = String.fromCodePoint(codePoint);
      position += text.length - 1;
      keys.push({ kind: 'character', text });
    }
  }
  return keys;
}
