import { resolveFailedAutoRestore } from '../../daemon/auto-restore-result.js';
import { DaemonLog } from '../../daemon/daemon-log.js';
import { ContinuumError, PartialRestoreError } from '../../errors.js';
import { autoRestoreOnce } from '../../integration/auto-restore.js';
import { statusLineReporter } from '../../integration/restore-status.js';
import { optionalHome } from '../../platform/paths.js';
import { restoreWorkflow } from '../../restore/restore-workflow.js';
import type { CommandContext } from '../context.js';
import { selectSave } from '../save-argument.js';
import { daemonFilesFor } from './daemon-target.js';
import { restoreDependencies, summaryLines } from './restore.js';
import { runSave } from './save.js';

export type HookName = 'session-created' | 'save' | 'restore';

/** A context whose printed lines are collected instead of written: tmux gets them as one message. */
function collecting(context: CommandContext): { context: CommandContext; lines: string[] } {
  const lines: string[] = [];
  return {
    context: { ...context, print: (line) => lines.push(line), warn: (line) => lines.push(line) },
    lines,
  };
}

/**
 * A restore run from tmux: its progress in the status line (`#{continuum_status}`), its warnings
 * and summary as lines for one message. Throws as the command would (a partial restore included).
 */
export async function restoreFromTmux(context: CommandContext, saveName?: string): Promise<string[]> {
  const save = selectSave(saveName, undefined, context.now());
  const status = await statusLineReporter(context.mux);
  try {
    const outcome = await restoreWorkflow(restoreDependencies(context), { save, progress: status.report });
    if (outcome.kind === 'planned' || outcome.kind === 'unknown-sessions') return [];
    if (outcome.kind === 'restored' && outcome.failures.length > 0)
      throw new PartialRestoreError(outcome.failures);
    return [...outcome.warnings, ...summaryLines(context, outcome)];
  } finally {
    await status.finish();
  }
}

/** No client to show it to (a detached server) is no failure of the command itself. */
async function showMessage(context: CommandContext, message: string): Promise<void> {
  await context.mux.run(['display-message', context.mux.dialect.messageText(message)]).catch(() => '');
}

/**
 * What tmux runs from the hooks and key bindings `continuum init` sets (`restore` also from the
 * items of the picker's menu, with the save chosen). Nothing goes to stdout
 * (run-shell would show it in the pane); results go to display-message and the daemon's log.
 */
export async function runHook(context: CommandContext, name: HookName, saveName?: string): Promise<void> {
  const files = daemonFilesFor(context);
  const log = new DaemonLog({ path: files.logPath, rotates: false });
  if (name === 'session-created') {
    const outcome = await autoRestoreOnce({
      mux: context.mux,
      log,
      home: optionalHome(context.paths),
      now: context.now,
      restore: async () => {
        const lines = await restoreFromTmux(context);
        // The user who just opened tmux sees what came back (or what failed, from the outcome).
        if (lines.length > 0) await showMessage(context, `continuum: ${lines.at(-1)}`);
        return lines.join('; ') || 'restored';
      },
    });
    if (outcome.result === 'failed')
      await showMessage(context, `continuum: auto-restore FAILED: ${outcome.message}`);
    return;
  }
  const quiet = collecting(context);
  let message: string;
  try {
    if (name === 'save') await runSave(quiet.context, {});
    else {
      // A save named by the picker's menu (tmux older than 3.2), else the newest.
      quiet.lines.push(...(await restoreFromTmux(context, saveName)));
      // A failed auto-restore pauses the daemon until the user restores: this is that restore.
      await resolveFailedAutoRestore(context.mux);
    }
    message = `continuum: ${quiet.lines.at(-1) ?? `${name} done`}`;
    await log.info(`${name} from the key binding: ${quiet.lines.join('; ')}`);
  } catch (error) {
    const text =
      error instanceof ContinuumError
        ? `${error.message}${error.hint ? ` — ${error.hint}` : ''}`
        : error instanceof Error
          ? error.message
          : String(error);
    message = `continuum: ${name} FAILED: ${text}`;
    await log.error(`${name} from the key binding failed: ${text}`);
  }
  await showMessage(context, message);
}
