import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ContinuumError, errorCode, exitCodes, NotADirectoryError } from '../errors.js';
import { nonDirectoryOnPath, readRegularFile } from '../files/file-kind.js';
import { type ServerIdentity, socketIdentity } from '../server/server-identity.js';
import { parseSaveFileName, type SaveFileName, sortNewestFirst } from './save-files.js';

/**
 * The owner of each legacy save (named before names carried a server tag), by path: read once
 * from the file, which is never rewritten. Only names that existed before the upgrade are ever
 * added, so the map cannot grow in a long-running daemon. `null`: the file names no server.
 */
const legacyOwners = new Map<string, string | null>();

/**
 * The saves of a directory as one server sees them: every server's, its own, and its newest.
 * Listing reads names only; a legacy name (no tag) is attributed by reading the file, once.
 */
export class SaveListing {
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
