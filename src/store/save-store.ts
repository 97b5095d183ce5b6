import { lstat, readdir, realpath, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  ContinuumError,
  describeWriteFailure,
  errorCode,
  exitCodes,
  NoSaveError,
  NotADirectoryError,
  SnapshotReadError,
  UnwritableError,
  UsageError,
} from '../errors.js';
import { ensurePrivateDirectory, writeFileAtomically } from '../files/atomic-write.js';
import {
  describeFileKind,
  NotRegularFileError,
  nonDirectoryOnPath,
  readRegularFile,
} from '../files/file-kind.js';
import { localTime } from '../human-text.js';
import { type ServerIdentity, serverOptions, socketIdentity } from '../server/server-identity.js';
import { parseLifetimeText } from '../server/server-lifetime.js';
import { type Snapshot, validateSnapshot } from '../snapshot/schema.js';
import { sameShellState, sameStructure } from '../snapshot/structure.js';
import { contentsFileNameFor, encodePaneContents, paneContentsDigest } from './pane-contents-file.js';
import { encodePaneHistories, historiesFileNameFor, paneHistoriesDigest } from './pane-histories-file.js';
import { type RetentionPolicy, savesToDelete } from './retention.js';
import {
  nextSequence,
  parseSaveFileName,
  type SaveFileName,
  saveFileName,
  sortNewestFirst,
} from './save-files.js';
import { type SaveSelector, saveSelectorFor } from './save-selector.js';
import { removeStaleTemporaryFiles } from './temporary-files.js';

export type WriteResult =
  | { readonly result: 'written'; readonly path: string; readonly deleted: readonly string[] }
  | { readonly result: 'unchanged'; readonly path: string };

/** A save `SaveStore.delete` removed. */
export interface DeletedSave {
  readonly fileName: string;
  /** Its pane contents file was there and went with it. */
  readonly withContents: boolean;
}

export interface LoadedSave {
  readonly path: string;
  readonly snapshot: Snapshot;
  /** Parts of the save a restore works around (e.g. a layout tmux cannot parse), one line each. */
  readonly warnings: readonly string[];
}

/**
 * The owner of each legacy save (named before names carried a server tag), by path: read once
 * from the file, which is never rewritten. Only names that existed before the upgrade are ever
 * added, so the map cannot grow in a long-running daemon. `null`: the file names no server.
 */
const legacyOwners = new Map<string, string | null>();

/**
 * The save directory: timestamped snapshot files of one or more tmux servers. A store works for
 * one server (`server`): its newest save is the one `restore` uses, the one a new save is
 * compared with, and retention only ever deletes that server's saves. There is no pointer file:
 * tmux-resurrect's `last` may live in the same directory (`@resurrect-dir ~/.tmux/resurrect`),
 * and the newest name of the server is all a reader needs.
 */
export class SaveStore {
  readonly directory: string;
  readonly server: ServerIdentity;

  constructor(directory: string, server: ServerIdentity) {
    this.directory = directory;
    this.server = server;
  }

