#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { ContinuumError, exitCodes } from '../errors.js';
import type { GlobalOptions } from './context.js';

declare const CONTINUUM_VERSION: string | undefined;

// `continuum list | head -1`: once the reader is gone, the rest of the output has nowhere to go.
// That is no error of ours: drop it quietly and let the command finish its work (a restore must
// not stop half-way because nobody reads its summary), instead of dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
const version = typeof CONTINUUM_VERSION === 'string' ? CONTINUUM_VERSION : '0.0.0-development';

/** Thrown from the -V listener so that parsing stops and the versions are printed instead. */
class VersionRequested extends Error {}

/** `continuum 1.2.3`, then `tmux 3.3a (dialect tmux)` or `psmux: not found`. */
async function printVersions(): Promise<void> {
  const raw = program.opts<{ mux?: string }>();
  const { selectMux } = await import('../mux/dialect-selection.js');
  const { muxVersionLine, versionLines } = await import('../mux/mux-version.js');
  const selection = selectMux(raw.mux, process.env, process.platform);
  const line = await muxVersionLine(selection.binary, process.env);
  for (const text of versionLines(version, selection.dialect.name, line)) process.stdout.write(`${text}\n`);
}

const program = new Command('continuum')
  .description('Save and restore tmux sessions, and keep them saved.')
  // Not Commander's .version(): the multiplexer's version is asked for too, which takes a process.
  .option('-V, --version', "print continuum's version and the multiplexer's")
  .on('option:version', () => {
    throw new VersionRequested();
  })
  .option('-L <socket-name>', 'talk to the tmux server on this socket name (as tmux -L)')
  .option('-S <socket-path>', 'talk to the tmux server on this socket path (as tmux -S)')
  .option(
    '--dir <directory>',
    'save directory (default: @resurrect-dir, else $XDG_DATA_HOME/continuum/saves)',
  )
  .addOption(new Option('--mux <binary>', 'the multiplexer binary').env('CONTINUUM_MUX'))
  // Commander's own errors read like continuum's: one line, `continuum:` first, the next step last.
  .configureOutput({
    outputError: (text, write) =>
      write(
        `continuum: ${text
          .trim()
          .replace(/^error: /, '')
          .replace(/\.$/, '')} — run \`continuum --help\` for usage\n`,
      ),
  })
  .exitOverride();

/** Each command's code is loaded only when it runs: a hook-invoked CLI must start fast. */
async function context() {
  const raw = program.opts<{ L?: string; S?: string; dir?: string; mux?: string }>();
  const options: GlobalOptions = { socketName: raw.L, socketPath: raw.S, dir: raw.dir, mux: raw.mux };
  const { createContext } = await import('./context.js');
  return createContext(options);
}

program
  .command('save')
  .description('snapshot every session, window and pane of the server')
  .option('-q, --quiet', 'print nothing on success')
  .action(async (options: { quiet?: boolean }) => {
    const { runSave } = await import('./commands/save.js');
    await runSave(await context(), options);
  });

const saveArgumentHelp = 'a number or a (unique prefix of a) name from `continuum list`, or a path';
const beforeOption = () =>
  new Option(
    '--before <time>',
    "this server's newest save before TIME: 2h, 90m, 3d, 18:00, yesterday 18:00, an ISO time",
  );
// No default list: commander would print `(default: [])` in the help.
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

program
  .command('restore')
  .description("bring back this server's newest save, or the one named")
  .argument('[save]', `${saveArgumentHelp} (default: the newest)`)
  .addOption(beforeOption())
  .option('-s, --session <name>', 'restore only this session of the save (repeatable)', collect)
  .option('-n, --dry-run', 'print the actions without touching tmux')
  .option('-q, --quiet', 'print nothing on success')
  .action(
    async (
      save: string | undefined,
      options: { dryRun?: boolean; quiet?: boolean; before?: string; session?: string[] },
    ) => {
      const { runRestore } = await import('./commands/restore.js');
      await runRestore(await context(), save, options);
    },
  );

