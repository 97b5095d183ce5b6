import { describeCounts } from '../../human-text.js';
import { readPsmuxImport, writePsmuxImport } from '../../import/import-psmux-save.js';
import { isTmuxResurrectPath } from '../../import/tmux-resurrect-sources.js';
import { countPanes } from '../../snapshot/structure.js';
import type { CommandContext } from '../context.js';

/**
 * `continuum import PATH`: tmux-resurrect saves (see import-tmux-resurrect.ts), or one
 * psmux-resurrect save (src/import/import-psmux-save.ts), become continuum saves, with their times.
 */
export async function runImport(
  context: CommandContext,
  path: string,
  options: { dryRun?: boolean },
): Promise<void> {
  // tmux-resurrect's text saves and psmux-resurrect's JSON: told apart by name and first line.
  if (await isTmuxResurrectPath(path)) {
    const { runTmuxResurrectImport } = await import('./import-tmux-resurrect.js');
    return runTmuxResurrectImport(context, path, options);
  }
  const { source, converted } = await readPsmuxImport(path);
  for (const warning of converted.warnings) context.warn(warning);
  const counts = describeCounts(countPanes(converted.snapshot));
  if (options.dryRun) {
    context.print(
      `would import ${source.path} (saved ${converted.snapshot.savedAt}): ${counts}${converted.contents.size > 0 ? `, ${converted.contents.size} pane(s) with contents` : ''}`,
    );
    return;
  }
  // The save belongs to the server this command addresses (-L, or the default one): that is the
  // server whose `continuum restore` will find it.
  const store = await context.store();
  const { directory } = store;
  const outcome = await writePsmuxImport(store, converted, context.now());
  if (outcome.result === 'unchanged') {
    context.print(`nothing to import: the newest save in ${directory} holds the same ${counts}`);
    return;
  }
  context.print(`imported ${source.path} as ${outcome.path}: ${counts}`);
}
