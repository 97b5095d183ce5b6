import { splitProcessList } from '../process-list.js';

/**
 * Shells, by executable name: a pane whose reported command is one of these runs no program.
 * psmux reports the pane's shell (`pwsh`) when nothing else runs in it.
 */
const shellNames = new Set([
  'pwsh',
  'powershell',
  'cmd',
  'sh',
  'bash',
  'zsh',
  'fish',
  'nu',
  'wsl',
  'conhost',
]);

/** `C:\tools\nvim.exe` → `nvim`: the name the allowlist is written with. */
function programName(executable: string): string {
  return (executable.split(/[\\/]/).pop() ?? executable).replace(/\.(exe|cmd|bat|com)$/i, '');
}

/**
 * Pure: the program of a pane from what the multiplexer reports, for a multiplexer whose panes'
 * processes cannot be read (psmux on Windows). `pane_start_command` (the command the pane was
 * created with) is split into words as `@resurrect-processes` entries are, quotes kept together;
 * otherwise the executable name of `pane_current_command`, without arguments: psmux knows no more
 * (docs/psmux.md). A shell, or nothing, is no program.
 */
export function reportedProgram(startCommand: string, currentCommand: string): readonly string[] | null {
  const started = splitProcessList(startCommand);
  const argv = started.length > 0 ? started : currentCommand.trim() === '' ? [] : [currentCommand.trim()];
  const [first, ...rest] = argv;
  if (first === undefined) return null;
  const name = programName(first);
  if (shellNames.has(name.toLowerCase())) return null;
  return [name, ...rest];
}
