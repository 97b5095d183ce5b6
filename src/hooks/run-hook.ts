import { spawn } from 'node:child_process';
import { settingValue } from '../settings/setting.js';
import { environmentSettings } from '../settings/settings.js';

/** The hook points tmux-resurrect offers, under its option names (`@resurrect-hook-<point>`). */
export const hookPoints = [
  'post-save-layout',
  'post-save-all',
  'pre-restore-all',
  'pre-restore-pane-processes',
  'post-restore-all',
] as const;

export type HookPoint = (typeof hookPoints)[number];

export const hookOptionName = (point: HookPoint): string => `@resurrect-hook-${point}`;

/** Every hook option, read in the same tmux invocation as the capture. */
export const hookOptionNames: readonly string[] = hookPoints.map(hookOptionName);

/** How a hook that did not succeed ended, for the warning and for callers that need the reason. */
export type HookEnding =
  | { readonly kind: 'not-started'; readonly message: string }
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signalled'; readonly signal: NodeJS.Signals }
  /** Still running at the time limit; `signal` is what finally stopped it (SIGKILL: it ignored SIGTERM). */
  | { readonly kind: 'timed-out'; readonly seconds: number; readonly signal: 'SIGTERM' | 'SIGKILL' };

export type HookOutcome =
  | { readonly result: 'not-set' }
  | { readonly result: 'ran' }
  | { readonly result: 'failed'; readonly ending: HookEnding; readonly warning: string };

export interface HookRun {
  /** The user's command, as written in the option. */
  readonly command: string;
  /**
   * The positional parameters the command sees (`$1`…): tmux-resurrect gives post-save-layout the
   * save file as `$1`. They are never appended to the command text.
   */
  readonly arguments: readonly string[];
  /** The save in question, also in `CONTINUUM_SAVE_FILE` for every hook. */
  readonly savePath: string | undefined;
  readonly environment?: NodeJS.ProcessEnv;
  /** A hook still running after this long is sent SIGTERM (with everything it started). */
  readonly timeoutMilliseconds?: number;
  /** A hook still running this long after SIGTERM is sent SIGKILL. */
  readonly graceMilliseconds?: number;
  /** Injected by tests; the running platform otherwise. */
  readonly platform?: NodeJS.Platform;
}

/** How a hook's command is started: the program, its arguments and what spawn needs besides. */
export interface HookProcess {
  readonly file: string;
  readonly args: readonly string[];
  /** Own process group on Unix (a time limit stops all it started); a tree kill on Windows. */
  readonly detached: boolean;
  /** cmd.exe reads its command line itself: Node must not quote it again. */
  readonly windowsVerbatimArguments: boolean;
}

/** On Windows, `CONTINUUM_HOOK_SHELL` picks the shell: powershell (default), pwsh or cmd. */
export const hookShellVariable = environmentSettings.hookShell.name;

/**
 * Pure: how a hook's command runs on a platform. The command text is passed as the user wrote
 * it, and nothing is added to it: the save path is data, in `CONTINUUM_SAVE_FILE` everywhere and
 * as `$1` for /bin/sh. Windows has no /bin/sh: psmux users write their hooks for PowerShell (the
 * psmux-resurrect hooks run there), so PowerShell runs them, with the text as `-EncodedCommand`
 * (UTF-16LE, base64): Windows PowerShell 5.1 re-parses a `-Command` argument and drops or
 * misreads the `"` in it, and anything after `-Command` would be spliced into the text. PowerShell
 * reads the save path as `$env:CONTINUUM_SAVE_FILE`; `cmd` (`cmd /d /s /c`) as
 * `%CONTINUUM_SAVE_FILE%`, with /d so no AutoRun command runs first.
 */
export function hookProcess(
  point: HookPoint,
  command: string,
  positional: readonly string[],
  platform: NodeJS.Platform,
  environment: NodeJS.ProcessEnv,
): HookProcess {
  if (platform !== 'win32')
    return {
      file: '/bin/sh',
      args: ['-c', command, `continuum-hook-${point}`, ...positional],
      detached: true,
      windowsVerbatimArguments: false,
    };
  const shell = settingValue(environmentSettings.hookShell, environment[hookShellVariable]);
  if (shell === 'cmd')
    return {
      file: environment.ComSpec || 'cmd.exe',
      args: ['/d', '/s', '/c', `"${command}"`],
      detached: false,
      windowsVerbatimArguments: true,
    };
  return {
    file: shell === 'pwsh' ? 'pwsh.exe' : 'powershell.exe',
    args: [
      '-NoProfile',
      '-NonInteractive',
      '-EncodedCommand',
      Buffer.from(command, 'utf16le').toString('base64'),
    ],
    detached: false,
    windowsVerbatimArguments: false,
  };
}

export const defaultHookTimeoutMilliseconds = environmentSettings.hookTimeout.defaultValue;
const defaultGraceMilliseconds = 5_000;
/** After the hook's shell exited, how long its error output may take to reach end of file. */
const drainMilliseconds = 1_000;

/** The environment variable that shortens (or lengthens) the hook time limit, in milliseconds. */
export const hookTimeoutVariable = environmentSettings.hookTimeout.name;

/** Pure: the time limit `CONTINUUM_HOOK_TIMEOUT_MS` asks for, or the default of 60 s. */
export function hookTimeoutFrom(environment: NodeJS.ProcessEnv): number {
  return settingValue(environmentSettings.hookTimeout, environment[hookTimeoutVariable]);
}

