import { SnapshotReadError } from '../errors.js';
import type { RetentionPolicy } from '../store/retention.js';
import type { SaveStore, WriteResult } from '../store/save-store.js';
import { convertPsmuxSave, type PsmuxImport, PsmuxImportProblem } from './import-psmux.js';
import { findPsmuxSave, type PsmuxSaveSource, PsmuxSourceProblem } from './psmux-save-files.js';

/** An import adds a save and removes none: the next ordinary save applies the user's retention. */
const keepEverything: RetentionPolicy = {
  maximumAgeDays: Number.POSITIVE_INFINITY,
  maximumCount: Number.POSITIVE_INFINITY,
  maximumBytes: Number.POSITIVE_INFINITY,
};

const importHint =
  'the file was left as it is; pass another psmux_resurrect_*.json (or the directory holding them)';

/**
 * Finds and converts the psmux-resurrect save PATH means (a save, its `last` file, or their
 * directory). A file that cannot be found, read or converted is a `SnapshotReadError` naming it
 * (and the field), and is left as it is.
 */
export async function readPsmuxImport(
  path: string,
): Promise<{ readonly source: PsmuxSaveSource; readonly converted: PsmuxImport }> {
  let source: PsmuxSaveSource;
  try {
    source = await findPsmuxSave(path);
  } catch (error) {
    if (error instanceof PsmuxSourceProblem)
      throw new SnapshotReadError(error.path, error.message, { hint: importHint, cause: error });
    throw error;
  }
  try {
    return { source, converted: convertPsmuxSave(source.bytes) };
  } catch (error) {
    if (error instanceof PsmuxImportProblem)
      throw new SnapshotReadError(source.path, error.message, {
        ...(error.field ? { field: error.field } : {}),
        hint: importHint,
        cause: error,
      });
    throw error;
  }
}

/**
 * Writes a converted psmux save to `store` unless its newest save holds the same, under the save's
 * own time and without a sequence number, as a tmux-resurrect import: an old save brought along
 * does not become newer than what the directory already holds (docs/daemon.md). Deletes nothing.
 */
export function writePsmuxImport(store: SaveStore, converted: PsmuxImport, now: Date): Promise<WriteResult> {
  const contents = converted.contents.size > 0 ? converted.contents : undefined;
  return store.write(converted.snapshot, keepEverything, now, contents, undefined, false);
}
