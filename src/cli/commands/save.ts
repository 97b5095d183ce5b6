import { BusyError, ContinuumError, exitCodes } from '../../errors.js';
import { describeCounts, plural } from '../../human-text.js';
import { restoringMarkerOption, restoringMarkerState } from '../../restore/restoring-marker.js';
import { describeSkipped } from '../../snapshot/sessions-to-save.js';
import { countPanes } from '../../snapshot/structure.js';
import { saveServer } from '../../store/save-server.js';
import type { CommandContext } from '../context.js';
import { continuumCommand } from './daemon-target.js';

export interface SaveCommandOptions {
  readonly quiet?: boolean;
}

export async function runSave(context: CommandContext, options: SaveCommandOptions): Promise<void> {
  const outcome = await saveServer(
    {
      ...context,
      store: (options) => context.store(options),
    },
    async ({ capture, skipped }) => {
      await refuseWhileRestoring(context, capture.options.get(restoringMarkerOption) ?? '');
      if (capture.snapshot.sessions.length === 0) return skipped;
      if (skipped.length > 0 && !options.quiet) context.print(`not saving ${describeSkipped(skipped)}`);
      return undefined;
    },
    [restoringMarkerOption],
  );
  if (outcome.kind === 'refused') {
    const skipped = outcome.refusal;
    if (skipped.length === 0)
      throw new ContinuumError(
        `nothing to save: the tmux server on ${context.mux.describeServer()} has no sessions`,
        {
          exitCode: exitCodes.failure,
          hint: 'nothing was written; your previous saves are unchanged',
        },
      );
    // Not a failure: the user's own settings leave nothing, and the previous saves stay as they are.
    if (!options.quiet)
      context.print(
        `nothing to save: every session on ${context.mux.describeServer()} is left out: ${describeSkipped(skipped)} (see @resurrect-save-unnamed); your previous saves are unchanged`,
      );
    return;
  }
  if (options.quiet) return;
  const { write } = outcome;
  const summary = describeCounts(countPanes(outcome.capture.snapshot));
  if (write.result === 'unchanged') {
    context.print(`nothing changed since the last save (${summary}): ${write.path}`);
  } else {
    context.print(`saved ${summary} to ${write.path}`);
    if (write.deleted.length > 0)
      context.print(`removed ${plural(write.deleted.length, 'old save')} past retention`);
  }
}

/**
 * A save made while a restore runs, or after one stopped half-way, would record a half-restored
 * server as the newest state, and the next restore would bring back only that half.
 */
async function refuseWhileRestoring(context: CommandContext, marker: string): Promise<void> {
  const state = await restoringMarkerState(marker);
  if (state.kind === 'running')
    throw new BusyError(
      `a restore into ${context.mux.describeServer()} is running (pid ${state.pid}); nothing was saved`,
      'save once it has finished',
    );
  if (state.kind === 'stale')
    throw new BusyError(
      `a restore into ${context.mux.describeServer()} did not finish (${state.reason}): the server may be half-restored; nothing was saved`,
      `run \`${continuumCommand(context, 'restore')}\` to complete it, then save (or \`tmux set -gu ${restoringMarkerOption}\` to save the server as it is)`,
    );
}
