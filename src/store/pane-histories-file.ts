import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { encodeGzippedJson, readGzippedJson } from './gzipped-json-file.js';

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
  return encodeGzippedJson(document);
}

/** Reads a histories file; a missing or damaged one names the file and what is wrong with it. */
export async function readPaneHistoriesFile(path: string): Promise<Map<string, string[]>> {
  return new Map(
    Object.entries((await readGzippedJson(path, paneHistoriesFileSchema, 'pane histories')).panes),
  );
}
