/**
 * Text typed into a shell is run by it. A control character (a newline runs what came before it
 * early, ESC starts a terminal or readline sequence, ^C/^D/^Z act on the line) can make a saved
 * command line do something other than what it says, so such a line is never typed.
 */
export type TypingCheck = { readonly safe: true } | { readonly safe: false; readonly reason: string };

const names: Readonly<Record<number, string>> = {
  10: 'a newline',
  13: 'a carriage return',
  27: 'an escape sequence',
  9: 'a tab',
  127: 'a delete character',
};

/** Checks text before it is typed: C0 controls, DEL and C1 controls (U+0080–U+009F) are refused. */
export function checkSafeToType(text: string): TypingCheck {
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
      const name =
        names[code] ?? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return { safe: false, reason: `contains ${name}` };
    }
  }
  if (text.trim() === '') return { safe: false, reason: 'is empty' };
  return { safe: true };
}
