import { localTime } from '../../human-text.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { printable, printableJson } from '../printable-text.js';
import { selectSave } from '../save-argument.js';
import { describeSnapshot } from '../save-description.js';
import { readStoreSettings } from './store-options.js';

/** What a save holds, as a tree (or the raw JSON with --json). */
export async function runShow(
  context: CommandContext,
  saveName: string | undefined,
  options: { json?: boolean; before?: string },
): Promise<void> {
  const selector = selectSave(saveName, options.before, context.now());
  const directory = resolveSaveDirectory(context, (await readStoreSettings(context)).saveDirectory);
  const { path, snapshot, warnings } = await new SaveStore(directory, serverIdentityOf(context)).load(
    selector,
  );
  for (const warning of warnings) context.warn(printable(warning));
  if (options.json) {
    context.print(printableJson(snapshot));
    return;
  }
  context.print(printable(path));
  context.print(
    `saved ${localTime(snapshot.savedAt)} from tmux ${printable(snapshot.mux.version)} (server pid ${snapshot.server.pid})`,
  );
  // Not a TTY (a pipe, a file): 80 columns, as most tools assume.
  const width = process.stdout.isTTY ? process.stdout.columns || 80 : 80;
  for (const line of describeSnapshot(snapshot, width)) context.print(line);
}
