import { lstat, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  ContinuumError,
  errorCode,
  exitCodes,
  NoSaveError,
  SnapshotReadError,
  UnwritableError,
} from '../errors.js';
import { type Snapshot, validateSnapshot } from '../snapshot/schema.js';
import { sameStructure } from '../snapshot/structure.js';
import { ensurePrivateDirectory, writeFileAtomically } from './atomic-write.js';
import { contentsFileNameFor, encodePaneContents, paneContentsDigest } from './pane-contents-file.js';
import { encodePaneHistories, historiesFileNameFor, paneHistoriesDigest } from './pane-histories-file.js';
import { type RetentionPolicy, savesToDelete } from './retention.js';
import {
  lastPointerName,
  parseSaveFileName,
  type SaveFileName,
  saveFileName,
  sortNewestFirst,
} from './save-files.js';
import { removeStaleTemporaryFiles } from './temporary-files.js';

export type WriteResult =
  | { readonly result: 'written'; readonly path: string; readonly deleted: readonly string[] }
  | { readonly result: 'unchanged'; readonly path: string };

export interface LoadedSave {
  readonly path: string;
  readonly snapshot: Snapshot;
  /** Parts of the save a restore works around (e.g. a layout tmux cannot parse), one line each. */
  readonly warnings: readonly string[];
}

/** The save directory: timestamped snapshot files and a `last` pointer to the newest. */
export class SaveStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  /** Every save file, newest first. A missing directory holds no saves. */
  async list(): Promise<SaveFileName[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      // A --dir that is missing, or that is a file (or under one), holds no saves: restore says so
      // and save reports the directory it cannot create, instead of an "unexpected error" stack.
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
      throw new ContinuumError(
        `cannot read the save directory ${this.directory} (${errorCode(error) ?? error})`,
        {
          exitCode: exitCodes.unwritable,
          hint: 'fix its permissions, or choose another directory with --dir or @resurrect-dir',
          cause: error,
        },
      );
    }
    return sortNewestFirst(names.map(parseSaveFileName).filter((save) => save !== undefined));
  }

  /** The file `last` names when it names an existing save; else the newest file (a stale pointer is no reason to fail). */
  async newestSaveName(): Promise<string | undefined> {
    const saves = await this.list();
    const pointed = await this.#readPointer();
    if (pointed && saves.some((save) => save.fileName === pointed)) return pointed;
    return saves[0]?.fileName;
  }

  /**
   * Loads a save: the newest when `name` is undefined or `last`, else a file name in the directory
   * (with or without `.json`) or a path.
   */
  async load(name?: string): Promise<LoadedSave> {
    const path = await this.#resolve(name);
    return { path, ...(await readSaveFile(path)) };
  }

  /**
   * Writes a snapshot unless its structure equals the newest save's, then moves `last` and applies
   * retention. Order matters for crash safety: the file is complete before `last` names it, and
   * the pane contents file (when given) is complete before the save that names it.
   */
  async write(
    snapshot: Snapshot,
    retention: RetentionPolicy,
    now: Date,
    paneContents?: ReadonlyMap<string, string>,
    paneHistories?: ReadonlyMap<string, readonly string[]>,
  ): Promise<WriteResult> {
    if (snapshot.sessions.length === 0) {
      throw new UnwritableError(this.directory, new Error('refusing to write a save with no sessions'));
    }
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
        previous.paneContents?.digest === digest &&
        previous.paneHistories?.digest === historiesDigest
      ) {
        return { result: 'unchanged', path: join(this.directory, newest) };
      }
    }
    await ensurePrivateDirectory(this.directory);
    const existing = new Set((await this.list()).map((save) => save.fileName));
    let attempt = 0;
    let fileName = saveFileName(new Date(snapshot.savedAt), snapshot.server, attempt);
    while (existing.has(fileName))
      fileName = saveFileName(new Date(snapshot.savedAt), snapshot.server, ++attempt);
    const path = join(this.directory, fileName);
    let saved = snapshot;
    if (paneContents && digest !== undefined) {
      const contentsName = contentsFileNameFor(fileName);
      await writeFileAtomically(join(this.directory, contentsName), await encodePaneContents(paneContents));
      saved = { ...snapshot, paneContents: { file: contentsName, digest } };
    }
    if (histories && historiesDigest !== undefined) {
      const historiesName = historiesFileNameFor(fileName);
      await writeFileAtomically(join(this.directory, historiesName), await encodePaneHistories(histories));
      saved = withHistoryFile(
        { ...saved, paneHistories: { file: historiesName, digest: historiesDigest } },
        histories,
      );
    }
    await writeFileAtomically(path, `${JSON.stringify(saved, null, 1)}\n`);
    await writeFileAtomically(join(this.directory, lastPointerName), `${fileName}\n`);
    const deleted = await this.#applyRetention(retention, now);
    return { result: 'written', path, deleted };
  }

  async #applyRetention(retention: RetentionPolicy, now: Date): Promise<string[]> {
    const saves = await this.list();
    const sizeOf = (fileName: string): Promise<number> =>
      lstat(join(this.directory, fileName)).then(
        (info) => info.size,
        () => 0,
      );
    // The byte cap counts what a save really holds on disk: its file and its pane contents.
    const candidates = await Promise.all(
      saves.map(async (save) => ({
        ...save,
        bytes:
          (await sizeOf(save.fileName)) +
          (await sizeOf(contentsFileNameFor(save.fileName))) +
          (await sizeOf(historiesFileNameFor(save.fileName))),
      })),
    );
    const deleted: string[] = [];
    for (const save of savesToDelete(candidates, retention, now)) {
      try {
        await unlink(join(this.directory, save.fileName));
        deleted.push(save.fileName);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      // A save's pane contents and pane histories go with it.
      for (const sibling of [contentsFileNameFor(save.fileName), historiesFileNameFor(save.fileName)])
        await unlink(join(this.directory, sibling)).catch((error: unknown) => {
          if (errorCode(error) !== 'ENOENT') throw error;
        });
    }
    return deleted;
  }

  async #readPointer(): Promise<string | undefined> {
    try {
      const text = (await readFile(join(this.directory, lastPointerName), 'utf8')).trim();
      // tmux-resurrect's `last` is a symlink to its own text format: not ours to follow.
      return parseSaveFileName(text) ? text : undefined;
    } catch {
      return undefined;
    }
  }

  async #resolve(name: string | undefined): Promise<string> {
    if (name === undefined || name === lastPointerName) {
      const newest = await this.newestSaveName();
      if (!newest) throw new NoSaveError(this.directory);
      return join(this.directory, newest);
    }
    if (isAbsolute(name) || name.includes('/')) return resolve(name);
    const fileName = name.endsWith('.json') ? name : `${name}.json`;
    const saves = await this.list();
    const match =
      saves.find((save) => save.fileName === fileName) ??
      saves.find((save) => save.fileName.startsWith(name));
    if (!match) {
      throw new NoSaveError(
        this.directory,
        `no save named "${basename(name)}"`,
        saves.length > 0 ? 'see the saves there are with `continuum list`' : undefined,
      );
    }
    return join(this.directory, match.fileName);
  }
}

