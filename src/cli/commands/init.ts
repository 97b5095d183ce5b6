import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DaemonLog } from '../../daemon/daemon-log.js';
import { BusyError, UnsupportedMuxError } from '../../errors.js';
import { ensurePrivateDirectory, writeFileAtomically } from '../../files/atomic-write.js';
import {
  findTmuxResurrectSaveDirectory,
  tmuxResurrectDirectories,
  tmuxResurrectImportHint,
} from '../../import/tmux-resurrect-directories.js';
import { autoRestoreOnce } from '../../integration/auto-restore.js';
import {
  bindingCommand,
  clientAttachedHook,
  findInstalledHooks,
  newestEntry,
  pickBindingCommand,
  psmuxHookCommands,
  replaceStatusPlaceholder,
  sessionCreatedEntries,
  sessionCreatedHook,
  statusPlaceholder,
} from '../../integration/tmux-integration.js';
import type { MuxClient } from '../../mux/mux-client.js';
import { queryFields } from '../../mux/query-fields.js';
import { runProgram } from '../../platform/boot-service.js';
import { systemdLocation, systemdState } from '../../platform/boot-systemd.js';
import { acquireLease, leaseKey } from '../../platform/lease.js';
import { optionalHome, stateDirectory } from '../../platform/paths.js';
import { optionNamesOf, settingsFrom, stateSettings } from '../../settings/settings.js';
import { environmentNamesCommand } from '../../shell/environment-names.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { applyBoot, bootSettingsFor } from './boot.js';
import { runDaemonStart } from './daemon.js';
import {
  cliInvocation,
  daemonFilesFor,
  globalArgumentsFor,
  pickMenuFileFor,
  recordedCliOption,
} from './daemon-target.js';
import { restoreFromTmux } from './hook.js';
import { readStoreSettings } from './store-options.js';

export interface InitCommandOptions {
  readonly verbose?: boolean;
  readonly poll?: string;
}

/** The exact hook command init installed (to tell whether this CLI would install another one). */
const installedHookOption = stateSettings.installedHook.name;
/**
 * The same hook as `show-hooks` printed it right after init appended it: show-hooks re-quotes
 * commands, so this is what identifies our entry among other plugins' hooks, exactly.
 */
const installedHookShownOption = stateSettings.installedHookShown.name;

const initFields = [
  ...optionNamesOf(['saveKey', 'restoreKey', 'pickKey', 'boot', 'environment']),
  // display-popup (the picker) needs tmux 3.2; older ones get a menu.
  'version',
  installedHookOption,
  installedHookShownOption,
  'status-left',
  'status-right',
];

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
  const cli = [...cliInvocation(), ...globalArgumentsFor(context)];
  // Two inits at once (a config sourced twice in a row, TPM and a manual line) would both see no
  // hook of ours and both append one: reading and writing the hooks happens under a lease.
  const files = daemonFilesFor(context);
  const lease = await acquireLease(leaseKey('init', files.socketPath), {
    ...files.leaseOptions,
    timeoutMilliseconds: 10_000,
  });
  if (!lease) {
    throw new BusyError(
      `another \`continuum init\` for ${files.socketPath} is still running`,
      'wait for it and run this again',
    );
  }
  let values: ReadonlyMap<string, string>;
  try {
    values = await installIntoTmux(context, cli);
  } finally {
    await lease.release();
  }
  const settings = settingsFrom(values);
  say(
    `bound ${settings.saveKey} (save), ${settings.restoreKey} (restore) ` +
      `and ${settings.pickKey} (choose a save to restore)`,
  );

  // Before the daemon starts: its first save would hide that this server had none yet.
  await offerTmuxResurrectImportOnce(context, say);

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

/**
 * A tmux-resurrect user who switches finds "no save" on their first restore although their old
 * saves are on disk: init tells them once, in a tmux message, how to bring them along. A file in
 * the state directory remembers the offer (per user: it is the same saves for every server), and
 * is written only once the message was shown.
 */
