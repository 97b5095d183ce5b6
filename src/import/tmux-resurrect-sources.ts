import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorCode, SnapshotReadError } from '../errors.js';
import { readRegularFile } from '../files/file-kind.js';
import { tmuxResurrectSaveFilePattern } from './tmux-resurrect-file-names.js';

const archiveName = 'pane_contents.tar.gz';

/** What to tell a user whose PATH holds no tmux-resurrect save. */
export const tmuxResurrectPathHint = 'pass a tmux-resurrect save or its directory (e.g. ~/.tmux/resurrect)';

/** The tmux-resurrect saves a PATH means, oldest first, and the one the contents archive belongs to. */
export interface TmuxResurrectSources {
  readonly files: readonly string[];
  /** The save `pane_contents.tar.gz` was written with: `last`'s target, else the newest. */
  readonly contentsOwner: string | undefined;
  readonly archive: string | undefined;
}

/**
 * Whether PATH is tmux-resurrect's: a `tmux_resurrect_*.txt`, its `last` symlink, a directory
 * holding such saves, or a file whose first line starts as save.sh's lines do (a renamed save).
 */
export async function isTmuxResurrectPath(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  // A missing save of tmux-resurrect's name is reported as one, with tmux-resurrect's hint.
  if (!info) return tmuxResurrectSaveFilePattern.test(basename(path));
  if (info.isSymbolicLink()) return basename(path) === 'last' && /\.txt$/.test(await readlink(path));
  if (info.isDirectory()) {
    const names = await readdir(path).catch(() => [] as string[]);
    return names.some((name) => tmuxResurrectSaveFilePattern.test(name));
  }
  if (tmuxResurrectSaveFilePattern.test(basename(path))) return true;
  const head = (await readRegularFile(path).catch(() => Buffer.alloc(0))).subarray(0, 32).toString('utf8');
  return /^(pane|window|state|grouped_session)\t/.test(head);
}

/** The saves PATH means; a PATH that cannot be read is a `SnapshotReadError` naming it. */
export async function findTmuxResurrectSaves(path: string): Promise<TmuxResurrectSources> {
  return findSources(path).catch((error: unknown) => {
    const code = errorCode(error);
    if (code === undefined) throw error;
    throw new SnapshotReadError(
      path,
      code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code})`,
      { hint: tmuxResurrectPathHint, cause: error },
    );
  });
}

async function findSources(path: string): Promise<TmuxResurrectSources> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((name) => tmuxResurrectSaveFilePattern.test(name)).sort();
    // `last` is a symlink to the newest save; it is not a save of its own.
    const last = await readlink(join(path, 'last')).catch(() => undefined);
    const owner = last !== undefined && names.includes(basename(last)) ? basename(last) : names.at(-1);
    return {
      files: names.map((name) => join(path, name)),
      contentsOwner: owner === undefined ? undefined : join(path, owner),
      archive: join(path, archiveName),
    };
  }
  const real = (await lstat(path)).isSymbolicLink() ? resolve(dirname(path), await readlink(path)) : path;
  const directory = dirname(real);
  const last = await readlink(join(directory, 'last')).catch(() => undefined);
  const newest = (await readdir(directory).catch(() => [] as string[]))
    .filter((name) => tmuxResurrectSaveFilePattern.test(name))
    .sort()
    .at(-1);
  const owner = last === undefined ? newest : basename(last);
  return {
    files: [real],
    contentsOwner: owner === undefined ? undefined : join(directory, owner),
    archive: join(directory, archiveName),
  };
}
