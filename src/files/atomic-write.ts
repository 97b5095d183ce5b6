import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ContinuumError, errorCode, UnwritableError } from '../errors.js';
import { nonDirectoryOnPath } from './file-kind.js';
import { refuseKernelFileSystem } from './kernel-file-systems.js';
import { currentUser, type DirectoryStatus, privateDirectoryFaults } from './ownership.js';

/**
 * The name of every temporary file this writer makes: a leading dot keeps it out of `ls`, and the
 * writer's pid lets the next run tell a file of a killed writer from one being written right now
 * (see temporary-files.ts).
 */
export const temporaryFilePattern = /^\.continuum-tmp-(\d+)-[0-9a-f]{12}$/;

export function temporaryFileName(pid = process.pid): string {
  return `.continuum-tmp-${pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Creates a private directory (0700), tightening one that already exists but is group/world
 * readable. A symlinked directory is used as it is when the user owns the link and its target
 * (a save directory moved to another disk), but never chmod-ed: chmod follows the link, and the
 * target's mode is not ours to change.
 */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
  await refuseKernelFileSystem(directory);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    if (process.platform === 'win32') return;
    const info = await lstat(directory);
    if (info.isSymbolicLink()) {
      await checkSymlinkedDirectory(directory, info);
      return;
    }
    // O_NOFOLLOW|O_DIRECTORY: the mode is changed on the directory just checked, even if the name
    // was swapped for a symlink in between.
    const handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    try {
      if (privateDirectoryFaults(await handle.stat(), currentUser()).includes('open-to-others'))
        await handle.chmod(0o700);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UnwritableError) throw error;
    const code = errorCode(error);
    const obstacle =
      code === 'EEXIST' || code === 'ENOTDIR' ? await nonDirectoryOnPath(directory) : undefined;
    if (obstacle)
      throw new UnwritableError(directory, error, {
        reason: `${obstacle.path === directory ? 'it' : obstacle.path} is ${obstacle.kind}, not a directory`,
        hint: 'point --dir or @resurrect-dir at a directory (or at a path where one can be made)',
      });
    throw new UnwritableError(directory, error);
  }
}

/** A symlinked directory is used when the user owns both the link and its target; its mode is not ours. */
async function checkSymlinkedDirectory(directory: string, link: DirectoryStatus): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const target = await handle.stat();
    const user = currentUser();
    if ([link, target].some((status) => privateDirectoryFaults(status, user).includes('other-owner'))) {
      throw new UnwritableError(directory, undefined, {
        reason: 'it is a symbolic link to a directory you do not own',
        hint: 'use a directory of your own with --dir or @resurrect-dir',
      });
    }
  } finally {
    await handle.close();
  }
}

/**
 * Writes a whole file or nothing: a new temporary file in the same directory (O_EXCL, 0600), every
 * byte written and checked, fsync, rename over the destination, fsync of the directory so the
 * rename itself survives a power cut. A crash at any instant leaves either the old content or the
 * new, and a full disk leaves the old content and no temporary file.
 *
 * Our own writer, not write-file-atomic: that library resolves symlinks and writes to the link's
 * target (it overwrote tmux-resurrect's newest save through its `last` link), and it writes once
 * without checking the count, so on a nearly full disk the rename published a truncated save. The
 * destination must be absent or a regular file; a symlink or anything else is refused.
 */
export async function writeFileAtomically(path: string, content: string | Buffer): Promise<void> {
  const directory = dirname(path);
  const temporaryPath = join(directory, temporaryFileName());
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let handle: FileHandle | undefined;
  let created = false;
  try {
    await refuseUnsafeDestination(path);
    handle = await open(temporaryPath, 'wx', 0o600);
    created = true;
    // The umask may have removed bits from 0600, never added them; set it exactly.
    if (process.platform !== 'win32') await handle.chmod(0o600);
    await writeEveryByte(handle, bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    const written = await lstat(temporaryPath);
    if (!written.isFile() || written.size !== bytes.length) {
      throw new Error(`wrote ${written.size} of ${bytes.length} bytes`);
    }
    // Checked again right before the rename: a link made meanwhile is refused too.
    await refuseUnsafeDestination(path);
    await rename(temporaryPath, path);
    created = false;
    await fsyncDirectory(directory);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (created) await unlink(temporaryPath).catch(() => undefined);
    if (error instanceof ContinuumError) throw error;
    throw new UnwritableError(path, error);
  }
}

/** write(2) may write fewer bytes than asked (a nearly full disk does): loop until all are out. */
async function writeEveryByte(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error(`no space to write ${bytes.length - offset} more bytes`), {
        code: 'ENOSPC',
      });
    }
    offset += bytesWritten;
  }
}

async function refuseUnsafeDestination(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if (info.isFile()) return;
  const what = info.isSymbolicLink()
    ? 'a symbolic link, which continuum never writes through'
    : info.isDirectory()
      ? 'a directory'
      : 'not a regular file';
  throw new UnwritableError(path, undefined, {
    reason: `it is ${what}`,
    hint: 'move it out of the way, or choose another directory with --dir or @resurrect-dir',
  });
}

async function fsyncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the rename is then as durable as they allow.
    if (errorCode(error) !== 'EINVAL' && errorCode(error) !== 'EBADF') throw error;
  } finally {
    await handle.close();
  }
}
