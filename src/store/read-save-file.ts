import { basename, dirname } from 'node:path';
import { errorCode, NoSaveError, SnapshotReadError } from '../errors.js';
import { NotRegularFileError, readRegularFile } from '../files/file-kind.js';
import { type Snapshot, validateSnapshot } from '../snapshot/schema.js';

/** Reads and validates one save file, naming exactly what is wrong with a bad one. */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  return (await readSaveFile(path)).snapshot;
}

/** readSnapshotFile, with the warnings about the parts of the save a restore works around. */
export async function readSaveFile(
  path: string,
): Promise<{ readonly snapshot: Snapshot; readonly warnings: readonly string[] }> {
  let text: string;
  try {
    text = (await readRegularFile(path)).toString('utf8');
  } catch (error) {
    // A path that names nothing is "no save found" (5), not an unusable save (6).
    if (errorCode(error) === 'ENOENT')
      throw new NoSaveError(dirname(path), `no save file ${basename(path)}`, 'see `continuum list`');
    if (error instanceof NotRegularFileError)
      throw new SnapshotReadError(path, `is ${error.kind}, not a save file`, { cause: error });
    throw new SnapshotReadError(path, `cannot be read (${errorCode(error) ?? String(error)})`, {
      cause: error,
    });
  }
  if (text.trim() === '') throw new SnapshotReadError(path, 'file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotReadError(path, 'is truncated or not JSON', { cause: error });
  }
  const validation = validateSnapshot(value);
  if (!validation.ok) {
    const future = validation.field === 'version' && validation.problem.startsWith('made by a newer');
    throw new SnapshotReadError(path, validation.problem, {
      ...(validation.field === undefined ? {} : { field: validation.field }),
      ...(future ? { hint: 'upgrade continuum (see Install in its README) to read it' } : {}),
    });
  }
  if (validation.snapshot.sessions.length === 0) throw new SnapshotReadError(path, 'holds no sessions');
  return { snapshot: validation.snapshot, warnings: validation.warnings };
}
