import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { settingValue } from '../settings/setting.js';
import { optionSettings } from '../settings/settings.js';

/**
 * What "start at login" starts: a detached tmux server on the user's socket, running
 * `@continuum-systemd-start-cmd` (default `new-session -d`). Its config runs `continuum init`,
 * whose session-created hook then auto-restores, so boot needs nothing of its own for that.
 */
export interface BootSettings {
  /** Absolute path of the multiplexer binary (login services do not get the shell's PATH). */
  readonly muxBinary: string;
  /** `-L name` / `-S path`, or nothing for the default socket. */
  readonly serverArguments: readonly string[];
  /** The tmux command that starts the server, split into arguments. */
  readonly startCommand: readonly string[];
  /** The CLI (node + script), for the save run when the session ends. */
  readonly cli: readonly string[];
  /** The PATH given to the service, so tmux finds the shell and the hooks find node. */
  readonly searchPath: string;
}

/** A program the boot code runs (systemctl, launchctl, schtasks); injectable for tests. */
export type RunProgram = (
  program: string,
  args: readonly string[],
) => Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string } | undefined>;

/** Runs a program with an argument array; undefined when it is not installed. */
export const runProgram: RunProgram = (program, args) => runProgramIn(undefined)(program, args);

/**
 * runProgram in a given environment (undefined: this process's). systemd's tools write into
 * `$XDG_RUNTIME_DIR/systemd`: a test gives them a runtime directory of its own.
 */
export const runProgramIn =
  (environment: NodeJS.ProcessEnv | undefined): RunProgram =>
  (program, args) =>
    new Promise((resolve) => {
      const options = {
        encoding: 'utf8' as const,
        timeout: 30_000,
        ...(environment ? { env: environment } : {}),
      };
      execFile(program, [...args], options, (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          resolve(undefined);
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });

/**
 * A name for the service that tells servers apart: `continuum-tmux` for the default socket,
 * `continuum-tmux-work` for `-L work`, a short hash for a socket path.
 */
export function bootServiceName(serverArguments: readonly string[]): string {
  const [flag, value] = serverArguments;
  if (flag === '-L' && value && /^[A-Za-z0-9_.-]{1,40}$/.test(value)) return `continuum-tmux-${value}`;
  if (flag && value) {
    return `continuum-tmux-${createHash('sha256').update(`${flag} ${value}`).digest('hex').slice(0, 10)}`;
  }
  return 'continuum-tmux';
}

/** Splits `@continuum-systemd-start-cmd` (tmux-continuum's option) into arguments; default `new-session -d`. */
export function startCommandFrom(option: string | undefined): string[] {
  return [...settingValue(optionSettings.systemdStartCommand, option)];
}

export interface BootState {
  readonly enabled: boolean;
  readonly files: readonly string[];
  readonly detail: string;
}

/** The outcome of enable/disable: what was done, and what could not be checked or done. */
export interface BootReport {
  readonly done: readonly string[];
  readonly warnings: readonly string[];
}
