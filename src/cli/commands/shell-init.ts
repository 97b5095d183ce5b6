import { UsageError } from '../../errors.js';
import { isSupportedShell, rcFileLines, shellSnippet, supportedShells } from '../../shell/shell-snippets.js';

export interface ShellInitContext {
  readonly print: (text: string) => void;
}

/** Prints the snippet the user's rc file evaluates; it needs no tmux server to print it. */
export function runShellInit(context: ShellInitContext, shell: string): void {
  if (!isSupportedShell(shell)) {
    throw new UsageError(
      `unknown shell "${shell}": continuum supports ${supportedShells.join(', ')}`,
      `add the line for your shell to its rc file, e.g. ${rcFileLines.bash}`,
    );
  }
  context.print(shellSnippet(shell).replace(/\n$/, ''));
}
