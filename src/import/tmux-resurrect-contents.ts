import { readRegularFile } from '../files/file-kind.js';
import { keepOnlyColourSequences } from '../snapshot/terminal-text.js';
import { readTarGz, TarArchiveProblem } from './tar-archive.js';
import type { TmuxResurrectSources } from './tmux-resurrect-sources.js';

/** The files of `pane_contents.tar.gz`, by name in the archive, or why there are none. */
export type TmuxResurrectArchive =
  /** No archive, none that can be read, or none that belongs to a save being imported. */
  | { readonly kind: 'none' }
  | { readonly kind: 'read'; readonly files: ReadonlyMap<string, Uint8Array> }
  /** The archive is there but damaged: the saves are imported without pane contents. */
  | { readonly kind: 'damaged'; readonly archive: string; readonly problem: string };

/**
 * Reads the contents archive when the save it was written with (`contentsOwner`) is among those
 * imported: tmux-resurrect keeps one archive per directory, overwritten with the newest save.
 */
export async function readTmuxResurrectArchive(sources: TmuxResurrectSources): Promise<TmuxResurrectArchive> {
  if (!sources.archive || !sources.contentsOwner || !sources.files.includes(sources.contentsOwner))
    return { kind: 'none' };
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(sources.archive);
  } catch {
    return { kind: 'none' };
  }
  try {
    return { kind: 'read', files: readTarGz(bytes) };
  } catch (error) {
    if (!(error instanceof TarArchiveProblem)) throw error;
    return { kind: 'damaged', archive: sources.archive, problem: error.message };
  }
}

/**
 * The text of pane `windowKey.pane` in the archive's files (`./pane_contents/pane-SESSION:WINDOW.PANE`,
 * with or without the `./`), with only its colour sequences kept; undefined when it has none.
 */
export function archivedPaneText(
  files: ReadonlyMap<string, Uint8Array> | undefined,
  windowKey: string,
  pane: number,
): string | undefined {
  const archiveName = `pane_contents/pane-${windowKey}.${pane}`;
  const archived = files?.get(`./${archiveName}`) ?? files?.get(archiveName);
  if (!archived) return undefined;
  return keepOnlyColourSequences(new TextDecoder('utf-8').decode(archived));
}
