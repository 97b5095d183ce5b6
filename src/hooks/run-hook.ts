import { spawn } from 'node:child_process';

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

export type HookOutcome =
  | { readonly result: 'not-set' }
  | { readonly result: 'ran' }
  | { readonly result: 'failed'; readonly warning: string };

export interface HookRun {
  /** The user's command, as written in the option. */
  readonly command: string;
  /** Passed as arguments after the command (tmux-resurrect passes the save file to post-save-layout). */
  readonly arguments: readonly string[];
  /** The save in question, also in `CONTINUUM_SAVE_FILE` for every hook. */
  readonly savePath: string | undefined;
  readonly environment?: NodeJS.ProcessEnv;
  /** A hook still running after this long is stopped (SIGTERM) and reported. */
  readonly timeoutMilliseconds?: number;
}

const defaultHookTimeout = 60_000;

/**
 * Runs a user's hook. The option holds a shell command the user wrote, so it goes to `/bin/sh -c`
 * as written; data (the save path) never enters that text: it arrives as positional parameters
 * (`"$@"` appended, the way tmux-resurrect appends its arguments) and an environment variable.
 * A failing hook is reported, never fatal: a broken hook must not cost a save or a restore.
 */
export async function runHook(point: HookPoint, run: HookRun): Promise<HookOutcome> {
  if (run.command.trim() === '') return { result: 'not-set' };
  const environment: NodeJS.ProcessEnv = { ...(run.environment ?? process.env) };
  if (run.savePath !== undefined) environment.CONTINUUM_SAVE_FILE = run.savePath;
  environment.CONTINUUM_HOOK = point;
  const child = spawn('/bin/sh', ['-c', `${run.command} "$@"`, `continuum-hook-${point}`, ...run.arguments], {
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so a hook that timed out is stopped with everything it started.
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // The group is already gone.
    }
  }, run.timeoutMilliseconds ?? defaultHookTimeout);
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  clearTimeout(timer);
  const name = hookOptionName(point);
  if (outcome.error)
    return { result: 'failed', warning: `${name} could not start: ${outcome.error.message}` };
  if (timedOut)
    return {
      result: 'failed',
      warning: `${name} was still running after ${(run.timeoutMilliseconds ?? defaultHookTimeout) / 1000} s and was stopped`,
    };
  if (outcome.code === 0) return { result: 'ran' };
  const status = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
  const lastLine = stderr.trim().split('\n').at(-1) ?? '';
  return {
    result: 'failed',
    warning: `${name} ${status}${lastLine === '' ? '' : `: ${lastLine}`} (the ${point.startsWith('pre') || point.startsWith('post-restore') ? 'restore' : 'save'} went on)`,
  };
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
  });
  if (outcome.result === 'failed') details.warn(outcome.warning);
  return outcome;
}

/** The hooks after a save was written: post-save-layout (with the save file as argument), then post-save-all. */
export async function runSaveHooks(
  options: ReadonlyMap<string, string>,
  savePath: string,
  warn: (line: string) => void,
): Promise<void> {
  await runHookFromOptions('post-save-layout', options, { savePath, arguments: [savePath], warn });
  await runHookFromOptions('post-save-all', options, { savePath, warn });
}
