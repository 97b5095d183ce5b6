import { join } from 'node:path';
import { UnwritableError } from '../errors.js';
import type { Snapshot } from '../snapshot/schema.js';
import { sameShellState, sameStructure } from '../snapshot/structure.js';
import { applyRetention } from './apply-retention.js';
import { type DeletedSave, deleteSaves } from './delete-saves.js';
import { paneContentsDigest } from './pane-contents-file.js';
import { paneHistoriesDigest } from './pane-histories-file.js';
import { publishSave } from './publish-save.js';
import { readSaveFile, readSnapshotFile } from './read-save-file.js';
import { resolveSave } from './resolve-save.js';
import type { RetentionPolicy } from './retention.js';
import { SaveListing } from './save-listing.js';
import type { SaveSelector } from './save-selector.js';
import { removeStaleTemporaryFiles } from './temporary-files.js';

export type { DeletedSave } from './delete-saves.js';
export { readSaveFile, readSnapshotFile } from './read-save-file.js';

export type WriteResult =
  | { readonly result: 'written'; readonly path: string; readonly deleted: readonly string[] }
  | { readonly result: 'unchanged'; readonly path: string };

export interface LoadedSave {
  readonly path: string;
  readonly snapshot: Snapshot;
  /** Parts of the save a restore works around (e.g. a layout tmux cannot parse), one line each. */
  readonly warnings: readonly string[];
}

/**
 * The save directory: timestamped snapshot files of one or more tmux servers. A store works for
 * one server (`server`): its newest save is the one `restore` uses, the one a new save is
 * compared with, and retention only ever deletes that server's saves. There is no pointer file:
 * tmux-resurrect's `last` may live in the same directory (`@resurrect-dir ~/.tmux/resurrect`),
 * and the newest name of the server is all a reader needs. Listing is `SaveListing`'s; choosing
 * (`resolve-save.ts`), writing (`publish-save.ts`), deleting (`delete-saves.ts`) and retention
 * (`apply-retention.ts`) each have their module.
 */
export class SaveStore extends SaveListing {
  /**
   * Loads a save: this server's newest when `selection` is undefined (or `last`, as before), a
   * number from `list` or the newest before a time (this server's saves only), else a file name
   * in the directory (with or without `.json`, or a prefix that names one save) or a path,
   * whichever server it came from. A string is read as a SAVE argument (`saveSelectorFor`).
   */
  async load(selection?: string | SaveSelector): Promise<LoadedSave> {
    const path = await this.resolve(selection);
    return { path, ...(await readSaveFile(path)) };
  }

  /** The path of the save `selection` names (see `load`); the file is not read. */
  resolve(selection?: string | SaveSelector): Promise<string> {
    return resolveSave(this, selection);
  }

  /**
   * Writes a snapshot unless its structure equals this server's newest save, then applies
   * retention. Crash safety: the save appears under its final name only once complete (atomic
   * rename), and the pane contents file (when given) is complete before the save that names it.
   */
  async write(
    snapshot: Snapshot,
    retention: RetentionPolicy,
    now: Date,
    paneContents?: ReadonlyMap<string, string>,
    paneHistories?: ReadonlyMap<string, readonly string[]>,
    /** False for a save made elsewhere (an import): it keeps its own time and gets no number. */
    numbered = true,
  ): Promise<WriteResult> {
    this.#refuseEmpty(snapshot);
    // First, even when nothing changed: leftovers of killed writers may be what fills the disk.
    await removeStaleTemporaryFiles(this.directory);
    const newest = await this.newestSaveName();
    const digest = paneContents ? paneContentsDigest(paneContents) : undefined;
    const histories = paneHistories && paneHistories.size > 0 ? paneHistories : undefined;
    const historiesDigest = histories ? paneHistoriesDigest(histories) : undefined;
    if (newest) {
      const previous = await readSnapshotFile(join(this.directory, newest)).catch(() => undefined);
      // New text on an unchanged layout is still worth a save when contents are kept.
      if (
        previous &&
        sameStructure(previous, snapshot) &&
        sameShellState(previous, snapshot) &&
        previous.paneContents?.digest === digest &&
        previous.paneHistories?.digest === historiesDigest
      ) {
        return { result: 'unchanged', path: join(this.directory, newest) };
      }
    }
    const path = await publishSave(
      this,
      snapshot,
      { paneContents, contentsDigest: digest, histories, historiesDigest },
      numbered,
    );
    const deleted = await applyRetention(this, retention, now);
    return { result: 'written', path, deleted };
  }

  /**
   * Writes a save made elsewhere (an import) under its own time, unless this server already has a
   * save of the same time and structure (the same file imported again). Unlike `write`, it is not
   * compared with the newest save only and applies no retention: an import adds and never deletes.
   */
  async importSave(snapshot: Snapshot, paneContents?: ReadonlyMap<string, string>): Promise<WriteResult> {
    this.#refuseEmpty(snapshot);
    const savedAt = new Date(snapshot.savedAt).getTime();
    const digest = paneContents && paneContents.size > 0 ? paneContentsDigest(paneContents) : undefined;
    for (const save of await this.listOwn()) {
      if (save.savedAt.getTime() !== savedAt) continue;
      const path = join(this.directory, save.fileName);
      const existing = await readSnapshotFile(path).catch(() => undefined);
      if (existing && sameStructure(existing, snapshot) && existing.paneContents?.digest === digest)
        return { result: 'unchanged', path };
    }
    const path = await publishSave(this, snapshot, { paneContents, contentsDigest: digest }, false);
    return { result: 'written', path, deleted: [] };
  }

  /** Deletes saves with their pane contents and histories files (see `deleteSaves`). */
  delete(
    selections: readonly (string | SaveSelector)[],
    options: { readonly force: boolean },
  ): Promise<DeletedSave[]> {
    return deleteSaves(this, selections, options);
  }

  #refuseEmpty(snapshot: Snapshot): void {
    if (snapshot.sessions.length === 0) {
      throw new UnwritableError(this.directory, new Error('refusing to write a save with no sessions'));
    }
  }
}