program
  .command('list')
  .description("list this server's saves, newest first (* marks the one `restore` uses)")
  .option('-a, --all', 'list the saves of every server in the directory, each marked with its server')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean; all?: boolean }) => {
    const { runList } = await import('./commands/list.js');
    await runList(await context(), options);
  });

program
  .command('show')
  .description('show what a save holds')
  .argument('[save]', `${saveArgumentHelp} (default: this server's newest)`)
  .addOption(beforeOption())
  .option('--json', 'print the save itself')
  .action(async (save: string | undefined, options: { json?: boolean; before?: string }) => {
    const { runShow } = await import('./commands/show.js');
    await runShow(await context(), save, options);
  });

program
  .command('diff')
  .description(
    'what differs between a save and the server now, or between two saves (exit 1 when anything does)',
  )
  .argument('[save]', `${saveArgumentHelp} (default: the newest)`)
  .argument('[other]', 'a second save to compare with, instead of the server')
  .addOption(beforeOption())
  .option('--json', 'print JSON')
  .action(
    async (
      save: string | undefined,
      other: string | undefined,
      options: { json?: boolean; before?: string },
    ) => {
      const { runDiff } = await import('./commands/diff.js');
      // As `diff`: 0 when equal, 1 when different; failures keep their own codes (and print a line).
      if ((await runDiff(await context(), save, other, options)) === 'different') process.exitCode = 1;
    },
  );

program
  .command('delete')
  .description('delete saves with their pane contents (not the newest of an earlier server without --force)')
  .argument('[save...]', saveArgumentHelp)
  .addOption(beforeOption())
  .option('-f, --force', 'also delete the newest save of an earlier server lifetime')
  .action(async (saves: string[], options: { force?: boolean; before?: string }) => {
    const { runDelete } = await import('./commands/delete.js');
    await runDelete(await context(), saves, options);
  });

program
  .command('pick')
  .description(
    'choose a save to restore on the terminal: type to filter, arrows to move, Tab for its sessions, Enter to restore, Esc to leave (prefix + C-t in tmux)',
  )
  .addOption(
    new Option('--menu', 'write the tmux menu of the newest saves for the key (tmux before 3.2)').hideHelp(),
  )
  .action(async (options: { menu?: boolean }) => {
    if (options.menu) {
      const { runPickMenu } = await import('./commands/pick-menu.js');
      await runPickMenu(await context());
      return;
    }
    const { runPick } = await import('./commands/pick.js');
    await runPick(await context());
  });

program
  .command('import')
  .description(
    'bring tmux-resurrect saves (tmux_resurrect_*.txt or their directory: all of them) or a psmux-resurrect save along',
  )
  .argument(
    '<path>',
    'the save, the `last` file, or the directory (e.g. ~/.tmux/resurrect, ~/.psmux/resurrect)',
  )
  .option('-n, --dry-run', 'check and describe the save without writing anything')
  .action(async (path: string, options: { dryRun?: boolean }) => {
    const { runImport } = await import('./commands/import.js');
    await runImport(await context(), path, options);
  });

const daemon = program
  .command('daemon')
  .description('the auto-save daemon of the server: one per server, started by `continuum init`');

const pollOption = () =>
  new Option('--poll <milliseconds>', 'time between two looks at the server (default 5000)').env(
    'CONTINUUM_DAEMON_POLL_MS',
  );

daemon
  .command('start')
  .description('start the daemon in the background (does nothing if it runs already)')
  .addOption(pollOption())
  .action(async (options: { poll?: string }) => {
    const { runDaemonStart } = await import('./commands/daemon.js');
    await runDaemonStart(await context(), options);
  });

daemon
  .command('stop')
  .description('stop the daemon and wait until it is gone')
  .action(async () => {
    const { runDaemonStop } = await import('./commands/daemon.js');
    await runDaemonStop(await context());
  });

daemon
  .command('run')
  .description('run the daemon in the foreground (for service managers and debugging)')
  .addOption(pollOption())
  .action(async (options: { poll?: string }) => {
    const { runDaemonRun } = await import('./commands/daemon.js');
    await runDaemonRun(await context(), options, version);
  });

