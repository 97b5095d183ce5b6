#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { ContinuumError, exitCodes } from '../errors.js';
import type { GlobalOptions } from './context.js';

declare const CONTINUUM_VERSION: string | undefined;
const version = typeof CONTINUUM_VERSION === 'string' ? CONTINUUM_VERSION : '0.0.0-development';

const program = new Command('continuum')
  .description('Save and restore tmux sessions, and keep them saved.')
  .version(version, '-V, --version')
  .option('-L <socket-name>', 'talk to the tmux server on this socket name (as tmux -L)')
  .option('-S <socket-path>', 'talk to the tmux server on this socket path (as tmux -S)')
  .option(
    '--dir <directory>',
    'save directory (default: @resurrect-dir, else $XDG_DATA_HOME/continuum/saves)',
  )
  .addOption(new Option('--mux <binary>', 'the multiplexer binary').env('CONTINUUM_MUX'))
  .showHelpAfterError('(run `continuum --help` for usage)')
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

program
  .command('restore')
  .description('bring back the newest save, or the one named')
  .argument('[save]', 'a save name from `continuum list`, or a path')
  .option('-n, --dry-run', 'print the actions without touching tmux')
  .option('-q, --quiet', 'print nothing on success')
  .action(async (save: string | undefined, options: { dryRun?: boolean; quiet?: boolean }) => {
    const { runRestore } = await import('./commands/restore.js');
    await runRestore(await context(), save, options);
  });

program
  .command('list')
  .description('list the saves, newest first (* marks the one `restore` uses)')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const { runList } = await import('./commands/list.js');
    await runList(await context(), options);
  });

program
  .command('show')
  .description('show what a save holds')
  .argument('[save]', 'a save name from `continuum list`, or a path (default: the newest)')
  .option('--json', 'print the save itself')
  .action(async (save: string | undefined, options: { json?: boolean }) => {
    const { runShow } = await import('./commands/show.js');
    await runShow(await context(), save, options);
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
  process.exitCode = report(error);
}
