import { lstat, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Whose files continuum trusts (docs/security.md): its own runtime and pane directories only when
 * they are the user's, 0700 and no symlink; a file it would have a shell source only when the file
 * and every directory above it belong to the user or root and no one else can change them.
 */

function currentUser(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Why a directory is not the user's private one (0700, theirs, no symlink), or undefined when it is. */
export async function privateDirectoryProblem(directory: string): Promise<string | undefined> {
  const user = currentUser();
  if (user === undefined) return undefined;
  const info = await lstat(directory);
  if (info.isSymbolicLink()) return `${directory} is a symbolic link`;
  if (!info.isDirectory()) return `${directory} is not a directory`;
  if (info.uid !== user) return `${directory} belongs to another user (uid ${info.uid})`;
  if ((info.mode & 0o077) !== 0)
    return `${directory} is open to other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
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
