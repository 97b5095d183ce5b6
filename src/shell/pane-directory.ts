import { dirname, join } from 'node:path';
import { errorCode } from '../errors.js';
import { privateDirectoryProblem } from '../files/ownership.js';
import type { PathEnvironment } from '../platform/paths.js';

/**
 * Where the shell snippets keep each pane's record and history, and where a restore leaves the
 * files a restored pane reads: the user's runtime directory (private, cleared at logout), or the
 * state directory where there is none. The snippets compute the same path with shell builtins.
 */
export function paneRecordsDirectory(paths: PathEnvironment): string {
  const environment = paths.environment;
  const base =
    environment.XDG_RUNTIME_DIR ||
    environment.XDG_STATE_HOME ||
    (paths.platform === 'win32' && environment.LOCALAPPDATA) ||
    join(paths.home, '.local', 'state');
  return join(base, 'continuum', 'panes');
}

/**
 * Why the pane directory (or its parent, `continuum`) is not the user's private one, or undefined
 * when it is, or does not exist yet. Another user who made either first could plant records (a
 * VIRTUAL_ENV of theirs for a restore to activate), read every history, or swap the directory.
 */
export async function paneDirectoryProblem(directory: string): Promise<string | undefined> {
  for (const path of [dirname(directory), directory]) {
    try {
      const problem = await privateDirectoryProblem(path);
      if (problem) return problem;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') return `${path} cannot be checked (${errorCode(error) ?? error})`;
    }
  }
  return undefined;
}