  /** Every save file of every server, newest first. A missing directory holds no saves. */
  async list(): Promise<SaveFileName[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      // A --dir that is missing holds no saves: restore says so, and save creates it.
      if (errorCode(error) === 'ENOENT') return [];
      // A file (or a directory on the way that is one) is not "no saves": say what it is.
      const obstacle = await nonDirectoryOnPath(this.directory);
      if (obstacle) throw new NotADirectoryError(this.directory, obstacle);
      if (errorCode(error) === 'ENOTDIR') return [];
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

  /** This server's saves, newest first. */
  async listOwn(): Promise<SaveFileName[]> {
    const saves = await this.list();
    const owners = await Promise.all(saves.map((save) => this.ownerTag(save)));
    return saves.filter((_, position) => owners[position] === this.server.tag);
  }

  /**
   * The tag of the server a save belongs to: from its name, or for a legacy name from the
   * `server.socketPath` inside it; undefined when a legacy file names no readable server.
   */
  async ownerTag(save: SaveFileName): Promise<string | undefined> {
    if (save.serverTag !== undefined) return save.serverTag;
    const path = join(this.directory, save.fileName);
    let owner = legacyOwners.get(path);
    if (owner === undefined) {
      owner = await readLegacyOwner(path);
      legacyOwners.set(path, owner);
    }
    return owner ?? undefined;
  }

  /** The newest save of this server. Legacy files are read only until the answer is known. */
  async newestSaveName(): Promise<string | undefined> {
    for (const save of await this.list()) {
      if ((await this.ownerTag(save)) === this.server.tag) return save.fileName;
    }
    return undefined;
  }

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
  async resolve(selection?: string | SaveSelector): Promise<string> {
    const selector = typeof selection === 'object' ? selection : saveSelectorFor(selection);
    switch (selector.kind) {
      case 'newest':
        return this.#resolve(undefined);
      case 'path':
        return resolve(selector.path);
      case 'name':
        return this.#resolve(selector.name);
      case 'number':
        return this.#resolveNumber(selector.number);
      case 'before':
        return this.#resolveBefore(selector.time, selector.expression);
    }
  }

  async #resolveNumber(number: number): Promise<string> {
    const saves = await this.listOwn();
    const save = number >= 1 ? saves[number - 1] : undefined;
    if (!save) {
      const whose = serverOptions(this.server).join(' ');
      throw new NoSaveError(
        this.directory,
        saves.length === 0
          ? `no save of ${whose}, so no save number ${number},`
          : `no save number ${number}: ${whose} has ${saves.length === 1 ? '1 save' : `saves 1 to ${saves.length}`}`,
        'see them with `continuum list`',
      );
    }
    return join(this.directory, save.fileName);
  }

