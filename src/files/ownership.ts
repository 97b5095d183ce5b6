import { lstat, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Whose files continuum trusts (docs/security.md): its own runtime and pane directories only when
 * they are the user's, 0700 and no symlink; a file it would have a shell source only when the file
 * and every directory above it belong to the user or root and no one else can change them.
 */

/** The uid files must belong to; undefined where there are no uids (Windows). */
export function currentUser(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** One way a directory falls short of the user's private one. */
export type PrivateDirectoryFault = 'symbolic-link' | 'not-directory' | 'other-owner' | 'open-to-others';

/** What {@link privateDirectoryFaults} reads of an `lstat` (or of an open directory's `stat`). */
export interface DirectoryStatus {
  readonly uid: number;
  readonly mode: number;
  isSymbolicLink(): boolean;
  isDirectory(): boolean;
}

/**
 * The one rule of a private directory: not a symbolic link, a directory, owned by `user`, with no
 * group or other permission bits (`user` is {@link currentUser} but for tests). Every fault found, in that order; none when it is private. The
 * owner is not checked without a `user` (Windows). Each caller decides what a fault means for it:
 * a refusal with its own message, a chmod to 0700, or just "not private".
 */
export function privateDirectoryFaults(
  info: DirectoryStatus,
  user: number | undefined,
): PrivateDirectoryFault[] {
  const faults: PrivateDirectoryFault[] = [];
  if (info.isSymbolicLink()) faults.push('symbolic-link');
  if (!info.isDirectory()) faults.push('not-directory');
  if (user !== undefined && info.uid !== user) faults.push('other-owner');
  if ((info.mode & 0o077) !== 0) faults.push('open-to-others');
  return faults;
}

/** Why a directory is not the user's private one (0700, theirs, no symlink), or undefined when it is. */
export async function privateDirectoryProblem(directory: string): Promise<string | undefined> {
  const user = currentUser();
  if (user === undefined) return undefined;
  const info = await lstat(directory);
  switch (privateDirectoryFaults(info, user)[0]) {
    case 'symbolic-link':
      return `${directory} is a symbolic link`;
    case 'not-directory':
      return `${directory} is not a directory`;
    case 'other-owner':
      return `${directory} belongs to another user (uid ${info.uid})`;
    case 'open-to-others':
      return `${directory} is open to other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`;
    case undefined:
      return undefined;
  }
}

/** A file of the user's own that nobody else can read or write: what the pane records must be. */
export function isPrivateFileOfUser(info: { uid: number; mode: number }): boolean {
  const user = currentUser();
  return user === undefined || (info.uid === user && (info.mode & 0o077) === 0);
}

/**
 * Why a shell must not source `path`, or undefined when it may: the file as named and where it
 * leads must be regular, belong to the user or root and be writable by nobody else, and so must
 * every directory above them (a sticky directory such as /tmp is fine: nobody can replace an entry
 * of ours in it). Checks the named path too, so a link that another user could point elsewhere
 * after the check is refused.
 */
export async function sourcingProblem(path: string): Promise<string | undefined> {
  const user = currentUser();
  if (user === undefined) return undefined;
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return `${path} does not exist`;
  }
  for (const start of new Set([resolve(path), real])) {
    let current = start;
    for (let depth = 0; ; depth += 1) {
      const info = await lstat(current);
      if (info.uid !== user && info.uid !== 0) return `${current} belongs to another user (uid ${info.uid})`;
      const othersWrite = (info.mode & 0o022) !== 0;
      if (depth === 0 && !info.isSymbolicLink()) {
        if (!info.isFile()) return `${current} is not a regular file`;
        if (othersWrite) return `${current} can be changed by other users`;
      } else if (!info.isSymbolicLink() && othersWrite && (info.mode & 0o1000) === 0) {
        return `${current} can be changed by other users`;
      }
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  return undefined;
}
