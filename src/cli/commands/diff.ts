import { UsageError } from '../../errors.js';
import { inServerNameForm } from '../../restore/names-for-server.js';
import { storeOptionNames } from '../../settings/settings.js';
import { captureServer } from '../../snapshot/capture.js';
import type { Snapshot } from '../../snapshot/schema.js';
import { diffSnapshots } from '../../snapshot/snapshot-diff.js';
import { saveSelectorFor } from '../../store/save-selector.js';
import type { CommandContext } from '../context.js';
import { printable, printableJson } from '../printable-text.js';
import { selectSave } from '../save-argument.js';
import { describeChanges } from '../snapshot-diff-lines.js';

export type DiffOutcome = 'equal' | 'different';

/** One side of a comparison: a save file, or the server as it is now. */
type Side = { readonly save: string } | { readonly server: string };

/**
 * What differs between a save and the live server (no `otherName`; the newest save when
 * `saveName` is undefined too), or between two saves. The caller turns the outcome into the
 * exit code, 0 or 1 as `diff` does.
 */
export async function runDiff(
  context: CommandContext,
  saveName: string | undefined,
  otherName: string | undefined,
  options: { json?: boolean; before?: string },
): Promise<DiffOutcome> {
  // `--before TIME` stands for the first save; a save given beside it is the second one.
  if (options.before !== undefined && saveName !== undefined) {
    if (otherName !== undefined)
      throw new UsageError(
        'diff compares two saves at most: with --before TIME, give one save to compare it with, or none',
        'e.g. `continuum diff --before 2h` (with the server now) or `continuum diff --before 2h 1`',
      );
    otherName = saveName;
    saveName = undefined;
  }
  const first = selectSave(saveName, options.before, context.now());
  const second = otherName === undefined ? undefined : saveSelectorFor(otherName);
  let before: { side: Side; snapshot: Snapshot };
  let after: { side: Side; snapshot: Snapshot };
  if (second === undefined) {
    const live = await captureServer(context, storeOptionNames);
    for (const warning of live.warnings) context.warn(printable(warning));
    const store = await context.store(live.options);
    const save = await store.load(first);
    for (const warning of save.warnings) context.warn(printable(warning));
    // A save from another tmux version is compared in the form this server stores names in.
    before = {
      side: { save: save.path },
      snapshot: inServerNameForm(save.snapshot, live.snapshot.mux).snapshot,
    };
    after = { side: { server: context.mux.describeServer() }, snapshot: live.snapshot };
  } else {
    // Two saves: no server needed, as for `show` and `list`.
    const store = await context.store();
    const [one, other] = [await store.load(first), await store.load(second)];
    for (const warning of [...one.warnings, ...other.warnings]) context.warn(printable(warning));
    before = { side: { save: one.path }, snapshot: one.snapshot };
    after = { side: { save: other.path }, snapshot: other.snapshot };
  }
  const changes = diffSnapshots(before.snapshot, after.snapshot);
  const outcome: DiffOutcome = changes.length === 0 ? 'equal' : 'different';
  if (options.json) {
    context.print(printableJson({ equal: outcome === 'equal', from: before.side, to: after.side, changes }));
    return outcome;
  }
  // `diff`'s own header lines: `---` the first, `+++` the second.
  context.print(`--- ${describeSide(before.side)}`);
  context.print(`+++ ${describeSide(after.side)}`);
  for (const line of describeChanges(changes, { colour: useColour(context) })) context.print(line);
  return outcome;
}

function describeSide(side: Side): string {
  return 'save' in side ? printable(side.save) : `the tmux server on ${printable(side.server)} now`;
}

/** Colour only on a terminal, and never while NO_COLOR is set (to anything but empty: https://no-color.org). */
function useColour(context: CommandContext): boolean {
  const noColour = context.paths.environment.NO_COLOR;
  return process.stdout.isTTY === true && (noColour === undefined || noColour === '');
}
