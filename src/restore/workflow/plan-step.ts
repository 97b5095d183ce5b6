import type { PaneSnapshot } from '../../snapshot/schema.js';
import type { RestoreAction } from '../actions.js';
import type { RestorePlan } from '../plan/plan-types.js';
import { planRestore } from '../plan.js';
import { type ProgramActions, paneStart, planPrograms } from '../programs-and-contents.js';
import { shellRestoreEnvironment, withShellRestore } from '../shell-restore.js';
import type { PreparedRestore } from './prepare.js';
import { overwriteRemovals } from './removals.js';

/** The plan of a prepared restore and the programs it types into the panes it creates. */
export interface PlannedRestore {
  readonly plan: RestorePlan;
  readonly programs: ProgramActions;
}

/** Pure but for `warn`: the plan, and its warnings and the programs' told as they are found. */
export function planPreparedRestore(prepared: PreparedRestore, warn: (line: string) => void): PlannedRestore {
  const { live, save, programSettings, copies, shellDirectory } = prepared;
  const plan = planRestore(save.snapshot, prepared.liveState, {
    ...prepared.planEnvironment,
    // A pane whose shell had `continuum shell-init` gets its identity and restore file.
    paneLaunch: (pane: PaneSnapshot) =>
      withShellRestore(
        paneStart(pane, programSettings, copies, live.options),
        prepared.shellDirectoryUsable ? shellRestoreEnvironment(pane, shellDirectory) : undefined,
      ),
  });
  const programs = planPrograms(plan.panesCreated, programSettings, live.options);
  // Not save.warnings: they are about saved layouts, which the plan reports itself, once, for the
  // windows it creates and says what it does instead; an existing window keeps its own layout.
  for (const line of [...plan.warnings, ...programs.warnings]) warn(line);
  return { plan, programs };
}

/** Everything a restore would do, in order, for `--dry-run`: the removals after success included. */
export function plannedActions({ plan, programs }: PlannedRestore): RestoreAction[] {
  const removal: RestoreAction[] = [
    ...(plan.bootstrapRemoval ? [plan.bootstrapRemoval.session] : []),
    ...overwriteRemovals(plan).map((removal) => removal.session),
  ].map((session) => ({ kind: 'kill-session', session }));
  return [...plan.actions, ...programs.actions, ...plan.finalActions, ...removal];
}
