import { basename } from 'node:path';
import { UsageError } from '../../errors.js';
import type { SaveSelector } from '../../store/save-selector.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { printable } from '../printable-text.js';
import { beforeSelector } from '../save-argument.js';
import { readStoreSettings } from './store-options.js';

/** Removes the saves named (numbers, names, paths, `--before TIME`) with their pane contents. */
export async function runDelete(
  context: CommandContext,
  saveNames: readonly string[],
  options: { force?: boolean; before?: string },
): Promise<void> {
  const selections: (string | SaveSelector)[] = [...saveNames];
  if (options.before !== undefined) selections.push(beforeSelector(options.before, context.now()));
  if (selections.length === 0)
    throw new UsageError('delete needs the saves to delete', 'give numbers or names from `continuum list`');
  const directory = resolveSaveDirectory(context, (await readStoreSettings(context)).saveDirectory);
  const store = new SaveStore(directory, serverIdentityOf(context));
  const deleted = await store.delete(selections, { force: options.force ?? false });
  for (const save of deleted)
    context.print(
      `deleted ${printable(basename(save.fileName, '.json'))}${save.withContents ? ' and its pane contents' : ''}`,
    );
}
