import { SnapshotReadError } from '../../errors.js';
import { describeCounts } from '../../human-text.js';
import { convertPsmuxSave, PsmuxImportProblem } from '../../import/import-psmux.js';
import { findPsmuxSave, PsmuxSourceProblem } from '../../import/psmux-save-files.js';
import { countPanes } from '../../snapshot/structure.js';
import type { RetentionPolicy } from '../../store/retention.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { readStoreSettings } from './store-options.js';

/** An import adds a save and removes none: the next ordinary save applies the user's retention. */
const keepEverything: RetentionPolicy = {
  maximumAgeDays: Number.POSITIVE_INFINITY,
  maximumCount: Number.POSITIVE_INFINITY,
  maximumBytes: Number.POSITIVE_INFINITY,
};

const importHint =
  'the file was left as it is; pass another psmux_resurrect_*.json (or the directory holding them)';

/**
 * `continuum import PATH`: tmux-resurrect saves (see import-tmux-resurrect.ts), or one
 * psmux-resurrect save, become continuum saves, with their times.
 */
export async function runImport(
  context: CommandContext,
  path: string,
  options: { dryRun?: boolean },
): Promise<void> {
  // tmux-resurrect's text saves and psmux-resurrect's JSON: told apart by name and first line.
  const { isTmuxResurrectPath, runTmuxResurrectImport } = await import('./import-tmux-resurrect.js');
  if (await isTmuxResurrectPath(path)) return runTmuxResurrectImport(context, path, options);
  let source: Awaited<ReturnType<typeof findPsmuxSave>>;
  try {
    source = await findPsmuxSave(path);
  } catch (error) {
    if (error instanceof PsmuxSourceProblem)
      throw new SnapshotReadError(error.path, error.message, { hint: importHint, cause: error });
    throw error;
  }
  let converted: ReturnType<typeof convertPsmuxSave>;
  try {
    converted = convertPsmuxSave(source.bytes);
  } catch (error) {
    if (error instanceof PsmuxImportProblem)
      throw new SnapshotReadError(source.path, error.message, {
        ...(error.field ? { field: error.field } : {}),
        hint: importHint,
        cause: error,
      });
    throw error;
  }
  for (const warning of converted.warnings) context.warn(warning);
  const counts = describeCounts(countPanes(converted.snapshot));
  const contents = converted.contents.size > 0 ? converted.contents : undefined;
  if (options.dryRun) {
    context.print(
      `would import ${source.path} (saved ${converted.snapshot.savedAt}): ${counts}${contents ? `, ${converted.contents.size} pane(s) with contents` : ''}`,
    );
    return;
  }
  const directory = resolveSaveDirectory(context, (await readStoreSettings(context)).saveDirectory);
  // The save belongs to the server this command addresses (-L, or the default one): that is the
  // server whose `continuum restore` will find it.
  const store = new SaveStore(directory, serverIdentityOf(context));
  // Under its own time and without a sequence number, as a tmux-resurrect import: an old save
  // brought along does not become newer than what this directory already holds (docs/daemon.md).
  const outcome = await store.write(
    converted.snapshot,
    keepEverything,
    context.now(),
    contents,
    undefined,
    false,
  );
  if (outcome.result === 'unchanged') {
    context.print(`nothing to import: the newest save in ${directory} holds the same ${counts}`);
    return;
  }
  context.print(`imported ${source.path} as ${outcome.path}: ${counts}`);
}