program
  .command('status')
  .description("ask the server's daemon how it is doing; fails when none runs")
  .option('--json', 'print JSON')
  .option('--short', 'a few words for the status line')
  .action(async (options: { json?: boolean; short?: boolean }) => {
    const { runStatus } = await import('./commands/status.js');
    await runStatus(await context(), options);
  });

program
  .command('doctor')
  .description(
    'check tmux, Node, the save directory, bindings and hook, the daemon, the newest save, boot (exit 1 when a check fails)',
  )
  .action(async () => {
    const { runDoctor } = await import('./commands/doctor.js');
    if ((await runDoctor(await context())) === 'failed') process.exitCode = exitCodes.failure;
  });

program
  .command('logs')
  .description("print the daemon's log")
  .option('-f, --follow', 'keep printing new lines until interrupted')
  .option('-n, --lines <count>', 'how many of the last lines to print (default 50)')
  .action(async (options: { follow?: boolean; lines?: string }) => {
    const { runLogs } = await import('./commands/logs.js');
    await runLogs(await context(), options);
  });

program
  .command('init')
  .description(
    "set up tmux: key bindings, the auto-restore hook, #{continuum_status}, the daemon (run from tmux's config)",
  )
  .option('-v, --verbose', 'say what was done (silent by default: run-shell output would open a pane)')
  .addOption(pollOption())
  .action(async (options: { verbose?: boolean; poll?: string }) => {
    const { runInit } = await import('./commands/init.js');
    await runInit(await context(), options);
  });

program
  .command('boot')
  .description('start a detached tmux server at login (systemd user unit, launchd agent, Scheduled Task)')
  .argument('<action>', 'enable, disable or status')
  .action(async (action: string) => {
    const { UsageError } = await import('../errors.js');
    if (action !== 'enable' && action !== 'disable' && action !== 'status')
      throw new UsageError(`unknown boot action "${action}"`, 'use `continuum boot enable|disable|status`');
    const { runBoot } = await import('./commands/boot.js');
    await runBoot(await context(), action);
  });

program
  .command('shell-init')
  .description(
    'print the shell integration for an rc file: eval "$(continuum shell-init bash)" (zsh alike), `continuum shell-init fish | source`, `continuum shell-init pwsh | Invoke-Expression`',
  )
  .argument('<shell>', 'bash, zsh, fish or pwsh')
  .action(async (shell: string) => {
    const { runShellInit } = await import('./commands/shell-init.js');
    // No tmux, no context: it runs at every shell start, also outside tmux.
    runShellInit({ print: (text) => void process.stdout.write(`${text}\n`) }, shell);
  });

program
  .command('hook', { hidden: true })
  .description('what tmux runs from the hooks and key bindings `continuum init` sets')
  .argument('<name>', 'session-created, save or restore')
  .argument('[save]', 'for restore: the save to restore (default: the newest)')
  .action(async (name: string, save: string | undefined) => {
    const { UsageError } = await import('../errors.js');
    if (name !== 'session-created' && name !== 'save' && name !== 'restore')
      throw new UsageError(`unknown hook "${name}"`, 'use session-created, save or restore');
    if (save !== undefined && name !== 'restore')
      throw new UsageError(`hook ${name} takes no save`, 'name a save only with `hook restore`');
    const { runHook } = await import('./commands/hook.js');
    await runHook(await context(), name, save);
  });

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; --help and --version end here too.
    return error.exitCode === 0 ? 0 : exitCodes.usage;
  }
  if (error instanceof ContinuumError) {
    process.stderr.write(`continuum: ${error.message}${error.hint ? ` — ${error.hint}` : ''}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `continuum: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` +
      'This is a bug in continuum: please report it with the command you ran and this output (see "Reporting a bug" in the README).\n',
  );
  return exitCodes.internal;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof VersionRequested) {
    try {
      await printVersions();
    } catch (versionError) {
      process.exitCode = report(versionError);
    }
  } else process.exitCode = report(error);
}
