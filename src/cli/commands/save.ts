import { ContinuumError, exitCodes } from '../../errors.js';
import { describeCounts, plural } from '../../human-text.js';
import { captureServer } from '../../snapshot/capture.js';
import { countPanes } from '../../snapshot/structure.js';
import { SaveStore } from '../../store/save-store.js';
import { saveOptionNames, writeCapturedSave } from '../../store/write-save.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';

export interface SaveCommandOptions {
  readonly quiet?: boolean;
}

export async function runSave(context: CommandContext, options: SaveCommandOptions): Promise<void> {
  const capture = await captureServer(context, saveOptionNames);
  for (const line of capture.warnings) context.warn(line);
  const directory = resolveSaveDirectory(context, capture.options.get('@resurrect-dir'));
  if (capture.snapshot.sessions.length === 0) {
    throw new ContinuumError(
      `nothing to save: the tmux server on ${context.mux.describeServer()} has no sessions`,
      {
        exitCode: exitCodes.failure,
        hint: 'nothing was written; your previous saves are unchanged',
      },
    );
  }
  const outcome = await writeCapturedSave(
    context,
    capture,
    new SaveStore(directory, serverIdentityOf(context)),
  );
  if (options.quiet) return;
  const counts = countPanes(capture.snapshot);
  const summary = describeCounts(counts);
  if (outcome.result === 'unchanged') {
    context.print(`nothing changed since the last save (${summary}): ${outcome.path}`);
  } else {
    context.print(`saved ${summary} to ${outcome.path}`);
    if (outcome.deleted.length > 0)
      context.print(`removed ${plural(outcome.deleted.length, 'old save')} past retention`);
  }
}
