import { bashSnippet } from './snippet-bash.js';
import { fishSnippet } from './snippet-fish.js';
import { pwshSnippet } from './snippet-pwsh.js';
import { zshSnippet } from './snippet-zsh.js';

/**
 * The shells `continuum shell-init` knows. Each snippet records, per pane and with shell builtins
 * only (no process per prompt or per command), into the pane directory (`paneRecordsDirectory`):
 *
 * - `IDENTITY.state`: rewritten at every prompt and before every command. NUL-terminated fields:
 *   `continuum-pane`, `1`, then key/value pairs (`identity`, `tmux`, `tmux-pane`, `shell`,
 *   `shell-pid`, `history-file`, `command` or bash's `fc-command`, `environment` = `NAME=VALUE`,
 *   repeated), then `end`. A file without `end` was read while the shell was writing it.
 * - `IDENTITY.history`: the pane's own history, one NUL-terminated entry per command line
 *   (bash's entries are `fc -ln` lines: a tab and a space before, a newline after).
 *
 * A restored pane is created with `CONTINUUM_PANE_ID` (its saved identity) and
 * `CONTINUUM_RESTORE_FILE`: NUL-terminated `continuum-restore`, `1`, then `history-file PATH`
 * and `environment NAME VALUE` records, read as data by the snippet and deleted.
 */
export const supportedShells = ['bash', 'zsh', 'fish', 'pwsh'] as const;
export type SupportedShell = (typeof supportedShells)[number];

export function isSupportedShell(name: string): name is SupportedShell {
  return (supportedShells as readonly string[]).includes(name);
}

const snippets: Record<SupportedShell, string> = {
  bash: bashSnippet,
  zsh: zshSnippet,
  fish: fishSnippet,
  pwsh: pwshSnippet,
};

/** The code the user's rc file evaluates for this shell. */
export function shellSnippet(shell: SupportedShell): string {
  return snippets[shell];
}

/** The rc-file line for each shell, as the README and the usage error show it. */
export const rcFileLines: Record<SupportedShell, string> = {
  bash: 'eval "$(continuum shell-init bash)"',
  zsh: 'eval "$(continuum shell-init zsh)"',
  fish: 'continuum shell-init fish | source',
  pwsh: 'continuum shell-init pwsh | Invoke-Expression',
};
