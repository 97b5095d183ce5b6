import { join } from 'node:path';
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
