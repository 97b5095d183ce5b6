import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDirectory, writeFileAtomically } from '../files/atomic-write.js';
import type { Snapshot } from '../snapshot/schema.js';
import { mapPanes } from '../snapshot/structure.js';
import { contentsFileNameFor, encodePaneContents } from './pane-contents-file.js';
import { encodePaneHistories, historiesFileNameFor } from './pane-histories-file.js';
import { nextSequence, saveFileName } from './save-files.js';
import type { SaveListing } from './save-listing.js';

/** What is written beside a save, each with the digest the save records of it. */
export interface SaveCompanions {
  readonly paneContents?: ReadonlyMap<string, string> | undefined;
  readonly contentsDigest?: string | undefined;
  readonly histories?: ReadonlyMap<string, readonly string[]> | undefined;
  readonly historiesDigest?: string | undefined;
}

/**
 * Writes a save under a new name of this server and returns its path. Crash safety: the save
 * appears under its final name only once complete (atomic rename), and the pane contents file
 * (when given) is complete before the save that names it. `numbered` false: a save made elsewhere
 * (an import) keeps its own time and gets no sequence number.
 */
export async function publishSave(
  listing: SaveListing,
  snapshot: Snapshot,
  companions: SaveCompanions,
  numbered: boolean,
): Promise<string> {
  const { directory } = listing;
  await ensurePrivateDirectory(directory);
  const all = await listing.list();
  const existing = new Set(all.map((save) => save.fileName));
  // An import keeps its own time and no number: it is older than what this directory holds.
  const sequence = numbered ? nextSequence(all) : 0;
  let attempt = 0;
  const nameFor = (attempt: number): string =>
    saveFileName(new Date(snapshot.savedAt), snapshot.server, attempt, listing.server.tag, sequence);
  let fileName = nameFor(attempt);
  while (existing.has(fileName)) fileName = nameFor(++attempt);
  const path = join(directory, fileName);
  let saved = snapshot;
  let contentsPath: string | undefined;
  const { paneContents, contentsDigest, histories, historiesDigest } = companions;
  if (paneContents && contentsDigest !== undefined) {
    const contentsName = contentsFileNameFor(fileName);
    contentsPath = join(directory, contentsName);
    await writeFileAtomically(contentsPath, await encodePaneContents(paneContents));
    saved = { ...snapshot, paneContents: { file: contentsName, digest: contentsDigest } };
  }
  let historiesPath: string | undefined;
  if (histories && historiesDigest !== undefined) {
    const historiesName = historiesFileNameFor(fileName);
    historiesPath = join(directory, historiesName);
    await writeFileAtomically(historiesPath, await encodePaneHistories(histories));
    saved = withHistoryFile(
      { ...saved, paneHistories: { file: historiesName, digest: historiesDigest } },
      histories,
    );
  }
  try {
    await writeFileAtomically(path, `${JSON.stringify(saved, null, 1)}\n`);
  } catch (error) {
    // Contents and histories whose save was never published belong to nothing: on a full disk
    // they are the space the next attempt needs.
    if (contentsPath) await unlink(contentsPath).catch(() => undefined);
    if (historiesPath) await unlink(historiesPath).catch(() => undefined);
    throw error;
  }
  return path;
}

/** Each pane whose history is in the save's histories file names that file. */
function withHistoryFile(snapshot: Snapshot, histories: ReadonlyMap<string, readonly string[]>): Snapshot {
  const file = snapshot.paneHistories?.file;
  if (!file) return snapshot;
  return mapPanes(snapshot, (pane) =>
    histories.has(pane.id) ? { ...pane, shell: { ...pane.shell, historyFile: file } } : pane,
  );
}
