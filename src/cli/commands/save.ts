import { ContinuumError, exitCodes } from '../../errors.js';
import { hookOptionNames, runSaveHooks } from '../../hooks/run-hook.js';
import { captureServer } from '../../snapshot/capture.js';
import { paneContentsForSave, paneContentsOptionNames } from '../../snapshot/pane-contents.js';
import { countPanes } from '../../snapshot/structure.js';
import { retentionFromOption } from '../../store/retention.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, storeOptionNames } from '../context.js';

export interface SaveCommandOptions {
  readonly quiet?: boolean;
}

export async function runSave(context: CommandContext, options: SaveCommandOptions): Promise<void> {
  const capture = await captureServer(context, [
    ...storeOptionNames,
    ...paneContentsOptionNames,
    ...hookOptionNames,
  ]);
  const directory = resolveSaveDirectory(context, capture.options.get('@resurrect-dir'));
  if (capture.snapshot.sessions.length === 0) {
    throw new ContinuumError(`the tmux server on ${context.mux.describeServer()} has no sessions to save`, {
      exitCode: exitCodes.failure,
      hint: 'nothing was written; your previous saves are unchanged',
    });
  }
  const store = new SaveStore(directory);
  const retention = retentionFromOption(capture.options.get('@resurrect-delete-backup-after'));
  const contents = await paneContentsForSave(context.mux, capture.snapshot, capture.options, context.warn);
  const outcome = await store.write(capture.snapshot, retention, context.now(), contents);
  if (outcome.result === 'written') await runSaveHooks(capture.options, outcome.path, context.warn);
  if (options.quiet) return;
  const counts = countPanes(capture.snapshot);
  const summary = `${counts.sessions} session(s), ${counts.windows} window(s), ${counts.panes} pane(s)`;
  if (outcome.result === 'unchanged') {
    context.print(`nothing changed since the last save (${summary}): ${outcome.path}`);
  } else {
    context.print(`saved ${summary} to ${outcome.path}`);
    if (outcome.deleted.length > 0)
      context.print(`removed ${outcome.deleted.length} old save(s) past retention`);
  }
}
