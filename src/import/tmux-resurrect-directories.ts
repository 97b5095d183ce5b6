import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expandUserPath, optionalHome, type PathEnvironment } from '../platform/paths.js';
import { quoteForShell } from '../shell-quote.js';
import { tmuxResurrectSaveFilePattern } from './tmux-resurrect-file-names.js';

/**
 * Where tmux-resurrect keeps its saves (scripts/helpers.sh): `@resurrect-dir` when set, else
 * `~/.tmux/resurrect` when that exists, else `${XDG_DATA_HOME:-~/.local/share}/tmux/resurrect`.
 * All three are looked at: a user who moved from one to the other may have saves in both.
 */
export function tmuxResurrectDirectories(paths: PathEnvironment, resurrectDir: string | undefined): string[] {
  // Only looked in: without a home directory, the places under it are left out.
  const home = optionalHome(paths);
  const dataHome = paths.environment.XDG_DATA_HOME?.startsWith('/')
    ? paths.environment.XDG_DATA_HOME
    : home === undefined
      ? undefined
      : join(home, '.local', 'share');
  const candidates = [
    ...(resurrectDir && resurrectDir.trim() !== ''
      ? [resolve(expandUserPath(resurrectDir.trim(), paths))]
      : []),
    ...(home === undefined ? [] : [join(home, '.tmux', 'resurrect')]),
    ...(dataHome === undefined ? [] : [join(dataHome, 'tmux', 'resurrect')]),
  ];
  return [...new Set(candidates)];
}

/** The first of `directories` that holds a tmux-resurrect save; undefined when none can be read. */
export async function findTmuxResurrectSaveDirectory(
  directories: readonly string[],
): Promise<string | undefined> {
  for (const directory of directories) {
    const names = await readdir(directory).catch(() => [] as string[]);
    if (names.some((name) => tmuxResurrectSaveFilePattern.test(name))) return directory;
  }
  return undefined;
}

/** The one line that tells a tmux-resurrect user how to bring their saves along. */
export function tmuxResurrectImportHint(directory: string): string {
  return `tmux-resurrect saves are in ${directory}: bring them along with \`continuum import ${quoteForShell(directory)}\``;
}
