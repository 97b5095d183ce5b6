import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import * as v from 'valibot';
import { errorCode, SnapshotReadError } from '../errors.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const paneHistoriesFormatName = 'continuum-pane-histories';

const paneHistoriesFileSchema = v.object({
  format: v.literal(paneHistoriesFormatName),
  version: v.literal(1),
  panes: v.record(v.string(), v.array(v.string())),
});

/**
 * The histories file that belongs to one save: `continuum-…-server-….json` →
 * `continuum-…-server-….histories.json.gz`. Like the pane contents file, it lives and dies with
 * its save, so a restore never gives a pane the history of another save.
 */
export function historiesFileNameFor(saveFileName: string): string {
  return saveFileName.replace(/\.json$/, '.histories.json.gz');
}

/** A digest of every pane's entries, kept in the save so new history alone is a reason to save. */
export function paneHistoriesDigest(histories: ReadonlyMap<string, readonly string[]>): string {
  const hash = createHash('sha256');
  for (const [paneId, entries] of [...histories].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(`${paneId}\0${entries.length}\0`);
    for (const entry of entries) hash.update(`${entry}\0`);
  }
  return hash.digest('hex');
}

export async function encodePaneHistories(
  histories: ReadonlyMap<string, readonly string[]>,
): Promise<Buffer> {
  const document = { format: paneHistoriesFormatName, version: 1, panes: Object.fromEntries(histories) };
  return gzipAsync(JSON.stringify(document), { level: 1 });
}

/** Reads a histories file; a missing or damaged one names the file and what is wrong with it. */
export async function readPaneHistoriesFile(path: string): Promise<Map<string, string[]>> {
  let compressed: Buffer;
  try {
    compressed = await readFile(path);
  } catch (error) {
    throw new SnapshotReadError(
      path,
      errorCode(error) === 'ENOENT' ? 'file does not exist' : `cannot be read (${errorCode(error)})`,
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse((await gunzipAsync(compressed)).toString('utf8'));
  } catch (error) {
    throw new SnapshotReadError(path, 'is truncated or not gzip-compressed JSON', { cause: error });
  }
  const result = v.safeParse(paneHistoriesFileSchema, value);
  if (!result.success) throw new SnapshotReadError(path, 'is not a continuum pane histories file');
  return new Map(Object.entries(result.output.panes));
}
