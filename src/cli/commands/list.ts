import { plural } from '../../human-text.js';
import {
  findTmuxResurrectSaveDirectory,
  tmuxResurrectDirectories,
  tmuxResurrectImportHint,
} from '../../import/tmux-resurrect-directories.js';
import { serverOptions } from '../../server/server-identity.js';
import { settingsFrom } from '../../settings/settings.js';
import type { CommandContext } from '../context.js';
import { printable, printableJson } from '../printable-text.js';
import { readSaveRows } from '../read-save-rows.js';
import { describeSaveRows, saveRowJson } from '../save-rows.js';
import { readStoreOptions } from './store-options.js';

export async function runList(
  context: CommandContext,
  options: { json?: boolean; all?: boolean },
): Promise<void> {
  const storeOptions = await readStoreOptions(context);
  const settings = settingsFrom(storeOptions);
  const store = await context.store(storeOptions);
  const { directory, server: own } = store;
  const rows = await readSaveRows(store, { all: options.all ?? false, now: context.now() });
  const whose = options.all ? 'every server' : serverOptions(own).join(' ');
  if (options.json) {
    context.print(
      printableJson({ directory, server: serverOptions(own).join(' '), saves: rows.map(saveRowJson) }),
    );
    return;
  }
  if (rows.length === 0) {
    const others = options.all ? [] : await store.list();
    context.print(
      `no saves of ${whose} in ${printable(directory)} (run \`continuum save\`)` +
        (others.length > 0
          ? `; ${plural(others.length, 'save')} of other servers: \`continuum list --all\``
          : ''),
    );
    // A tmux-resurrect user's first look: their saves are not lost, only not imported yet.
    const tmuxResurrect = options.all
      ? undefined
      : await findTmuxResurrectSaveDirectory(tmuxResurrectDirectories(context.paths, settings.saveDirectory));
    if (tmuxResurrect) context.print(tmuxResurrectImportHint(tmuxResurrect));
    return;
  }
  context.print(`saves of ${whose} in ${printable(directory)}, newest first (* = what \`restore\` uses):`);
  // Not a terminal (a pipe, a file): 80 columns, as most tools assume.
  const width = process.stdout.isTTY ? process.stdout.columns || 80 : 80;
  for (const line of describeSaveRows(rows, width)) context.print(line);
}
