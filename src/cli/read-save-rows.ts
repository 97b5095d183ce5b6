import { basename, join } from 'node:path';
import { serverOptions, socketIdentity } from '../server/server-identity.js';
import { readSnapshotFile, type SaveStore } from '../store/save-store.js';
import { type SaveRow, type SaveRowSource, saveRows } from './save-rows.js';

/**
 * The rows of `continuum list` for a store: this server's saves (`all`: every server's), each
 * file read for what it holds. A save that cannot be read is a row that says why, not a failure.
 */
export async function readSaveRows(
  store: SaveStore,
  options: { all?: boolean; now: Date },
): Promise<SaveRow[]> {
  const own = store.server;
  const saves = options.all ? await store.list() : await store.listOwn();
  const currentName = await store.newestSaveName();
  const sources = await Promise.all(
    saves.map(async (save): Promise<SaveRowSource> => {
      const path = join(store.directory, save.fileName);
      const read = await readSnapshotFile(path).then(
        (snapshot) => ({ snapshot }),
        (error: Error) => ({ error: withoutPath(error.message, path) }),
      );
      const ownerTag = await store.ownerTag(save);
      // The tag holds only a readable part and a hash; the server's own words are in the file.
      const recorded =
        'snapshot' in read && read.snapshot.server.socketPath !== ''
          ? socketIdentity(read.snapshot.server.socketPath)
          : undefined;
      const server =
        ownerTag === own.tag
          ? serverOptions(own).join(' ')
          : recorded && recorded.tag === ownerTag
            ? serverOptions(recorded).join(' ')
            : (ownerTag ?? 'unknown server');
      return { save, path, content: read, server, thisServer: ownerTag === own.tag };
    }),
  );
  return saveRows(sources, { now: options.now, currentName });
}

/** A read error names the file first; on its own row the name is known already. */
function withoutPath(message: string, path: string): string {
  for (const prefix of [`${path}: `, `${basename(path)}: `])
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}
