import { homedir } from 'node:os';
import { isAbsolute, join, win32 } from 'node:path';
import { NoHomeError } from '../errors.js';

export interface PathEnvironment {
  readonly environment: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

/**
 * The environment of this process. The home directory is looked up only when a path needs it: a
 * uid with no passwd entry and no HOME (a container, `setpriv`, a unit with a bare environment)
 * still works wherever the XDG variables say where things go, and fails with one line where not.
 */
export function currentPathEnvironment(): PathEnvironment {
  let home: string | undefined;
  return {
    environment: process.env,
    platform: process.platform,
    get home(): string {
      home ??= homeDirectory(process.env);
      return home;
    },
  };
}

/** The home directory, or undefined when none is known: for places that are only looked in. */
export function optionalHome(paths: PathEnvironment): string | undefined {
  try {
    return paths.home;
  } catch (error) {
    if (error instanceof NoHomeError) return undefined;
    throw error;
  }
}

function homeDirectory(environment: NodeJS.ProcessEnv): string {
  if (environment.HOME) return environment.HOME;
  try {
    return homedir();
  } catch {
    throw new NoHomeError();
  }
}

function xdgDirectory(paths: PathEnvironment, variable: string, fallback: string[]): string {
  const value = paths.environment[variable];
  // The XDG spec says relative values are invalid and must be ignored.
  return value && isAbsolute(value) ? value : join(paths.home, ...fallback);
}

/**
 * `%LOCALAPPDATA%\continuum` (else `HOME\AppData\Local\continuum`), joined with Windows
 * separators whatever platform computes it, so the platform can be injected in tests.
 */
function windowsDataDirectory(paths: PathEnvironment): string {
  const local = paths.environment.LOCALAPPDATA || win32.join(paths.home, 'AppData', 'Local');
  return win32.join(local, 'continuum');
}

/** Where saves go when neither --dir nor @resurrect-dir says otherwise. */
export function defaultSaveDirectory(paths: PathEnvironment): string {
  if (paths.platform === 'win32') return win32.join(windowsDataDirectory(paths), 'saves');
  return join(xdgDirectory(paths, 'XDG_DATA_HOME', ['.local', 'share']), 'continuum', 'saves');
}

/**
 * Per-user state: the daemon's log and its runtime files. On Windows `%LOCALAPPDATA%\continuum`
 * itself, beside `saves`, where a psmux user looks for the log (issue 9).
 */
export function stateDirectory(paths: PathEnvironment): string {
  if (paths.platform === 'win32') return windowsDataDirectory(paths);
  return join(xdgDirectory(paths, 'XDG_STATE_HOME', ['.local', 'state']), 'continuum');
}

/**
 * Expands `~`, `$HOME`, `${HOME}` and other `$VAR`s in a directory given in tmux's config,
 * as tmux-resurrect does for @resurrect-dir.
 */
export function expandUserPath(text: string, paths: PathEnvironment): string {
  // `~\saves` is how a psmux user writes it (psmux-resurrect replaces a leading `~` too).
  const separator = paths.platform === 'win32' ? /^~(?=$|[\\/])/ : /^~(?=$|\/)/;
  const withHome = text.replace(separator, paths.home);
  return withHome.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (match, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      if (name === 'HOME') return paths.home;
      return paths.environment[name] ?? match;
    },
  );
}
