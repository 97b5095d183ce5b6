import { BusyError, PartialRestoreError } from '../../errors.js';
import { socketPathFor } from '../../mux/socket-path.js';
import { acquireLease, leaseKey } from '../../platform/lease.js';
import { stateDirectory } from '../../platform/paths.js';
import { describeAction } from '../../restore/actions.js';
import { applyPlan } from '../../restore/apply.js';
import { planRestore } from '../../restore/plan.js';
import { captureServer } from '../../snapshot/capture.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, storeOptionNames } from '../context.js';

export interface RestoreCommandOptions {
  readonly dryRun?: boolean;
  readonly quiet?: boolean;
}

export async function runRestore(
  context: CommandContext,
  saveName: string | undefined,
  options: RestoreCommandOptions,
): Promise<void> {
  // Two restores at once (a hook firing twice, a key pressed twice) would both see the same
  // missing windows and both create them; one restore per server at a time makes the second a no-op.
  const socketPath = socketPathFor(context.mux.server, context.paths.environment);
  const lease = options.dryRun
    ? undefined
    : await acquireLease(leaseKey('restore', socketPath), {
        runtimeDirectory: stateDirectory(context.paths),
        timeoutMilliseconds: 30_000,
      });
  if (!options.dryRun && !lease) {
    throw new BusyError(
      `another restore into ${context.mux.describeServer()} is still running`,
      'wait for it to finish',
    );
  }
  try {
    const live = await captureServer(context, storeOptionNames);
    const store = new SaveStore(resolveSaveDirectory(context, live.options.get('@resurrect-dir')));
    const save = await store.load(saveName);
    const plan = planRestore(save.snapshot, live, {
      directoryExists: context.directoryExists,
      home: context.paths.home,
      bootstrapParkingName: `continuum-bootstrap-${process.pid}`,
    });
    for (const warning of plan.warnings) context.warn(warning);
    if (options.dryRun) {
      context.print(`restore plan for ${save.path} (${plan.actions.length} action(s)):`);
      for (const action of plan.actions) context.print(`  ${describeAction(action)}`);
      return;
    }
    const result = await applyPlan(context.mux, plan.actions);
    if (result.errors.length > 0) throw new PartialRestoreError(result.errors);
    if (options.quiet) return;
    if (plan.actions.length === 0) {
      context.print(`nothing to restore: every session and window in ${save.path} is already there`);
      return;
    }
    const created = plan.sessionsCreated.length;
    context.print(
      `restored ${created} session(s) and ${plan.windowsCreated} window(s) from ${save.path}` +
        (plan.replacedBootstrap === undefined
          ? ''
          : ` (replaced the new server's session "${plan.replacedBootstrap}")`),
    );
  } finally {
    await lease?.release();
  }
}
