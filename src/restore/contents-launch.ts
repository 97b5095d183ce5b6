import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../errors.js';
import { ensurePrivateDirectory } from '../files/atomic-write.js';
import { keepOnlyColourSequences } from '../snapshot/terminal-text.js';
import type { PaneLaunch } from './actions.js';

/**
 * The command a restored pane starts with to show its saved text, or run its saved program, and
 * then become the shell a new pane would have had. tmux runs it directly (several arguments), so
 * the user's `default-shell` never parses it (fish, nu and `&&` in `default-command` broke
 * tmux-resurrect's string). The pane deletes its own copy of the text right after printing it, so
 * no slow shell can find it already gone. A program comes as the arguments after the first three
 * and runs from them as they are, with no shell reading them (see program-restore.ts); ^C stops
 * it, not this script (a trap set to a command is reset in the child). Then it runs exactly what
 * tmux runs: `default-shell -c default-command`, or `default-shell` as a login shell when
 * `default-command` is empty.
 */
const launchScript = [
  `if [ -n "$1" ]; then cat -- "$1" 2>/dev/null; rm -f -- "$1"; printf '\\033[0m'; fi`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: sh parameter expansion, not a template.
  'shell=${2:-${SHELL:-/bin/sh}}',
  'command=$3',
  'shift 3',
  'if [ "$#" -gt 0 ]; then trap : INT QUIT; "$@"; trap - INT QUIT; fi',
  'if [ -n "$command" ]; then exec "$shell" -c "$command"; fi',
  'exec "$shell" -l',
].join('; ');

/** `file` empty: no text to show; `program` empty: no program to run. */
export function contentsLaunchCommand(
  file: string,
  defaultShell: string,
  defaultCommand: string,
  program: readonly string[] = [],
): string[] {
  return ['/bin/sh', '-c', launchScript, 'continuum-launch', file, defaultShell, defaultCommand, ...program];
}

/** A pane that starts its saved program from the argv, then its shell (no saved text to show). */
export function programLaunch(
  program: readonly string[],
  shell: { readonly defaultShell: string; readonly defaultCommand: string },
): PaneLaunch {
  return {
    description: `starting ${JSON.stringify(program[0])} from its saved arguments, not typed`,
    command: contentsLaunchCommand('', shell.defaultShell, shell.defaultCommand, program),
  };
}

/** Copies left by panes that were never created (a failed restore) go after a day. */
const staleAfterMilliseconds = 24 * 60 * 60 * 1000;

/**
 * Private copies of pane contents for one restore: written only for the panes the plan creates,
 * in a 0700 directory, 0600 each, with every terminal control but colours removed.
 */
export class PaneContentsCopies {
  readonly directory: string;
  readonly #prefix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  readonly #pending = new Map<string, string>();
  readonly #contents: ReadonlyMap<string, string>;
  readonly #defaultShell: string;
  readonly #defaultCommand: string;

  constructor(
    directory: string,
    contents: ReadonlyMap<string, string>,
    shell: { defaultShell: string; defaultCommand: string },
  ) {
    this.directory = directory;
    this.#contents = contents;
    this.#defaultShell = shell.defaultShell;
    this.#defaultCommand = shell.defaultCommand;
  }

  /**
   * The launch for a saved pane with contents (the plan asks for each pane it creates), running
   * `program` after the text when there is one to start from its argv.
   */
  launchFor(paneId: string, program: readonly string[] = []): PaneLaunch | undefined {
    const saved = this.#contents.get(paneId);
    if (saved === undefined) return undefined;
    // The pane prints this raw into the terminal, and the contents file may have been edited:
    // only colours pass, never a sequence that sets the clipboard, a title or anything else.
    const text = keepOnlyColourSequences(saved);
    if (text === '') return undefined;
    const file = join(this.directory, `${this.#prefix}-${this.#pending.size}.txt`);
    this.#pending.set(file, text);
    const lines = text.split('\n').length - 1;
    return {
      description: `showing its ${lines} saved line(s) first${program.length > 0 ? `, then starting ${JSON.stringify(program[0])} from its saved arguments` : ''}`,
      command: contentsLaunchCommand(file, this.#defaultShell, this.#defaultCommand, program),
    };
  }

  /**
   * Writes the copies the launches name. Not atomic on purpose: each is read once, moments later,
   * by the pane that deletes it, and the save itself still holds the text.
   */
  async write(): Promise<void> {
    if (this.#pending.size === 0) return;
    await ensurePrivateDirectory(this.directory);
    await removeStaleCopies(this.directory);
    for (const [file, text] of this.#pending) await writeFile(file, text, { mode: 0o600, flag: 'wx' });
  }
}

async function removeStaleCopies(directory: string): Promise<void> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    const path = join(directory, name);
    try {
      if (now - (await stat(path)).mtimeMs > staleAfterMilliseconds) await unlink(path);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
}
