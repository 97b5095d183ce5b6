import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestServer } from './tmux-server.js';

export type Shell = 'bash' | 'zsh' | 'fish';

export function installed(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const skipReason = (shell: Shell): string | false =>
  installed(shell) ? false : `${shell} is not installed (.ci/run installs it)`;

/** The command a pane runs: the shell with the snippet loaded the way its rc file would. */
export async function shellCommand(server: TestServer, shell: Shell): Promise<string> {
  const snippet = await server.cli('shell-init', shell);
  assert.equal(snippet.code, 0, snippet.stderr);
  const directory = join(server.root, 'rc');
  await mkdir(directory, { recursive: true });
  const snippetPath = join(directory, `snippet.${shell}`);
  await writeFile(snippetPath, snippet.stdout);
  if (shell === 'bash') {
    await writeFile(
      join(directory, 'bashrc'),
      `PS1='$ '\nHISTFILE=$HOME/.bash_history\nsource ${snippetPath}\n`,
    );
    return `bash --noprofile --rcfile ${join(directory, 'bashrc')} -i`;
  }
  if (shell === 'zsh') {
    await writeFile(
      join(directory, '.zshrc'),
      // zsh's line editor turns typed multibyte text into `?` in a locale that is not UTF-8 (a
      // developer's LC_ALL=C): the locale of the shell a test types into is the test's, not the
      // developer's. continuum itself still runs in the developer's locale.
      `PS1='$ '\nexport LC_ALL=C.UTF-8\nHISTFILE=$HOME/.zsh_history\nHISTSIZE=1000\nSAVEHIST=1000\nsource ${snippetPath}\n`,
    );
    return `ZDOTDIR=${directory} zsh -i`;
  }
  // --no-config also turns history off (fish_history ''): a user's fish keeps it on.
  return `fish --no-config -i -C 'set -e fish_history; function fish_prompt; echo -n "\\$ "; end; source ${snippetPath}'`;
}

/**
 * A fresh server whose panes run `command` (default-command, set before the session exists):
 * `work` when `session` is true, else only the server's own `bootstrap` session, for a restore.
 */
export async function startWithShell(server: TestServer, command: string, session = true): Promise<void> {
  await server.start('bootstrap');
  await server.tmux('set-option', '-g', 'default-command', command);
  if (!session) return;
  await server.tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40');
  await server.tmux('kill-session', '-t', '=bootstrap');
}
