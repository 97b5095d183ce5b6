import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { type RetentionPolicy, savesToDelete } from './retention.js';
import { companionFileNamesFor, removeIfPresent } from './save-companions.js';
import type { SaveListing } from './save-listing.js';

/**
 * Deletes the saves retention gives up (`savesToDelete`) with their companion files; returns the
 * save file names it removed. Only this server's saves: another server's are its own retention's
 * business.
 */
export async function applyRetention(
  listing: SaveListing,
  retention: RetentionPolicy,
  now: Date,
): Promise<string[]> {
  const saves = await listing.listOwn();
  const sizeOf = (fileName: string): Promise<number> =>
    lstat(join(listing.directory, fileName)).then(
      (info) => info.size,
      () => 0,
    );
  // The byte cap counts what a save really holds on disk: its file, pane contents and histories.
  const candidates = await Promise.all(
    saves.map(async (save) => {
      let bytes = await sizeOf(save.fileName);
      for (const companion of companionFileNamesFor(save.fileName)) bytes += await sizeOf(companion);
      return { ...save, bytes };
    }),
  );
  const deleted: string[] = [];
  for (const save of savesToDelete(candidates, retention, now)) {
    if (await removeIfPresent(join(listing.directory, save.fileName))) deleted.push(save.fileName);
    // A save's pane contents and pane histories go with it.
    for (const companion of companionFileNamesFor(save.fileName))
      await removeIfPresent(join(listing.directory, companion));
  }
  return deleted;
}
