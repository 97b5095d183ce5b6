import { literalForFormat, scriptLine } from '../mux/script.js';
import { restoringMarkerOption } from '../restore/apply.js';
import { autoRestoreClaimOption } from './fingerprint.js';

/** The option the daemon keeps up to date for the status line (`#{continuum_status}` is replaced by it). */
export const statusOption = '@continuum-status';
export const statusPlaceholder = '#{continuum_status}';

/**
 * Quotes one argument for /bin/sh: single quotes keep everything literal, and a single quote is
 * closed, escaped and reopened (`'\''`). Used only because tmux's run-shell takes a shell string.
 */
export function shellQuote(argument: string): string {
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/**
 * The argument to give `run-shell` so that /bin/sh runs exactly `argv`: shell-quoted, then with `#`
 * doubled because run-shell expands formats in its command first (tmux(1), run-shell).
 */
export function runShellArgument(argv: readonly string[]): string {
  return literalForFormat(argv.map(shellQuote).join(' '));
}

/**
 * The session-created hook, as a tmux command string. tmux itself checks `@continuum-restore`
 * when the hook fires (so turning it on or off needs no re-init) and skips the hook once this
 * server lifetime's auto-restore was claimed, so most new sessions start no process at all;
 * the CLI checks both again before it acts.
 */
export function sessionCreatedHook(cli: readonly string[]): string {
  const condition = `#{&&:#{==:#{@continuum-restore},on},#{==:#{${autoRestoreClaimOption}},}}`;
  const runShell = scriptLine(['run-shell', '-b', runShellArgument([...cli, 'hook', 'session-created'])]);
  return scriptLine(['if-shell', '-F', condition, runShell]);
}

export interface HookEntry {
  readonly index: number;
  readonly command: string;
}

/** Pure: every `NAME[N] command` entry of `show-hooks -g NAME` (default: session-created). */
export function sessionCreatedEntries(showHooksOutput: string, hookName = 'session-created'): HookEntry[] {
  const entries: HookEntry[] = [];
  for (const line of showHooksOutput.replace(/\r\n/g, '\n').split('\n')) {
    if (!line.startsWith(`${hookName}[`)) continue;
    const match = line.slice(hookName.length).match(/^\[(\d+)\] (.*)$/);
    if (match) entries.push({ index: Number(match[1]), command: match[2]! });
  }
  return entries;
}

/**
 * Pure: the entries that are exactly the hook `init` installed, given how show-hooks printed it
 * right after it was installed (tmux re-quotes a hook, so the command we passed cannot be compared).
 * Nothing else is ours: another plugin's hook that merely mentions `hook session-created` is not.
 */
export function findInstalledHooks(entries: readonly HookEntry[], installedAsShown: string): HookEntry[] {
  if (installedAsShown === '') return [];
  return entries.filter((entry) => entry.command === installedAsShown);
}

/** Pure: the entry `set-hook -ga` just added: it appends after the highest index. */
export function newestEntry(entries: readonly HookEntry[]): HookEntry | undefined {
  return entries.reduce<HookEntry | undefined>(
    (newest, entry) => (newest === undefined || entry.index > newest.index ? entry : newest),
    undefined,
  );
}

/** A key binding that runs `continuum hook save|restore`, which reports back with display-message. */
export function bindingCommand(
  key: string,
  cli: readonly string[],
  action: 'save' | 'restore',
  runShellCommand: (argv: readonly string[]) => string = runShellArgument,
): string[] {
  return ['bind-key', key, 'run-shell', '-b', runShellCommand([...cli, 'hook', action])];
}

/**
 * psmux's hook (see MuxDialect.integration): on every attach, make sure the namespace's daemon
 * runs. `daemon start` returns at once when it does, so any number of attaches leave one.
 */
export function clientAttachedHook(
  cli: readonly string[],
  runShellCommand: (argv: readonly string[]) => string,
): string {
  return scriptLine(['run-shell', '-b', runShellCommand([...cli, 'daemon', 'start'])]);
}

/** Pure: the status-line text with `#{continuum_status}` pointing at the option the daemon updates. */
export function replaceStatusPlaceholder(value: string): string {
  return value.replaceAll(statusPlaceholder, `#{${statusOption}}`);
}

export { restoringMarkerOption };
