import type { Stats } from 'node:fs';
import { constants, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode } from '../errors.js';

/** Pure: what a path is, as a sentence fragment (`a FIFO (named pipe)`). */
export function describeFileKind(
  info: Pick<
    Stats,
    | 'isFile'
    | 'isDirectory'
    | 'isFIFO'
    | 'isCharacterDevice'
    | 'isBlockDevice'
    | 'isSocket'
    | 'isSymbolicLink'
  >,
): string {
  if (info.isFile()) return 'a file';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The nearest existing path at or above `directory` when it is not a directory (with what it is);
 * undefined when that is a directory, or nothing on the way can be looked at.
 */
export async function nonDirectoryOnPath(
  directory: string,
): Promise<{ readonly path: string; readonly kind: string } | undefined> {
  for (let path = directory; ; path = dirname(path)) {
    try {
      const info = await stat(path);
      return info.isDirectory() ? undefined : { path, kind: describeFileKind(info) };
    } catch (error) {
      const code = errorCode(error);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(path) === path) return undefined;
    }
  }
}

/** A path that names a FIFO, a device, a directory or a socket where a file was expected. */
export class NotRegularFileError extends Error {
  readonly path: string;
  readonly kind: string;
  constructor(path: string, kind: string) {
    super(`${path} is ${kind}, not a regular file`);
    this.name = 'NotRegularFileError';
    this.path = path;
    this.kind = kind;
  }
}

/**
 * Reads a whole regular file, and refuses anything else at once. A plain read of a FIFO waits for
 * a writer for ever, and of /dev/zero never ends: O_NONBLOCK makes the open of a FIFO return at
 * once (it does nothing to a regular file), O_NOCTTY keeps a terminal device from becoming ours,
 * and the kind is checked on the open descriptor, so the name cannot be swapped in between.
 */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotRegularFileError(path, describeFileKind(info));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
