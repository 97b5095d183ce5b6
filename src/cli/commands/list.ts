import { basename } from 'node:path';
import { describeCounts } from '../../human-text.js';
import { countPanes } from '../../snapshot/structure.js';
import { readSnapshotFile, SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory } from '../context.js';
import { readStoreOptions } from './store-options.js';

export async function runList(context: CommandContext, options: { json?: boolean }): Promise<void> {
  const directory = resolveSaveDirectory(context, (await readStoreOptions(context)).get('@resurrect-dir'));
  const store = new SaveStore(directory);
  const saves = await store.list();
  const newest = await store.newestSaveName();
  const rows = await Promise.all(
    saves.map(async (save) => {
      const path = `${directory}/${save.fileName}`;
      const snapshot = await readSnapshotFile(path).catch((error: Error) => error);
      return {
        name: save.fileName,
        path,
        savedAt: save.savedAt.toISOString(),
        last: save.fileName === newest,
        ...(snapshot instanceof Error ? { error: snapshot.message } : countPanes(snapshot)),
      };
    }),
  );
  if (options.json) {
    context.print(JSON.stringify({ directory, saves: rows }, null, 2));
    return;
  }
  if (rows.length === 0) {
    context.print(`no saves in ${directory} (run \`continuum save\`)`);
    return;
  }
  context.print(`saves in ${directory}, newest first:`);
  for (const row of rows) {
    const counts = 'error' in row ? `unreadable: ${row.error}` : describeCounts(row);
    context.print(`${row.last ? '*' : ' '} ${basename(row.name, '.json')}  ${counts}`);
  }
}
