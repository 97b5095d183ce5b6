import type { DaemonFiles } from '../daemon/daemon-files.js';
import { BusyError } from '../errors.js';
import type { MuxClient } from '../mux/mux-client.js';
import { acquireLease, leaseKey } from '../platform/lease.js';
import { environmentNamesCommand, environmentOptionName } from '../shell/environment-names.js';
import {
  bindingCommand,
  clientAttachedHook,
  defaultPickKey,
  findInstalledHooks,
  newestEntry,
  pickBindingCommand,
  psmuxHookCommands,
  recordedCliOption,
  replaceStatusPlaceholder,
  sessionCreatedEntries,
  sessionCreatedHook,
  statusPlaceholder,
} from './tmux-integration.js';

/** What `init` wires into tmux: the command line the bindings and hooks run, and where. */
export interface InitWiring {
  /** This CLI with the options that select the server and save directory. */
  readonly cli: readonly string[];
  /** This CLI alone (node, script), recorded for `doctor`. */
  readonly recordedCli: readonly string[];
  /** Where `pick --menu` writes the menu the binding sources (tmux before 3.2). */
  readonly pickMenuFile: string;
}

/** The exact hook command init installed (to tell whether this CLI would install another one). */
const installedHookOption = '@continuum-installed-hook';
/**
 * The same hook as `show-hooks` printed it right after init appended it: show-hooks re-quotes
 * commands, so this is what identifies our entry among other plugins' hooks, exactly.
 */
const installedHookShownOption = '@continuum-installed-hook-shown';

const initFields = [
  '@resurrect-save',
  '@resurrect-restore',
  '@continuum-pick',
  // display-popup (the picker) needs tmux 3.2; older ones get a menu.
  'version',
  '@continuum-boot',
  installedHookOption,
  installedHookShownOption,
  'status-left',
  'status-right',
  environmentOptionName,
] as const;

/** The keys `init` bound, as the options chose them, for `init --verbose` to say. */
export function boundKeys(values: ReadonlyMap<string, string>): {
  readonly save: string;
  readonly restore: string;
  readonly pick: string;
} {
  return {
    save: values.get('@resurrect-save') || 'C-s',
    restore: values.get('@resurrect-restore') || 'C-r',
    pick: values.get('@continuum-pick') || defaultPickKey,
  };
}

/**
 * Bindings, the hook and the status line. Two inits at once (a config sourced twice in a row, TPM
 * and a manual line) would both see no hook of ours and both append one: reading and writing the
 * hooks happens under a lease. Returns the options read.
 */
export async function installUnderLease(
  mux: MuxClient,
  wiring: InitWiring,
  files: DaemonFiles,
): Promise<ReadonlyMap<string, string>> {
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
  try {
    return await installIntoTmux(mux, wiring);
  } finally {
    await lease.release();
  }
}

/** Bindings, the hook and the status line, in one read and one write of tmux. Returns the options read. */
async function installIntoTmux(mux: MuxClient, wiring: InitWiring): Promise<ReadonlyMap<string, string>> {
  const { cli } = wiring;
  const values = await mux.readGlobalOptions(initFields);
  const value = (name: string): string => values.get(name) ?? '';
  const { dialect } = mux;
  // tmux: session-created (auto-restore, and the daemon); psmux: client-attached (the daemon,
  // which auto-restores the namespace once): see MuxDialect.integration.
  const hookName = dialect.integration.hook;

  const commands: string[][] = [
    bindingCommand(value('@resurrect-save') || 'C-s', cli, 'save', dialect.runShellCommand),
    bindingCommand(value('@resurrect-restore') || 'C-r', cli, 'restore', dialect.runShellCommand),
    pickBindingCommand(
      value('@continuum-pick') || defaultPickKey,
      cli,
      value('version'),
      wiring.pickMenuFile,
      dialect,
    ),
    // For `continuum shell-init`: the names of the variables the panes' shells record.
    environmentNamesCommand(value(environmentOptionName)),
    // What the hooks and bindings run, for `doctor` to check the server can run it.
    ['set-option', '-g', recordedCliOption, JSON.stringify(wiring.recordedCli)],
  ];
  for (const name of ['status-left', 'status-right'] as const) {
    if (value(name).includes(statusPlaceholder))
      commands.push(['set-option', '-g', name, replaceStatusPlaceholder(value(name))]);
  }
  if (hookName === 'client-attached') {
    const hook = clientAttachedHook(cli, dialect.runShellCommand);
    await mux.runCommands(commands);
    const previous = { installed: value(installedHookOption), shown: value(installedHookShownOption) };
    const shown = await installPsmuxHook(mux, hookName, hook, previous);
    if (value(installedHookOption) !== hook) await mux.run(['set-option', '-g', installedHookOption, hook]);
    if (shown !== '' && value(installedHookShownOption) !== shown)
      await mux.run(['set-option', '-g', installedHookShownOption, shown]);
    return values;
  }
  const entries = sessionCreatedEntries(await mux.run(dialect.listHooksCommand(hookName)), hookName);
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
    await mux.runCommands(commands);
    return values;
  }
  // Read back in the same invocation as the append, so the newest entry is the one just added
  // (no other client's command runs in between), and remember it as tmux shows it.
  commands.push(dialect.listHooksCommand(hookName));
  const installed = newestEntry(sessionCreatedEntries(await mux.runCommands(commands), hookName));
  if (installed) await mux.run(['set-option', '-g', installedHookShownOption, installed.command]);
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