/** Each pane whose history is in the save's histories file names that file. */
function withHistoryFile(snapshot: Snapshot, histories: ReadonlyMap<string, readonly string[]>): Snapshot {
  const file = snapshot.paneHistories?.file;
  if (!file) return snapshot;
  return {
    ...snapshot,
    sessions: snapshot.sessions.map((session) => ({
      ...session,
      windows: session.windows.map((window) => ({
        ...window,
        panes: window.panes.map((pane) =>
          histories.has(pane.id) ? { ...pane, shell: { ...pane.shell, historyFile: file } } : pane,
        ),
      })),
    })),
  };
}

/** Reads and validates one save file, naming exactly what is wrong with a bad one. */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  return (await readSaveFile(path)).snapshot;
}

/** readSnapshotFile, with the warnings about the parts of the save a restore works around. */
export async function readSaveFile(
  path: string,
): Promise<{ readonly snapshot: Snapshot; readonly warnings: readonly string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // A path that names nothing is "no save found" (5), not an unusable save (6).
    if (errorCode(error) === 'ENOENT')
      throw new NoSaveError(dirname(path), `no save file ${basename(path)}`, 'see `continuum list`');
    throw new SnapshotReadError(path, `cannot be read (${errorCode(error) ?? String(error)})`, {
      cause: error,
    });
  }
  if (text.trim() === '') throw new SnapshotReadError(path, 'file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotReadError(path, 'is truncated or not JSON', { cause: error });
  }
  const validation = validateSnapshot(value);
  if (!validation.ok) {
    const future = validation.field === 'version' && validation.problem.startsWith('made by a newer');
    throw new SnapshotReadError(path, validation.problem, {
      ...(validation.field === undefined ? {} : { field: validation.field }),
      ...(future ? { hint: 'upgrade continuum (see Install in its README) to read it' } : {}),
    });
  }
  if (validation.snapshot.sessions.length === 0) throw new SnapshotReadError(path, 'holds no sessions');
  return { snapshot: validation.snapshot, warnings: validation.warnings };
}
