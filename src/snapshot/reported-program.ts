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
  // psmux's answer when it cannot read the pane's process (off Windows, always): format.rs.
  'shell',
]);

/** `C:\tools\nvim.exe` → `nvim`: the name the allowlist is written with. */
function programName(executable: string): string {
  return (executable.split(/[\\/]/).pop() ?? executable).replace(/\.(exe|cmd|bat|com)$/i, '');
}

/**
 * Pure: the program of a pane from what psmux reports (Windows: no terminal foreground process to
 * read). `pane_current_command` is the deepest foreground process's name, or the whole command
 * line when the shell reported it (OSC 633;E or 133;C, `WEZTERM_PROG`): its words are the program
 * and its arguments (docs/psmux.md, "pane_current_command"). `pane_start_command` is no witness of
 * the program: psmux 3.3.8 answers the default shell for every pane (psmux #580). It adds the
 * arguments only when it starts the very program the pane reports by name alone. A shell, or
 * nothing, is no program.
 */
export function reportedProgram(startCommand: string, currentCommand: string): readonly string[] | null {
  const current = splitProcessList(currentCommand);
  const [first, ...programArguments] = current;
  if (first === undefined) return null;
  const name = programName(first);
  if (shellNames.has(name.toLowerCase())) return null;
  if (programArguments.length > 0) return [name, ...programArguments];
  const [startedFirst, ...startedArguments] = splitProcessList(startCommand);
  if (startedFirst !== undefined && programName(startedFirst).toLowerCase() === name.toLowerCase())
    return [name, ...startedArguments];
  return [name];
}
