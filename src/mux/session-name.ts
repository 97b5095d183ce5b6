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

/**
 * Whether this tmux keeps window names and pane titles escaped as it keeps session names: 3.7 and
 * later do (tmux.c `clean_name`, CHANGES 3.7 "Sanitize pane titles and window and session names
 * more consistently and strictly"); earlier versions keep what `new-window -n` and
 * `select-pane -T` were given.
 */
export function keepsNamesEscaped(muxName: string, version: string): boolean {
  if (muxName !== 'tmux') return false;
  const match = version.match(/^(?:next-)?(\d+)\.(\d+)/);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 7);
}

/**
 * A window name or pane title as the user gave it, from the form tmux keeps: a save holds that,
 * so restoring it on any version gives the same name (3.7 escapes it again as it stores it, 3.3a
 * keeps it as given), and `a\b` does not gain a backslash at each save and restore on 3.7.
 */
export function nameAsGiven(storedName: string, muxName: string, version: string): string {
  return keepsNamesEscaped(muxName, version) ? sessionNameToCreate(storedName) : storedName;
}
