import { basename } from 'node:path';
import { describeCounts, plural } from '../../human-text.js';
import { countPanes } from '../../snapshot/structure.js';
import { readSnapshotFile, SaveStore } from '../../store/save-store.js';
import { serverIdentity, serverOptions } from '../../store/server-identity.js';
import {
  findTmuxResurrectSaveDirectory,
  tmuxResurrectDirectories,
  tmuxResurrectImportHint,
} from '../../store/tmux-resurrect-directories.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { readStoreOptions } from './store-options.js';

export async function runList(
  context: CommandContext,
  options: { json?: boolean; all?: boolean },
): Promise<void> {
  const storeOptions = await readStoreOptions(context);
  const directory = resolveSaveDirectory(context, storeOptions.get('@resurrect-dir'));
  const own = serverIdentityOf(context);
  const store = new SaveStore(directory, own);
  const saves = options.all ? await store.list() : await store.listOwn();
  const newest = await store.newestSaveName();
  const rows = await Promise.all(
    saves.map(async (save) => {
      const path = `${directory}/${save.fileName}`;
      const snapshot = await readSnapshotFile(path).catch((error: Error) => error);
      const ownerTag = await store.ownerTag(save);
      // The tag holds only a readable part and a hash; the server's own words are in the file.
      const recorded =
        snapshot instanceof Error || snapshot.server.socketPath === ''
          ? undefined
          : serverIdentity(snapshot.server.socketPath);
      const server =
        ownerTag === own.tag
          ? serverOptions(own).join(' ')
          : recorded && recorded.tag === ownerTag
            ? serverOptions(recorded).join(' ')
            : (ownerTag ?? 'unknown server');
      return {
        name: save.fileName,
        path,
        savedAt: save.savedAt.toISOString(),
        server,
        thisServer: ownerTag === own.tag,
        last: save.fileName === newest,
        ...(snapshot instanceof Error ? { error: snapshot.message } : countPanes(snapshot)),
      };
    }),
  );
  const whose = options.all ? 'every server' : serverOptions(own).join(' ');
  if (options.json) {
    context.print(JSON.stringify({ directory, server: serverOptions(own).join(' '), saves: rows }, null, 2));
    return;
  }
  if (rows.length === 0) {
    const others = options.all ? [] : await store.list();
    context.print(
      `no saves of ${whose} in ${directory} (run \`continuum save\`)` +
        (others.length > 0
          ? `; ${plural(others.length, 'save')} of other servers: \`continuum list --all\``
          : ''),
    );
    // A tmux-resurrect user's first look: their saves are not lost, only not imported yet.
    const tmuxResurrect = options.all
      ? undefined
      : await findTmuxResurrectSaveDirectory(
          tmuxResurrectDirectories(context.paths, storeOptions.get('@resurrect-dir')),
        );
    if (tmuxResurrect) context.print(tmuxResurrectImportHint(tmuxResurrect));
    return;
  }
  context.print(`saves of ${whose} in ${directory}, newest first:`);
  for (const row of rows) {
    const counts = 'error' in row ? `unreadable: ${row.error}` : describeCounts(row);
    const owner = options.all ? `  [${row.server}${row.thisServer ? ', this server' : ''}]` : '';
    context.print(`${row.last ? '*' : ' '} ${basename(row.name, '.json')}  ${counts}${owner}`);
  }
}
