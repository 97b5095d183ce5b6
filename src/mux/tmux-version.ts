import { UnsupportedMuxError } from '../errors.js';
import { muxVersionLine } from './mux-version.js';

/**
 * The oldest tmux continuum runs on. 3.0 lacks what init and the daemon rely on (docs/tmux-versions.md);
 * the matrix (scripts/test-matrix.sh) verifies 3.1c and every later version it names.
 */
export const oldestSupportedTmux = [3, 1] as const;

/**
 * Pure: the major and minor number of a tmux version as `-V` or `#{version}` give it (`tmux 3.3a`,
 * `3.2`, `next-3.4`, `openbsd-7.4`), or undefined for one without a number (`master`: a development
 * build, so newer than any release).
 */
export function tmuxVersionNumber(version: string): readonly [number, number] | undefined {
  const match = version.match(/(\d+)\.(\d+)/);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Pure: whether `version` is at least `major.minor`; a version without a number counts as newer. */
export function tmuxVersionAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const number = tmuxVersionNumber(version);
  if (!number) return true;
  return number[0] > major || (number[0] === major && number[1] >= minor);
}

/** `tmux -V` answers per binary and PATH; one question per process, whatever the number of clients. */
const checks = new Map<string, Promise<void>>();

/**
 * Rejects with {@link UnsupportedMuxError} when `binary -V` names a tmux older than 3.1. A binary
 * that is absent or says nothing passes: the command itself then reports what is wrong with it.
 */
export function ensureSupportedTmux(binary: string, environment: NodeJS.ProcessEnv): Promise<void> {
  const key = `${binary}\0${environment.PATH ?? ''}`;
  let check = checks.get(key);
  if (!check) {
    check = muxVersionLine(binary, environment).then((line) => {
      if (line === undefined || !/^tmux /.test(line)) return;
      if (!tmuxVersionAtLeast(line, oldestSupportedTmux))
        throw new UnsupportedMuxError(line, oldestSupportedTmux.join('.'));
    });
    checks.set(key, check);
  }
  return check;
}