  async #resolveBefore(time: Date, expression: string): Promise<string> {
    const saves = await this.listOwn();
    const save = saves.find((candidate) => candidate.savedAt.getTime() < time.getTime());
    if (!save) {
      const oldest = saves.at(-1);
      throw new NoSaveError(
        this.directory,
        `no save of ${serverOptions(this.server).join(' ')} older than ${localTime(time)} (--before ${expression})` +
          (oldest ? `: the oldest is from ${localTime(oldest.savedAt)}` : ''),
        'see the saves there are with `continuum list`',
      );
    }
    return join(this.directory, save.fileName);
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
        sameShellState(previous, snapshot) &&
        previous.paneContents?.digest === digest &&
        previous.paneHistories?.digest === historiesDigest
      ) {
        return { result: 'unchanged', path: join(this.directory, newest) };
      }
    }
    const path = await this.#publish(snapshot, paneContents, digest, histories, historiesDigest, numbered);
    const deleted = await this.#applyRetention(retention, now);
    return { result: 'written', path, deleted };
  }

  /**
   * Writes a save made elsewhere (an import) under its own time, unless this server already has a
   * save of the same time and structure (the same file imported again). Unlike `write`, it is not
   * compared with the newest save only and applies no retention: an import adds and never deletes.
   */
  async importSave(snapshot: Snapshot, paneContents?: ReadonlyMap<string, string>): Promise<WriteResult> {
    if (snapshot.sessions.length === 0) {
      throw new UnwritableError(this.directory, new Error('refusing to write a save with no sessions'));
    }
    const savedAt = new Date(snapshot.savedAt).getTime();
    const digest = paneContents && paneContents.size > 0 ? paneContentsDigest(paneContents) : undefined;
    for (const save of await this.listOwn()) {
      if (save.savedAt.getTime() !== savedAt) continue;
      const path = join(this.directory, save.fileName);
      const existing = await readSnapshotFile(path).catch(() => undefined);
      if (existing && sameStructure(existing, snapshot) && existing.paneContents?.digest === digest)
        return { result: 'unchanged', path };
    }
    const path = await this.#publish(snapshot, paneContents, digest, undefined, undefined, false);
    return { result: 'written', path, deleted: [] };
  }

  /**
   * Crash safety: the save appears under its final name only once complete (atomic rename), and
   * the pane contents file (when given) is complete before the save that names it.
   */
  async #publish(
    snapshot: Snapshot,
    paneContents: ReadonlyMap<string, string> | undefined,
    digest: string | undefined,
    histories?: ReadonlyMap<string, readonly string[]>,
    historiesDigest?: string,
    numbered = true,
  ): Promise<string> {
    await ensurePrivateDirectory(this.directory);
    const all = await this.list();
    const existing = new Set(all.map((save) => save.fileName));
    // An import keeps its own time and no number: it is older than what this directory holds.
    const sequence = numbered ? nextSequence(all) : 0;
    let attempt = 0;
    const nameFor = (attempt: number): string =>
      saveFileName(new Date(snapshot.savedAt), snapshot.server, attempt, this.server.tag, sequence);
    let fileName = nameFor(attempt);
    while (existing.has(fileName)) fileName = nameFor(++attempt);
    const path = join(this.directory, fileName);
    let saved = snapshot;
    let contentsPath: string | undefined;
    if (paneContents && digest !== undefined) {
      const contentsName = contentsFileNameFor(fileName);
      contentsPath = join(this.directory, contentsName);
      await writeFileAtomically(contentsPath, await encodePaneContents(paneContents));
      saved = { ...snapshot, paneContents: { file: contentsName, digest } };
    }
    let historiesPath: string | undefined;
    if (histories && historiesDigest !== undefined) {
      const historiesName = historiesFileNameFor(fileName);
      historiesPath = join(this.directory, historiesName);
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

  /**
   * Deletes saves with their pane contents files. Every selection is resolved before anything is
   * deleted (the numbers of `list` shift once a save is gone), and nothing is deleted when one of
   * them is refused: a file that is not a save in this directory (another tool's, a link, a path
   * elsewhere), or without `force` the newest save of an earlier server lifetime, which is what
   * brings back the sessions from before a restart (retention keeps it for the same reason).
   */
  async delete(
    selections: readonly (string | SaveSelector)[],
    options: { readonly force: boolean },
  ): Promise<DeletedSave[]> {
    const directory = await realDirectory(this.directory);
    const chosen = new Map<string, SaveFileName>();
    for (const selection of selections) {
      const path = await this.resolve(selection);
      const fileName = basename(path);
      const parsed = parseSaveFileName(fileName);
      if (!parsed || (await realDirectory(dirname(path))) !== directory) {
        throw new UsageError(
          `${path} is not a continuum save in ${this.directory}`,
          'delete removes only the saves `continuum list` shows (give a number or a name from it)',
        );
      }
      const info = await lstat(path).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT')
          throw new NoSaveError(this.directory, `no save file ${fileName}`, 'see `continuum list`');
        throw error;
      });
      if (!info.isFile())
        throw new UsageError(
          `${path} is ${describeFileKind(info)}, not a regular file: not a save continuum wrote`,
          'remove it yourself if it should go',
        );
      chosen.set(fileName, parsed);
    }
    if (!options.force) {
      for (const save of chosen.values()) {
        const lifetimeStart = await this.#newestOfEarlierLifetime(save);
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
      unlink(join(this.directory, name)).then(
        () => true,
        (error: unknown) => {
          if (errorCode(error) === 'ENOENT') return false;
          const before = deleted.map((save) => basename(save.fileName, '.json'));
          const failure = describeWriteFailure(error);
          throw new UnwritableError(this.directory, error, {
            reason: `${name} cannot be deleted${failure.problem}; ${before.length === 0 ? 'nothing was deleted' : `deleted before it: ${before.join(', ')}`}`,
            hint: failure.hint,
          });
        },
      );
    for (const fileName of chosen.keys()) {
      await remove(fileName);
      // After the save: contents without their save are removed by the next save's clean-up anyway.
      const withContents = await remove(contentsFileNameFor(fileName));
      // The pane histories the shell integration kept with this save go with it too.
      await remove(historiesFileNameFor(fileName));
      deleted.push({ fileName, withContents });
    }
    return deleted;
  }

  /**
   * When `save` is the newest save of a server lifetime older than its server's newest save's,
   * the start of that lifetime; else undefined.
   */
  async #newestOfEarlierLifetime(save: SaveFileName): Promise<Date | undefined> {
    const owner = await this.ownerTag(save);
    const saves: SaveFileName[] = [];
    for (const candidate of await this.list())
      if ((await this.ownerTag(candidate)) === owner) saves.push(candidate);
    if (saves[0]?.serverLifetime === save.serverLifetime) return undefined;
    const newestOfLifetime = saves.find((candidate) => candidate.serverLifetime === save.serverLifetime);
    if (newestOfLifetime?.fileName !== save.fileName) return undefined;
    return new Date(parseLifetimeText(save.serverLifetime).startTime * 1000);
  }

  async #applyRetention(retention: RetentionPolicy, now: Date): Promise<string[]> {
    // Only this server's saves: another server's are its own retention's business.
    const saves = await this.listOwn();
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

  async #resolve(name: string | undefined): Promise<string> {
    // `last` was the pointer file older versions wrote; the name still means "the newest".
    if (name === undefined || name === 'last') {
      const newest = await this.newestSaveName();
      if (!newest)
        throw new NoSaveError(this.directory, `no save of ${serverOptions(this.server).join(' ')} found`);
      return join(this.directory, newest);
    }
    if (isAbsolute(name) || name.includes('/')) return resolve(name);
    const fileName = name.endsWith('.json') ? name : `${name}.json`;
    const saves = await this.list();
    const exact = saves.find((save) => save.fileName === fileName);
    if (exact) return join(this.directory, exact.fileName);
    const matches = saves.filter((save) => save.fileName.startsWith(name));
    if (matches.length === 0) {
      throw new NoSaveError(
        this.directory,
        `no save named "${basename(name)}"`,
        saves.length > 0
          ? 'see the saves there are with `continuum list` (`--all`: every server)'
          : undefined,
      );
    }
    if (matches.length > 1) {
      // Picking the newest of them silently could restore another server's or an unexpected save.
      const shown = matches.slice(0, 5).map((save) => basename(save.fileName, '.json'));
      const more = matches.length > shown.length ? `, and ${matches.length - shown.length} more` : '';
      throw new UsageError(
        `the save name "${name}" is ambiguous: it starts ${matches.length} saves (${shown.join(', ')}${more})`,
        'give more of the name (`continuum list --json` prints them), or its number from `continuum list`',
      );
    }
    return join(this.directory, matches[0]!.fileName);
  }
}

/** A directory with its links resolved, to tell whether two paths name the same one. */
async function realDirectory(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/** The tag of the server a legacy save was taken from, or null when the file names none. */
async function readLegacyOwner(path: string): Promise<string | null> {
  try {
    const value: unknown = JSON.parse((await readRegularFile(path)).toString('utf8'));
    const socketPath = (value as { server?: { socketPath?: unknown } } | null)?.server?.socketPath;
    if (typeof socketPath !== 'string' || socketPath === '') return null;
    return socketIdentity(socketPath).tag;
  } catch {
    return null;
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
    text = (await readRegularFile(path)).toString('utf8');
  } catch (error) {
    // A path that names nothing is "no save found" (5), not an unusable save (6).
    if (errorCode(error) === 'ENOENT')
      throw new NoSaveError(dirname(path), `no save file ${basename(path)}`, 'see `continuum list`');
    if (error instanceof NotRegularFileError)
      throw new SnapshotReadError(path, `is ${error.kind}, not a save file`, { cause: error });
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
