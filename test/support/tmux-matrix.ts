import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from './tmux-server.js';

/**
 * The version matrix's binaries (scripts/tmux-matrix.sh builds them), for tests that save on one
 * tmux and restore on another.
 */
const cache = process.env.CONTINUUM_TMUX_CACHE || join(homedir(), '.cache', 'continuum', 'tmux-matrix');
const binDirectory = (version: string): string => join(cache, version, 'bin');

/** Why the test cannot run (the versions not built, and where they were looked for), or false. */
export async function missingMatrixVersions(versions: readonly string[]): Promise<string | false> {
  const missing: string[] = [];
  for (const version of versions) {
    try {
      await access(join(binDirectory(version), 'tmux'), constants.X_OK);
    } catch {
      missing.push(version);
    }
  }
  return missing.length === 0
    ? false
    : `tmux ${missing.join(', ')} not built in ${cache} (scripts/tmux-matrix.sh builds it)`;
}

/** The path of `version`'s binary in the cache (check it with {@link missingMatrixVersions} first). */
export function matrixBinary(version: string): string {
  return join(binDirectory(version), 'tmux');
}

/** Runs `server`'s tmux, and the CLI's, from `version`'s binary. */
export function useMatrixVersion(server: TestServer, version: string): void {
  server.environment.PATH = `${binDirectory(version)}:${process.env.PATH ?? ''}`;
}
