import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { errorCode, UnwritableError } from '../errors.js';

/** Creates a private directory (0700), tightening one that already exists but is group/world readable. */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const info = await stat(directory);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(directory, 0o700);
  } catch (error) {
    throw new UnwritableError(directory, error);
  }
}

/**
 * Writes a whole file or nothing: temp file, fsync, rename (write-file-atomic), then fsync of the
 * directory so the rename itself survives a power cut. A crash at any instant leaves either the
 * old content or the new, never a truncated file.
 */
export async function writeFileAtomically(path: string, content: string | Buffer): Promise<void> {
  try {
    await writeFileAtomic(path, content, { mode: 0o600, fsync: true });
    await fsyncDirectory(dirname(path));
  } catch (error) {
    if (error instanceof UnwritableError) throw error;
    throw new UnwritableError(path, error);
  }
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
