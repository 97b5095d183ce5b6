import { join } from 'node:path';
import { BusyError, PartialRestoreError } from '../../errors.js';
import { runHookFromOptions } from '../../hooks/run-hook.js';
import { plural } from '../../human-text.js';
import { socketPathFor } from '../../mux/socket-path.js';
import { acquireLease, leaseDirectory, leaseKey } from '../../platform/lease.js';
import { stateDirectory } from '../../platform/paths.js';
import { describeAction } from '../../restore/actions.js';
import { applyPlan } from '../../restore/apply.js';
import { planRestore } from '../../restore/plan.js';
import {
  planPrograms,
  preparePaneContents,
  restoreExtraOptionNames,
} from '../../restore/programs-and-contents.js';
import { captureServer } from '../../snapshot/capture.js';
import type { PaneSnapshot } from '../../snapshot/schema.js';
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
        runtimeDirectory: leaseDirectory(context.paths),
        timeoutMilliseconds: 30_000,
      });
  if (!options.dryRun && !lease) {
    throw new BusyError(
      `another restore into ${context.mux.describeServer()} is still running`,
      'wait for it to finish',
    );
  }
  try {
    const live = await captureServer(context, [...storeOptionNames, ...restoreExtraOptionNames]);
    for (const line of live.warnings) context.warn(line);
    const store = new SaveStore(resolveSaveDirectory(context, live.options.get('@resurrect-dir')));
    const save = await store.load(saveName);
    const copies = await preparePaneContents(
      save,
      live.options,
      join(stateDirectory(context.paths), 'pane-contents'),
      context.warn,
    );
    const plan = planRestore(save.snapshot, live, {
      directoryExists: context.directoryExists,
      home: context.paths.home,
      bootstrapParkingName: `continuum-bootstrap-${process.pid}`,
      temporarySessionPrefix: `continuum-restoring-${process.pid}`,
      ...(copies ? { paneLaunch: (pane: PaneSnapshot) => copies.launchFor(pane.id) } : {}),
    });
    const programs = await planPrograms(context.mux, plan.panesCreated, live.options);
    // Not save.warnings: they are about saved layouts, which the plan reports itself, once, for the
    // windows it creates and says what it does instead; an existing window keeps its own layout.
    for (const warning of [...plan.warnings, ...programs.warnings]) context.warn(warning);
    const allActions = [...plan.actions, ...programs.actions, ...plan.finalActions];
    if (options.dryRun) {
      context.print(`restore plan for ${save.path} (${plural(allActions.length, 'action')}):`);
      for (const action of allActions) context.print(`  ${describeAction(action)}`);
      return;
    }
    const hook = { savePath: save.path, warn: context.warn };
    await runHookFromOptions('pre-restore-all', live.options, hook);
    await copies?.write();
    // With a pre-restore-pane-processes hook, programs start in a second batch after it ran.
    const splitForHook = (live.options.get('@resurrect-hook-pre-restore-pane-processes') ?? '').trim() !== '';
    const result = await applyPlan(context.mux, splitForHook ? plan.actions : allActions);
    const errors = [...result.errors];
    if (splitForHook) {
      await runHookFromOptions('pre-restore-pane-processes', live.options, hook);
      errors.push(...(await applyPlan(context.mux, [...programs.actions, ...plan.finalActions])).errors);
    }
    await runHookFromOptions('post-restore-all', live.options, hook);
    if (errors.length > 0) throw new PartialRestoreError(errors);
    if (options.quiet) return;
    if (plan.actions.length === 0) {
      context.print(`nothing to restore: every session and window in ${save.path} is already there`);
      return;
    }
    const created = plan.sessionsCreated.length;
    context.print(
      `restored ${plural(created, 'session')} and ${plural(plan.windowsCreated, 'window')} from ${save.path}` +
        (plan.replacedBootstrap === undefined
          ? ''
          : ` (replaced the new server's session "${plan.replacedBootstrap}")`),
    );
  } finally {
    await lease?.release();
  }
}
