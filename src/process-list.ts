/**
 * Kept below every layer: the option lists of tmux-resurrect (allowlist) and psmux's
 * `pane_start_command` (capture) are both split this way.
 */

/**
 * Splits a process list the way the tmux-resurrect docs write it: entries separated by spaces,
 * an entry holding spaces wrapped in double (or single) quotes.
 */
export function splitProcessList(text: string): string[] {
  const entries: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const entry = match[1] ?? match[2] ?? match[3] ?? '';
    if (entry.trim() !== '') entries.push(entry.trim());
  }
  return entries;
}
