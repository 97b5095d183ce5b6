import { autoRestoreOnce } from '../../daemon/auto-restore.js';
import { resolveFailedAutoRestore } from '../../daemon/auto-restore-result.js';
import { DaemonLog } from '../../daemon/daemon-log.js';
import { ContinuumError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { daemonFilesFor } from './daemon-target.js';
import { runRestore } from './restore.js';
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
 * What tmux runs from the hooks and key bindings `continuum init` sets (`restore` also from the
 * items of the picker's menu, with the save chosen). Nothing goes to stdout
 * (run-shell would show it in the pane); results go to display-message and the daemon's log.
 */
export async function runHook(context: CommandContext, name: HookName, saveName?: string): Promise<void> {
  const files = daemonFilesFor(context);
  const log = new DaemonLog({ path: files.logPath, rotates: false });
  if (name === 'session-created') {
    await autoRestoreOnce({
      mux: context.mux,
      log,
      home: context.paths.home,
      now: context.now,
      restore: async () => {
        const quiet = collecting(context);
        await runRestore(quiet.context, undefined, {});
        return quiet.lines.join('; ') || 'restored';
      },
    });
    return;
  }
  const quiet = collecting(context);
  let message: string;
  try {
    if (name === 'save') await runSave(quiet.context, {});
    else {
      // A save named by the picker's menu (tmux older than 3.2), else the newest.
      await runRestore(quiet.context, saveName, {});
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
  // No client to show it to (a detached server) is no failure of the save itself.
  await context.mux.run(['display-message', message.replaceAll('#', '##')]).catch(() => '');
}
