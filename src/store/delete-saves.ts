import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  ContinuumError,
  describeWriteFailure,
  errorCode,
  exitCodes,
  NoSaveError,
  UnwritableError,
  UsageError,
} from '../errors.js';
import { describeFileKind } from '../files/file-kind.js';
import { localTime } from '../human-text.js';
import { parseLifetimeText } from '../server/server-lifetime.js';
import { resolveSave } from './resolve-save.js';
import { companionFileNamesFor, removeIfPresent } from './save-companions.js';
import { parseSaveFileName, type SaveFileName } from './save-files.js';
import type { SaveListing } from './save-listing.js';
import type { SaveSelector } from './save-selector.js';

/** A save `SaveStore.delete` removed. */
export interface DeletedSave {
  readonly fileName: string;
  /** Its pane contents file was there and went with it. */
  readonly withContents: boolean;
}

/**
 * Deletes saves with their pane contents files. Every selection is resolved before anything is
 * deleted (the numbers of `list` shift once a save is gone), and nothing is deleted when one of
 * them is refused: a file that is not a save in this directory (another tool's, a link, a path
 * elsewhere), or without `force` the newest save of an earlier server lifetime, which is what
 * brings back the sessions from before a restart (retention keeps it for the same reason).
 */
export async function deleteSaves(
  listing: SaveListing,
  selections: readonly (string | SaveSelector)[],
  options: { readonly force: boolean },
): Promise<DeletedSave[]> {
  const chosen = await chooseSavesToDelete(listing, selections);
  if (!options.force) {
    for (const save of chosen.values()) {
      const lifetimeStart = await newestOfEarlierLifetime(listing, save);
      if (lifetimeStart !== undefined)
        throw new ContinuumError(
          `${basename(save.fileName, '.json')} is the newest save of the server that started ${localTime(lifetimeStart)}: what brings back its sessions after a restart; nothing was deleted`,
          { exitCode: exitCodes.failure, hint: 'add --force to delete it all the same' },
        );
    }
  }
  const deleted: DeletedSave[] = [];
  // A read-only or immutable directory (or file) refuses the unlink: one line saying so and what
  // was deleted before it, not an "unexpected error" stack.
  const remove = (name: string): Promise<boolean> =>
    removeIfPresent(join(listing.directory, name)).catch((error: unknown) => {
      const before = deleted.map((save) => basename(save.fileName, '.json'));
      const failure = describeWriteFailure(error);
      throw new UnwritableError(listing.directory, error, {
        reason: `${name} cannot be deleted${failure.problem}; ${before.length === 0 ? 'nothing was deleted' : `deleted before it: ${before.join(', ')}`}`,
        hint: failure.hint,
      });
    });
  for (const fileName of chosen.keys()) {
    await remove(fileName);
    // After the save: contents without their save are removed by the next save's clean-up anyway.
    // The pane histories the shell integration kept with this save go with it too.
    const [contents, histories] = companionFileNamesFor(fileName);
    const withContents = await remove(contents);
    await remove(histories);
    deleted.push({ fileName, withContents });
  }
  return deleted;
}

/** Every selection resolved to a save file of this directory, by name; refuses anything else. */
async function chooseSavesToDelete(
  listing: SaveListing,
  selections: readonly (string | SaveSelector)[],
): Promise<Map<string, SaveFileName>> {
  const directory = await realDirectory(listing.directory);
  const chosen = new Map<string, SaveFileName>();
  for (const selection of selections) {
    const path = await resolveSave(listing, selection);
    const fileName = basename(path);
    const parsed = parseSaveFileName(fileName);
    if (!parsed || (await realDirectory(dirname(path))) !== directory) {
      throw new UsageError(
        `${path} is not a continuum save in ${listing.directory}`,
        'delete removes only the saves `continuum list` shows (give a number or a name from it)',
      );
    }
    const info = await lstat(path).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT')
        throw new NoSaveError(listing.directory, `no save file ${fileName}`, 'see `continuum list`');
      throw error;
    });
    if (!info.isFile())
      throw new UsageError(
        `${path} is ${describeFileKind(info)}, not a regular file: not a save continuum wrote`,
        'remove it yourself if it should go',
      );
    chosen.set(fileName, parsed);
  }
  return chosen;
}

/**
 * When `save` is the newest save of a server lifetime older than its server's newest save's,
 * the start of that lifetime; else undefined.
 */
async function newestOfEarlierLifetime(listing: SaveListing, save: SaveFileName): Promise<Date | undefined> {
  const owner = await listing.ownerTag(save);
  const saves: SaveFileName[] = [];
  for (const candidate of await listing.list())
    if ((await listing.ownerTag(candidate)) === owner) saves.push(candidate);
  if (saves[0]?.serverLifetime === save.serverLifetime) return undefined;
  const newestOfLifetime = saves.find((candidate) => candidate.serverLifetime === save.serverLifetime);
  if (newestOfLifetime?.fileName !== save.fileName) return undefined;
  return new Date(parseLifetimeText(save.serverLifetime).startTime * 1000);
}

/** A directory with its links resolved, to tell whether two paths name the same one. */
async function realDirectory(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}
