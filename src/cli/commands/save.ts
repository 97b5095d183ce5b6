import { BusyError, ContinuumError, exitCodes } from '../../errors.js';
import { describeCounts, plural } from '../../human-text.js';
import { restoringMarkerOption, restoringMarkerState } from '../../restore/restoring-marker.js';
import { settingsFrom } from '../../settings/settings.js';
import { captureServer } from '../../snapshot/capture.js';
import { describeSkipped } from '../../snapshot/sessions-to-save.js';
import { countPanes } from '../../snapshot/structure.js';
import { SaveStore } from '../../store/save-store.js';
import { captureToSave, saveOptionNames, writeCapturedSave } from '../../store/write-save.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { continuumCommand } from './daemon-target.js';

export interface SaveCommandOptions {
  readonly quiet?: boolean;
}

export async function runSave(context: CommandContext, options: SaveCommandOptions): Promise<void> {
  const captured = await captureServer(context, [...saveOptionNames, restoringMarkerOption]);
  for (const line of captured.warnings) context.warn(line);
  await refuseWhileRestoring(context, captured.options.get(restoringMarkerOption) ?? '');
  const directory = resolveSaveDirectory(context, settingsFrom(captured.options).saveDirectory);
  const { capture, skipped } = captureToSave(captured, context.mux.dialect);
  if (skipped.length > 0 && capture.snapshot.sessions.length === 0) {
    // Not a failure: the user's own settings leave nothing, and the previous saves stay as they are.
    if (!options.quiet)
      context.print(
        `nothing to save: every session on ${context.mux.describeServer()} is left out: ${describeSkipped(skipped)} (see @resurrect-save-unnamed); your previous saves are unchanged`,
      );
    return;
  }
  if (skipped.length > 0 && !options.quiet) context.print(`not saving ${describeSkipped(skipped)}`);
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