/**
 * Runs a user's hook. The option holds a shell command the user wrote, so it goes to `/bin/sh -c`
 * as written, and nothing is added to that text: the save path is data and arrives only as a
 * positional parameter (`$1`, for post-save-layout) and in `CONTINUUM_SAVE_FILE`. Appending
 * `"$@"` (as the text once was) made a command ending in `;`, `&`, `|` or a newline run the save
 * file as a program.
 *
 * The hook runs in its own process group, so a time limit stops everything it started: SIGTERM
 * to the group at the limit, SIGKILL after a grace period if the shell is still there. Only that
 * group is ever signalled, and only until its leader (our child) has been seen to exit: until
 * then the leader holds the group id, so it cannot name another program's group. A program still
 * running after the shell exited (left in the background, or one that outlived SIGTERM while its
 * shell did not) is therefore not signalled; the hook's result does not wait for it.
 * A failing hook is reported, never fatal: a broken hook must not cost a save or a restore.
 */
export async function runHook(point: HookPoint, run: HookRun): Promise<HookOutcome> {
  if (run.command.trim() === '') return { result: 'not-set' };
  const environment: NodeJS.ProcessEnv = { ...(run.environment ?? process.env) };
  if (run.savePath !== undefined) environment.CONTINUUM_SAVE_FILE = run.savePath;
  environment.CONTINUUM_HOOK = point;
  const timeout = run.timeoutMilliseconds ?? defaultHookTimeoutMilliseconds;
  const grace = run.graceMilliseconds ?? defaultGraceMilliseconds;
  const platform = run.platform ?? process.platform;
  const started = hookProcess(point, run.command, run.arguments, platform, environment);
  const child = spawn(started.file, [...started.args], {
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: started.detached,
    windowsHide: true,
    windowsVerbatimArguments: started.windowsVerbatimArguments,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const stderrClosed = new Promise<void>((resolve) => {
    if (!child.stderr) resolve();
    child.stderr?.once('close', () => resolve());
  });
  let exited = false;
  let stoppedWith: 'SIGTERM' | 'SIGKILL' | undefined;
  const signalGroup = (signal: 'SIGTERM' | 'SIGKILL'): void => {
    if (exited || child.pid === undefined) return;
    stoppedWith = signal;
    if (platform === 'win32') {
      // No process groups to signal: taskkill ends the hook's shell and every process under it.
      if (signal === 'SIGTERM')
        spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on(
          'error',
          () => undefined,
        );
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  const termTimer = setTimeout(() => {
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), grace);
  }, timeout);
  // 'exit', not 'close': a process the hook left in the background may hold its error output open
  // for ever, and the save must not wait for it.
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => {
        exited = true;
        resolve({ code: null, signal: null, error });
      });
      child.once('exit', (code, signal) => {
        // Set here, in the same callback as the reaping: from now on the group id is not ours.
        exited = true;
        resolve({ code, signal });
      });
    },
  );
  clearTimeout(termTimer);
  clearTimeout(killTimer);
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    stderrClosed,
    new Promise<void>((resolve) => {
      drainTimer = setTimeout(resolve, drainMilliseconds);
    }),
  ]);
  clearTimeout(drainTimer);
  child.stderr?.destroy();

  if (!outcome.error && stoppedWith === undefined && outcome.code === 0) return { result: 'ran' };
  const ending: HookEnding = outcome.error
    ? { kind: 'not-started', message: outcome.error.message }
    : stoppedWith !== undefined
      ? { kind: 'timed-out', seconds: timeout / 1000, signal: stoppedWith }
      : outcome.signal
        ? { kind: 'signalled', signal: outcome.signal }
        : { kind: 'exited', code: outcome.code ?? 1 };
  return { result: 'failed', ending, warning: hookWarning(point, ending, stderr) };
}

/** Pure: the one line a failed hook is reported with. */
export function hookWarning(point: HookPoint, ending: HookEnding, stderr: string): string {
  const name = hookOptionName(point);
  if (ending.kind === 'not-started') return `${name} could not start: ${ending.message}`;
  const status =
    ending.kind === 'timed-out'
      ? ending.signal === 'SIGTERM'
        ? `was still running after ${ending.seconds} s and was stopped with SIGTERM`
        : `was still running after ${ending.seconds} s, ignored SIGTERM and was killed with SIGKILL`
      : ending.kind === 'signalled'
        ? `was killed by ${ending.signal}`
        : `exited with code ${ending.code}`;
  const lastLine = stderr.trim().split('\n').at(-1) ?? '';
  const activity = point.startsWith('pre') || point.startsWith('post-restore') ? 'restore' : 'save';
  return `${name} ${status}${lastLine === '' ? '' : `: ${lastLine}`} (the ${activity} went on)`;
}

/** Runs the hook a tmux option names (if any) and passes a failure to `warn`. */
export async function runHookFromOptions(
  point: HookPoint,
  options: ReadonlyMap<string, string>,
  details: { savePath: string | undefined; arguments?: readonly string[]; warn: (line: string) => void },
): Promise<HookOutcome> {
  const outcome = await runHook(point, {
    command: options.get(hookOptionName(point)) ?? '',
    arguments: details.arguments ?? [],
    savePath: details.savePath,
    timeoutMilliseconds: hookTimeoutFrom(process.env),
  });
  if (outcome.result === 'failed') details.warn(outcome.warning);
  return outcome;
}

/** The hooks after a save was written: post-save-layout (with the save file as `$1`), then post-save-all. */
export async function runSaveHooks(
  options: ReadonlyMap<string, string>,
  savePath: string,
  warn: (line: string) => void,
): Promise<void> {
  await runHookFromOptions('post-save-layout', options, { savePath, arguments: [savePath], warn });
  await runHookFromOptions('post-save-all', options, { savePath, warn });
}
