import { access, constants } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join } from 'node:path';
import { ContinuumError } from '../../errors.js';
import { socketPathFor } from '../../mux/socket-path.js';
import { disableLaunchd, enableLaunchd, launchdPlistPath } from '../../platform/boot-launchd.js';
import {
  type BootReport,
  type BootSettings,
  type RunProgram,
  runProgram,
  startCommandFrom,
} from '../../platform/boot-service.js';
import { disableSystemd, enableSystemd, systemdLocation, systemdState } from '../../platform/boot-systemd.js';
import { disableScheduledTask, enableScheduledTask, scheduledTaskName } from '../../platform/boot-windows.js';
import { stateDirectory } from '../../platform/paths.js';
import type { CommandContext } from '../context.js';
import { cliInvocation, globalArgumentsFor } from './daemon-target.js';

export type BootAction = 'enable' | 'disable' | 'status';

/** The binary as an absolute path: login services start with a minimal PATH. */
async function absoluteBinary(
  binary: string,
  searchPath: string,
  platform: NodeJS.Platform,
): Promise<string> {
  if (isAbsolute(binary)) return binary;
  // Windows finds `psmux` as `psmux.exe` (PATHEXT); a Scheduled Task names the file itself.
  const names = platform === 'win32' && !/\.[A-Za-z]{3}$/.test(binary) ? [`${binary}.exe`, binary] : [binary];
  for (const directory of searchPath.split(delimiter)) {
    if (directory === '') continue;
    for (const name of names) {
      const candidate = join(directory, name);
      if (
        await access(candidate, constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return candidate;
    }
  }
  return binary;
}

/** Reads `@continuum-systemd-start-cmd` when the server runs; boot may be set up with none running. */
async function readStartCommand(context: CommandContext): Promise<string[]> {
  try {
    return startCommandFrom(await context.mux.run(['show-options', '-gqv', '@continuum-systemd-start-cmd']));
  } catch (error) {
    if (error instanceof ContinuumError) return startCommandFrom(undefined);
    throw error;
  }
}

/**
 * A login service has no TMUX_TMPDIR, so a server in tmux's default directory is named the way
 * tmux would find it there (`-L name`, or nothing for `default`), and any other one by its path.
 */
export function loginServerArguments(socketPath: string, given: readonly string[]): string[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  if (dirname(socketPath) !== join('/tmp', `tmux-${uid}`)) return given.length > 0 ? ['-S', socketPath] : [];
  const name = basename(socketPath);
  return name === 'default' ? [] : ['-L', name];
}

export async function bootSettingsFor(context: CommandContext): Promise<BootSettings> {
  const searchPath = context.paths.environment.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const global = globalArgumentsFor(context);
  const named = global[0] === '-L' || global[0] === '-S' ? 2 : 0;
  // psmux: the namespace as given (-L NAME, or none for the default one); it has no socket paths.
  const serverArguments =
    context.mux.dialect.identity === 'namespace'
      ? global.slice(0, named)
      : loginServerArguments(
          socketPathFor(context.mux.server, context.paths.environment),
          global.slice(0, named),
        );
  return {
    muxBinary: await absoluteBinary(context.mux.binary, searchPath, context.paths.platform),
    serverArguments,
    startCommand: await readStartCommand(context),
    cli: [...cliInvocation(), ...global.slice(named)],
    searchPath,
  };
}

/** `continuum boot enable|disable|status`: a detached tmux server at login, per platform. */
export async function runBoot(
  context: CommandContext,
  action: BootAction,
  run: RunProgram = runProgram,
): Promise<void> {
  const settings = await bootSettingsFor(context);
  const report = await applyBoot(context, settings, action, run);
  for (const line of report.done) context.print(line);
  // Disabling what was never enabled is fine, but silence would leave the user wondering.
  if (action === 'disable' && report.done.length === 0)
    context.print('start at login was not enabled: nothing to remove');
  for (const line of report.warnings) context.warn(line);
}

export async function applyBoot(
  context: CommandContext,
  settings: BootSettings,
  action: BootAction,
  run: RunProgram,
): Promise<BootReport> {
  const { platform, environment, home } = context.paths;
  if (platform === 'darwin') {
    if (action === 'enable') return enableLaunchd(home, settings, run);
    if (action === 'disable') return disableLaunchd(home, settings, run);
    const path = launchdPlistPath(home, settings);
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    return { done: [exists ? `enabled: ${path}` : 'not enabled'], warnings: [] };
  }
  if (platform === 'win32') {
    const directory = stateDirectory(context.paths);
    if (action === 'enable') {
      const user = environment.USERDOMAIN
        ? `${environment.USERDOMAIN}\\${userInfo().username}`
        : userInfo().username;
      return enableScheduledTask(directory, settings, user, run);
    }
    if (action === 'disable') return disableScheduledTask(directory, settings, run);
    const query = await run('schtasks', ['/Query', '/TN', scheduledTaskName(settings)]);
    return {
      done: [query?.code === 0 ? `enabled: task ${scheduledTaskName(settings)}` : 'not enabled'],
      warnings: [],
    };
  }
  const location = systemdLocation(environment, home);
  if (action === 'enable') return enableSystemd(settings, location, run);
  if (action === 'disable') return disableSystemd(settings, location, run);
  return { done: [(await systemdState(settings, location)).detail], warnings: [] };
}
