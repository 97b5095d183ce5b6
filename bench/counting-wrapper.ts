import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * A fixed script, not built from any data: the counter file and the real tmux come from the
 * environment, and every argument is passed through untouched with "$@".
 */
const wrapperText = `#!/bin/sh
# Counts tmux client invocations for the continuum benchmark, then runs the real tmux.
printf '%s\\n' "$#" >> "$CONTINUUM_BENCH_COUNTER"
exec "$CONTINUUM_BENCH_TMUX" "$@"
`;

/** Writes the wrapper into `directory` and returns its path, for `continuum --mux PATH`. */
export async function writeCountingWrapper(directory: string): Promise<string> {
  const path = join(directory, 'tmux-counting');
  await writeFile(path, wrapperText, { mode: 0o700 });
  return path;
}

/** The environment variables the wrapper reads: where to count, and which tmux to run. */
export function countingEnvironment(counterFile: string, realTmux: string): NodeJS.ProcessEnv {
  return { CONTINUUM_BENCH_COUNTER: counterFile, CONTINUUM_BENCH_TMUX: realTmux };
}

/** How many invocations the wrapper counted in `counterFile` (0 when it never ran). */
export async function countInvocations(counterFile: string): Promise<number> {
  try {
    return (await readFile(counterFile, 'utf8')).split('\n').filter((line) => line !== '').length;
  } catch {
    return 0;
  }
}

/** The absolute path of `program` on $PATH, as the shell would find it. */
export async function findOnPath(
  program: string,
  path = process.env.PATH ?? '',
): Promise<string | undefined> {
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, program);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; try the next one.
    }
  }
  return undefined;
}
