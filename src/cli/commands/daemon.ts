import type { ChildProcess } from 'node:child_process';
import {
  type DaemonStartOutcome,
  runDaemon,
  spawnDaemonProcess,
  startDaemon,
  stopDaemon,
} from '../../daemon/daemon-control.js';
import { DaemonLog } from '../../daemon/daemon-log.js';
import { BusyError, ContinuumError, exitCodes, UsageError } from '../../errors.js';
import { autoRestoreNamespaceOnce } from '../../integration/auto-restore.js';
import { optionalHome } from '../../platform/paths.js';
import { serverOptions } from '../../server/server-identity.js';
import { readSetting } from '../../settings/setting.js';
import { environmentSettings } from '../../settings/settings.js';
import { type CommandContext, serverIdentityOf } from '../context.js';
import { cliInvocation, continuumCommand, daemonFilesFor, globalArgumentsFor } from './daemon-target.js';
import { runRestore } from './restore.js';

export interface DaemonCommandOptions {
  readonly poll?: string;
}

export function pollMillisecondsFrom(value: string | undefined): number {
  const reading = readSetting(environmentSettings.daemonPoll, value);
  if (!reading.valid) {
    throw new UsageError(
      `--poll must be a whole number of milliseconds between 10 and 3600000, not "${value}"`,
      'leave it out for the default of 5000',
    );
  }
  return reading.value;
}

/** `daemon run` as a detached process of its own, with the same server and save directory as this one. */
function spawnDaemon(context: CommandContext, poll: number): ChildProcess {
  return spawnDaemonProcess(
    [...cliInvocation(), ...globalArgumentsFor(context)],
    poll,
    context.paths.environment,
  );
}

/** Starts the daemon (daemon-control.ts) and says which one answers. */
export async function runDaemonStart(context: CommandContext, options: DaemonCommandOptions): Promise<void> {
  const poll = pollMillisecondsFrom(options.poll);
  const files = daemonFilesFor(context);
  // Fails with a clear NoServerError when there is no server: a daemon for nothing would just exit.
  const lifetime = await context.mux.readServerLifetime();
  const outcome: DaemonStartOutcome = await startDaemon({ files, paths: context.paths }, lifetime, () =>
    spawnDaemon(context, poll),
  );
  if (outcome.kind === 'failed')
    throw new ContinuumError(
      `the daemon for ${files.socketPath} did not start${outcome.reason ? ` (${outcome.reason})` : ''}`,
      {
        exitCode: exitCodes.noDaemon,
        hint: `run \`${continuumCommand(context, 'daemon', 'run')}\` to see why, and read ${files.logPath}`,
      },
    );
  context.print(
    outcome.kind === 'started'
      ? `started the daemon for ${files.socketPath} (pid ${outcome.pid}); log: ${files.logPath}`
      : `the daemon for ${files.socketPath} is already running (pid ${outcome.pid})`,
  );
}

export async function runDaemonStop(context: CommandContext): Promise<void> {
  const files = daemonFilesFor(context);
  const outcome = await stopDaemon({ files, paths: context.paths });
  if (outcome.kind === 'none') {
    context.print(`no daemon is running for ${files.socketPath}`);
    return;
  }
  if (outcome.kind === 'unproven')
    throw new ContinuumError(
      `something answers on ${files.address} but does not prove it is your daemon (${outcome.reason}); nothing was stopped`,
      {
        exitCode: exitCodes.failure,
        hint: `its token file ${files.tokenPath} may be missing or stale: find the daemon with \`ps\` (\`continuum daemon\` in its title) and end it yourself`,
      },
    );
  context.print(`stopped the daemon for ${files.socketPath} (pid ${outcome.pid})`);
}

/** The daemon itself, in the foreground: for service managers, debugging, and what `start` spawns. */
export async function runDaemonRun(
  context: CommandContext,
  options: DaemonCommandOptions,
  version: string,
): Promise<void> {
  const poll = pollMillisecondsFrom(options.poll);
  const files = daemonFilesFor(context);
  // `ps` then shows which server each daemon watches (the issue's requirement, and a user's first question).
  // A server of tmux's own socket directory by its -L name (`continuum daemon -L work`), as the user
  // typed it, however the daemon was started (from tmux it gets the socket's path).
  process.title = `continuum daemon ${serverOptions(serverIdentityOf(context)).join(' ')}`;
  // In a terminal (debugging), the log also goes to stderr; spawned daemons have no stdio at all.
  const echo = process.stderr.isTTY ? (line: string) => void process.stderr.write(line) : undefined;
  const log = new DaemonLog({ path: files.logPath, rotates: true, ...(echo ? { echo } : {}) });
  const outcome = await runDaemon(
    {
      mux: context.mux,
      inspectPrograms: context.inspectPrograms,
      now: context.now,
      files,
      log,
      pollMilliseconds: poll,
      version,
      store: (options) => context.store(options),
      paths: context.paths,
      ...(context.mux.dialect.integration.autoRestore === 'daemon-lease'
        ? {
            onLeaseTaken: async () => {
              const outcome = await autoRestoreNamespaceOnce({
                mux: context.mux,
                log,
                home: optionalHome(context.paths),
                now: context.now,
                restore: async () => {
                  const lines: string[] = [];
                  const quiet = {
                    ...context,
                    print: (line: string) => lines.push(line),
                    warn: (line: string) => lines.push(line),
                  };
                  await runRestore(quiet, undefined, {});
                  return lines.join('; ') || 'restored';
                },
              });
              if (outcome.result === 'skipped') await log.info(`auto-restore skipped: ${outcome.reason}`);
            },
          }
        : {}),
    },
    () => spawnDaemon(context, poll),
  );
  if (outcome.result === 'already-running') {
    throw new BusyError(
      `a daemon for ${files.socketPath} is already running${outcome.pid ? ` (pid ${outcome.pid})` : ''}`,
      `see it with \`${continuumCommand(context, 'status')}\`; stop it with \`${continuumCommand(context, 'daemon', 'stop')}\``,
    );
  }
}
