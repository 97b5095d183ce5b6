import { tmuxVersionAtLeast } from './tmux-version.js';

/**
 * tmux keeps a session name escaped (session.c `session_check_name` → `utf8_stravis` with
 * VIS_OCTAL|VIS_CSTYLE|VIS_TAB|VIS_NL): given `a$HOME` it stores `a\$HOME`, given `a\b` it stores
 * `a\\b`, a tab becomes `\t` and other control bytes `\ooo`. Saves hold the stored form, so
 * recreating a session from it must hand tmux the original text; otherwise each save and restore
 * adds another layer of backslashes and a second restore no longer finds the session it made.
 * Targets (`-t =name`) compare against the stored form and take the saved name as it is.
 */
const simpleEscapes: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  $: 0x24,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  t: 0x09,
  n: 0x0a,
  v: 0x0b,
  f: 0x0c,
  r: 0x0d,
  s: 0x20,
};

/** The text to give `new-session -s` / `rename-session` so tmux stores exactly `storedName`. */
export function sessionNameToCreate(storedName: string): string {
  if (!storedName.includes('\\')) return storedName;
  const bytes: number[] = [];
  const characters = [...storedName];
  for (let index = 0; index < characters.length; index += 1) {
    const character = characters[index]!;
    const next = characters[index + 1];
    if (character === '\\' && next !== undefined) {
      const octal = characters.slice(index + 1, index + 4).join('');
      if (/^[0-3][0-7]{2}$/.test(octal)) {
        bytes.push(Number.parseInt(octal, 8));
        index += 3;
        continue;
      }
      const simple = simpleEscapes[next];
      if (simple !== undefined) {
        bytes.push(simple);
        index += 1;
        continue;
      }
    }
    bytes.push(...Buffer.from(character, 'utf8'));
  }
  // Octal escapes of a multi-byte character (`\302\205`) only make sense as UTF-8 together.
  return Buffer.from(bytes).toString('utf8');
}

/** Session names, or window names and pane titles: tmux began keeping them escaped in different versions. */
export type NameKind = 'session' | 'window';

/** The tmux a name was read from or is given to: `#{version}` as captured, e.g. `3.1c` or `next-3.8`. */
export interface MuxVersion {
  readonly name: string;
  readonly version: string;
}

function tmuxAtLeastMinor(mux: MuxVersion, minor: number): boolean {
  if (mux.name !== 'tmux') return false;
  const match = mux.version.match(/^(?:next-)?(\d+)\.(\d+)/);
  if (!match) return false;
  const [major, found] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && found >= minor);
}

/**
 * Whether this tmux's format expansion turns `##` into `#` even before `[`, so that every `#` of a
 * literal must be doubled: 3.1 (seen on 3.1c, which stores `c#[d` when given `c##[d`). From 3.2
 * (taken to be as 3.3a; it is not in the matrix) format_expand1 copies a run of `#` before `[`
 * unchanged, a style left for format_draw. psmux is taken to be as tmux 3.3a.
 */
export function collapsesHashesBeforeStyle(mux: MuxVersion): boolean {
  return mux.name === 'tmux' && !tmuxVersionAtLeast(mux.version, [3, 2]);
}

/**
 * Whether this tmux keeps names of `kind` escaped. Session names: 3.2 and later
 * (`session_check_name` runs them through vis); 3.1c keeps what `new-session -s` was given. Window
 * names and pane titles: 3.7 and later (tmux.c `clean_name`, CHANGES 3.7 "Sanitize pane titles and
 * window and session names more consistently and strictly"); earlier versions keep what
 * `new-window -n` and `select-pane -T` were given. This is the one place that says which form a
 * name read from tmux is in: capture, plan and apply all ask it.
 */
export function keepsNamesEscaped(kind: NameKind, mux: MuxVersion): boolean {
  return tmuxAtLeastMinor(mux, kind === 'session' ? 2 : 7);
}

/**
 * A name as the user gave it, from the form `mux` keeps it in: the text to hand that tmux to get
 * the same stored name again, and the form window names and titles are saved in (so restoring them
 * on any version gives the same name, and `a\b` does not gain a backslash at each save and restore).
 */
export function nameAsGiven(storedName: string, kind: NameKind, mux: MuxVersion): string {
  return keepsNamesEscaped(kind, mux) ? sessionNameToCreate(storedName) : storedName;
}

/** The C-style escapes tmux's vis writes for session names (VIS_CSTYLE with VIS_TAB|VIS_NL). */
const cStyleOf: Readonly<Record<string, string>> = {
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
};

/** The C0 and C1 controls and DEL, which tmux escapes or refuses. */
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `mux` refuses control characters in session and window names ("invalid session name", 3.7 and later). */
export function refusesControlCharacters(mux: MuxVersion): boolean {
  return tmuxAtLeastMinor(mux, 7);
}

/** `name` with each control character replaced by `_`, which every version keeps as it is. */
export function withoutControlCharacters(name: string): string {
  return name.replace(new RegExp(controlCharacter.source, 'g'), '_');
}

/**
 * The session name `mux` stores when given `givenName` (`new-session -s`), as observed on each
 * version of the matrix: 3.1c keeps it; 3.2 to 3.6 turn `:` and `.` into `_`; 3.3a puts a
 * backslash before `$` and 3.5a does not (3.2 is taken to be as 3.3a, 3.4 as 3.5a: neither is in
 * the matrix); 3.2 and later double a backslash, write tab, newline and the C escapes as
 * `\t`-style escapes and other control bytes as octal; 3.7 and later refuse control characters
 * (the caller replaces them first: {@link withoutControlCharacters}).
 */
export function storedSessionName(givenName: string, mux: MuxVersion): string {
  if (!keepsNamesEscaped('session', mux)) return givenName;
  const before37 = !tmuxAtLeastMinor(mux, 7);
  const before34 = !tmuxAtLeastMinor(mux, 4);
  let stored = '';
  for (const character of givenName) {
    if (before37 && (character === ':' || character === '.')) stored += '_';
    else if (character === '\\') stored += '\\\\';
    else if (character === '$' && before34) stored += '\\$';
    else if (cStyleOf[character] !== undefined) stored += `\\${cStyleOf[character]}`;
    else if (controlCharacter.test(character))
      for (const byte of Buffer.from(character, 'utf8')) stored += `\\${byte.toString(8).padStart(3, '0')}`;
    else stored += character;
  }
  return stored;
}

/**
 * A session name saved from `from` in the form `to` stores it, so that a save from one version is
 * compared with, and targets, the sessions of another. The same version: the name unchanged.
 * `given` is the name as the user gave it; `renamed` says the name had to change beyond tmux's
 * escaping (control characters `to` refuses).
 */
export function sessionNameFor(
  savedName: string,
  from: MuxVersion,
  to: MuxVersion,
): { readonly name: string; readonly given: string; readonly renamed: boolean } {
  if (from.name === to.name && from.version === to.version)
    return { name: savedName, given: savedName, renamed: false };
  const given = nameAsGiven(savedName, 'session', from);
  const usable = refusesControlCharacters(to) ? withoutControlCharacters(given) : given;
  return { name: storedSessionName(usable, to), given, renamed: usable !== given };
}