async function offerTmuxResurrectImportOnce(
  context: CommandContext,
  say: (line: string) => void,
): Promise<void> {
  const marker = join(stateDirectory(context.paths), 'tmux-resurrect-import-offered');
  if (
    await stat(marker).then(
      () => true,
      () => false,
    )
  )
    return;
  const resurrectDir = (await readStoreSettings(context)).saveDirectory;
  const store = new SaveStore(resolveSaveDirectory(context, resurrectDir), serverIdentityOf(context));
  if ((await store.newestSaveName()) !== undefined) return;
  const found = await findTmuxResurrectSaveDirectory(tmuxResurrectDirectories(context.paths, resurrectDir));
  if (!found) return;
  const hint = `continuum: ${tmuxResurrectImportHint(found)}`;
  say(hint);
  // With no client (init at server start), display-message shows nothing and does not fail:
  // offer it on the next init instead.
  const clients = await queryFields(context.mux, (format) => ['list-clients', '-F', format], [
    'client_name',
  ]).catch(() => []);
  if (clients.length === 0) return;
  await context.mux.run(['display-message', '-d', '10000', context.mux.dialect.messageText(hint)]);
  await ensurePrivateDirectory(dirname(marker));
  await writeFileAtomically(marker, `${context.now().toISOString()} ${found}\n`);
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

/** Bindings, the hook and the status line, in one read and one write of tmux. Returns the options read. */
async function installIntoTmux(
  context: CommandContext,
  cli: readonly string[],
): Promise<ReadonlyMap<string, string>> {
  const values = await context.mux.readGlobalOptions(initFields);
  const value = (name: string): string => values.get(name) ?? '';
  const settings = settingsFrom(values);
  const { dialect } = context.mux;
  // tmux: session-created (auto-restore, and the daemon); psmux: client-attached (the daemon,
  // which auto-restores the namespace once): see MuxDialect.integration.
  const hookName = dialect.integration.hook;

  const commands: string[][] = [
    bindingCommand(settings.saveKey, cli, 'save', dialect.runShellCommand),
    bindingCommand(settings.restoreKey, cli, 'restore', dialect.runShellCommand),
    pickBindingCommand(settings.pickKey, cli, value('version'), pickMenuFileFor(context), dialect),
    // For `continuum shell-init`: the names of the variables the panes' shells record.
    environmentNamesCommand(settings.environment),
    // What the hooks and bindings run, for `doctor` to check the server can run it.
    ['set-option', '-g', recordedCliOption, JSON.stringify(cliInvocation())],
  ];
  for (const name of ['status-left', 'status-right'] as const) {
    if (value(name).includes(statusPlaceholder))
      commands.push(['set-option', '-g', name, replaceStatusPlaceholder(value(name))]);
  }
  if (hookName === 'client-attached') {
    const hook = clientAttachedHook(cli, dialect.runShellCommand);
    await context.mux.runCommands(commands);
    const previous = { installed: value(installedHookOption), shown: value(installedHookShownOption) };
    const shown = await installPsmuxHook(context.mux, hookName, hook, previous);
    if (value(installedHookOption) !== hook)
      await context.mux.run(['set-option', '-g', installedHookOption, hook]);
    if (shown !== '' && value(installedHookShownOption) !== shown)
      await context.mux.run(['set-option', '-g', installedHookShownOption, shown]);
    return values;
  }
  const entries = sessionCreatedEntries(await context.mux.run(dialect.listHooksCommand(hookName)), hookName);
  const hook = sessionCreatedHook(cli);
  // Only the entry init recorded is ours; any other hook, whatever it says, belongs to someone else.
  const ours = findInstalledHooks(entries, value(installedHookShownOption));
  const reinstall = !(ours.length === 1 && value(installedHookOption) === hook);
  if (reinstall) {
    // Highest index first, so the indexes of the ones still to remove do not shift.
    for (const entry of [...ours].sort((a, b) => b.index - a.index))
      commands.push(['set-hook', '-gu', `${hookName}[${entry.index}]`]);
    // -a appends: other plugins' hooks stay (tmux-continuum's `set-hook -g` removed them).
    commands.push(['set-hook', '-ga', hookName, hook]);
    commands.push(['set-option', '-g', installedHookOption, hook]);
  }
  if (!reinstall) {
    await context.mux.runCommands(commands);
    return values;
  }
  // Read back in the same invocation as the append, so the newest entry is the one just added
  // (no other client's command runs in between), and remember it as tmux shows it.
  commands.push(dialect.listHooksCommand(hookName));
  const installed = newestEntry(sessionCreatedEntries(await context.mux.runCommands(commands), hookName));
  if (installed) await context.mux.run(['set-option', '-g', installedHookShownOption, installed.command]);
  return values;
}

/**
 * psmux's hook, session by session: each psmux session is a server with its own hooks, and psmux
 * can only drop a hook name with all its entries (`set-hook -gu NAME`; `NAME[i]` names nothing,
 * server/connection.rs). So when an entry of ours is missing, doubled or out of date, the name is
 * cleared and the user's own entries are appended again before ours: exactly one of ours, theirs
 * kept, whatever number of inits ran.
 */
export async function installPsmuxHook(
  mux: MuxClient,
  hookName: string,
  hook: string,
  previous: { readonly installed: string; readonly shown: string },
): Promise<string> {
  const sessions = (await mux.run(['list-sessions', '-F', '#{session_name}']))
    .split('\n')
    .filter((line) => line !== '');
  let shown = '';
  for (const session of sessions) {
    const target = ['-t', `${session}:`];
    const read = async () =>
      sessionCreatedEntries(await mux.run(['show-hooks', '-g', ...target, hookName]), hookName);
    const commands = psmuxHookCommands(await read(), hookName, hook, previous);
    for (const command of commands) await mux.run([command[0]!, ...target, ...command.slice(1)]);
    // Ours is the last entry: as the multiplexer prints it, to be recognised by the next init.
    if (commands.length > 0 || shown === '') shown = (await read()).at(-1)?.command ?? shown;
  }
  return shown;
}
