import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { encodeGzippedJson, readGzippedJson } from './gzipped-json-file.js';

export const paneContentsFormatName = 'continuum-pane-contents';

const paneContentsFileSchema = v.object({
  format: v.literal(paneContentsFormatName),
  version: v.literal(1),
  panes: v.record(v.string(), v.string()),
});

/**
 * The contents file that belongs to one save: `continuum-…-server-….json` →
 * `continuum-…-server-….contents.json.gz`. It lives and dies with its save, so no restore ever
 * shows text from another save (tmux-resurrect shared one archive between all saves).
 */
export function contentsFileNameFor(saveFileName: string): string {
  return saveFileName.replace(/\.json$/, '.contents.json.gz');
}

/** A digest of the contents, kept in the save so an unchanged environment with new text is saved again. */
export function paneContentsDigest(contents: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const [paneId, text] of [...contents].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(`${paneId}\0${text}\0`);
  }
  return hash.digest('hex');
}

export async function encodePaneContents(contents: ReadonlyMap<string, string>): Promise<Buffer> {
  const document = { format: paneContentsFormatName, version: 1, panes: Object.fromEntries(contents) };
  return encodeGzippedJson(document);
}

/** Reads a contents file; a missing or damaged one names the file and what is wrong with it. */
export async function readPaneContentsFile(path: string): Promise<Map<string, string>> {
  return new Map(
    Object.entries((await readGzippedJson(path, paneContentsFileSchema, 'pane contents')).panes),
  );
}
