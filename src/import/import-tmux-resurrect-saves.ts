import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { errorCode, SnapshotReadError } from '../errors.js';
import { NotRegularFileError, readRegularFile } from '../files/file-kind.js';
import type { SaveStore, WriteResult } from '../store/save-store.js';
import {
  convertTmuxResurrectSave,
  type TmuxResurrectImport,
  TmuxResurrectImportProblem,
  tmuxResurrectSaveTime,
} from './import-tmux-resurrect.js';
import { type TmuxResurrectSources, tmuxResurrectPathHint } from './tmux-resurrect-sources.js';

/** What happened to one save file, in order: a command prints each as it comes. */
export type TmuxResurrectImportEvent =
  /** The file could not be read: not imported. */
  | {
      readonly kind: 'unreadable';
      readonly file: string;
      readonly reason:
        | { readonly kind: 'not-a-regular-file'; readonly fileKind: string }
        | { readonly kind: 'read-error'; readonly code: string };
    }
  /** A renamed save: its name carries no time, so the file's modification time is used. */
  | { readonly kind: 'time-from-file'; readonly file: string; readonly savedAt: Date }
  /** The save holds no usable session: not imported. */
  | { readonly kind: 'rejected'; readonly file: string; readonly problem: TmuxResurrectImportProblem }
  /** Converted (its line problems and warnings with it); the end of a dry run. */
  | { readonly kind: 'converted'; readonly file: string; readonly converted: TmuxResurrectImport }
  /** Written to the store, or found there already (`outcome.result` 'unchanged'). */
  | {
      readonly kind: 'imported';
      readonly file: string;
      readonly converted: TmuxResurrectImport;
      readonly outcome: WriteResult;
    };

export interface TmuxResurrectImportTarget {
  /** The socket path of the server the saves are imported for. */
  readonly socketPath: string;
  /** The files of the contents archive, when it belongs to one of `sources.files`. */
  readonly paneContentFiles: ReadonlyMap<string, Uint8Array> | undefined;
  /** Where the saves go; undefined for a dry run, which converts and writes nothing. */
  readonly store: SaveStore | undefined;
}

/**
 * Imports tmux-resurrect saves: each becomes a save of the target server with its own time; a
 * malformed line is reported and skipped, a file with no usable session is reported and not
 * imported, and a save imported before is not written again. Nothing is deleted. Ends with a
 * `SnapshotReadError` when there was no save, or when any was not imported (after the others).
 */
export async function* importTmuxResurrectSaves(
  path: string,
  sources: TmuxResurrectSources,
  target: TmuxResurrectImportTarget,
): AsyncGenerator<TmuxResurrectImportEvent> {
  const failed: string[] = [];
  for (const file of sources.files) {
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(file);
    } catch (error) {
      const reason =
        error instanceof NotRegularFileError
          ? { kind: 'not-a-regular-file' as const, fileKind: error.kind }
          : { kind: 'read-error' as const, code: errorCode(error) ?? String(error) };
      yield { kind: 'unreadable', file, reason };
      failed.push(file);
      continue;
    }
    let savedAt = tmuxResurrectSaveTime(basename(file));
    if (!savedAt) {
      // A renamed save: its file's time is the best record of when it was written.
      savedAt = (await stat(file)).mtime;
      yield { kind: 'time-from-file', file, savedAt };
    }
    let converted: TmuxResurrectImport;
    try {
      converted = convertTmuxResurrectSave(bytes, {
        savedAt,
        socketPath: target.socketPath,
        ...(file === sources.contentsOwner && target.paneContentFiles
          ? { paneContentFiles: target.paneContentFiles }
          : {}),
      });
    } catch (error) {
      if (!(error instanceof TmuxResurrectImportProblem)) throw error;
      yield { kind: 'rejected', file, problem: error };
      failed.push(file);
      continue;
    }
    yield { kind: 'converted', file, converted };
    if (!target.store) continue;
    const outcome = await target.store.importSave(
      converted.snapshot,
      converted.contents.size > 0 ? converted.contents : undefined,
    );
    yield { kind: 'imported', file, converted, outcome };
  }
  if (sources.files.length === 0)
    throw new SnapshotReadError(path, 'holds no tmux_resurrect_*.txt save', { hint: tmuxResurrectPathHint });
  if (failed.length > 0)
    throw new SnapshotReadError(
      failed.length === 1 ? failed[0]! : path,
      failed.length === 1 ? 'not imported' : `${failed.length} of ${sources.files.length} saves not imported`,
      { hint: 'the lines above say why; the other saves were imported and nothing was deleted' },
    );
}
