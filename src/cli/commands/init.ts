import { DaemonLog } from '../../daemon/daemon-log.js';
import { UnsupportedMuxError } from '../../errors.js';
import { autoRestoreOnce } from '../../integration/auto-restore.js';
import { offerTmuxResurrectImportOnce } from '../../integration/import-offer.js';
import { boundKeys, installUnderLease } from '../../integration/init-install.js';
import { runProgram } from '../../platform/boot-service.js';
import { systemdLocation, systemdState } from '../../platform/boot-systemd.js';
import { optionalHome } from '../../platform/paths.js';
import { settingsFrom } from '../../settings/settings.js';
import type { CommandContext } from '../context.js';
import { applyBoot, bootSettingsFor } from './boot.js';
import { runDaemonStart } from './daemon.js';
import { cliInvocation, daemonFilesFor, globalArgumentsFor, pickMenuFileFor } from './daemon-target.js';
import { restoreFromTmux } from './hook.js';
import { readStoreOptions } from './store-options.js';

export interface InitCommandOptions {
  readonly verbose?: boolean;
  readonly poll?: string;
}

/**
 * What `run-shell 'continuum init'` in .tmux.conf (or the TPM entry) does: key bindings, the
 * auto-restore hook, the status-line variable, the daemon, start at login. Safe to run on every
 * config reload: nothing is duplicated and other plugins' hooks are kept. Prints nothing on
 * success, since run-shell output at config time would open a pane in view mode.
 */
export async function runInit(context: CommandContext, options: InitCommandOptions): Promise<void> {
  try {
    await initialise(context, options);
  } catch (error) {
    // init runs from tmux.conf, where nobody reads its stderr: on a tmux too old for continuum the
    // user sees this message in tmux instead of a continuum that silently does nothing.
    if (error instanceof UnsupportedMuxError) {
      const line = `continuum: ${error.message}`.replaceAll('#', '##');
      await context.mux.run(['display-message', line]).catch(() => '');
    }
    throw error;
  }
}

async function initialise(context: CommandContext, options: InitCommandOptions): Promise<void> {
  const say = options.verbose ? context.print : () => undefined;
  const files = daemonFilesFor(context);
  const values = await installUnderLease(
    context.mux,
    {
      cli: [...cliInvocation(), ...globalArgumentsFor(context)],
      recordedCli: cliInvocation(),
      pickMenuFile: pickMenuFileFor(context),
    },
    files,
  );
  const settings = settingsFrom(values);
  const keys = boundKeys(values);
  say(`bound ${keys.save} (save), ${keys.restore} (restore) and ${keys.pick} (choose a save to restore)`);

  // Before the daemon starts: its first save would hide that this server had none yet.
  await offerTmuxResurrectImportOnce({
    ...context,
    say,
    store: async () => {
      const storeOptions = await readStoreOptions(context);
      const store = await context.store(storeOptions);
      return { store, resurrectDir: settingsFrom(storeOptions).saveDirectory };
    },
  });

  const quiet: CommandContext = { ...context, print: say };
  await runDaemonStart(quiet, { ...(options.poll === undefined ? {} : { poll: options.poll }) });

  if (settings.boot) await enableBootOnce(context, say);

  // When init runs after the first session exists (a plugin manager running it with -b), the hook
  // fired before it was set: do its work now. The once-only claim makes a second run a no-op.
  const outcome = await autoRestoreOnce({
    mux: context.mux,
    log: new DaemonLog({ path: files.logPath, rotates: false }),
    home: optionalHome(context.paths),
    now: context.now,
    restore: async () => (await restoreFromTmux(context)).join('; ') || 'restored',
  });
  if (outcome.result !== 'skipped') say(`auto-restore: ${outcome.message}`);
}

async function enableBootOnce(context: CommandContext, say: (line: string) => void): Promise<void> {
  const settings = await bootSettingsFor(context);
  if (context.paths.platform === 'linux') {
    const state = await systemdState(
      settings,
      systemdLocation(context.paths.environment, context.paths.home),
    );
    if (state.enabled) return;
  }
  const report = await applyBoot(context, settings, 'enable', runProgram);
  for (const line of report.done) say(line);
  for (const line of report.warnings) context.warn(line);
}
