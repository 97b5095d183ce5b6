import { join } from 'node:path';
import { autoRestoreClaimOption } from '../daemon/fingerprint.js';
import { statusOption } from '../daemon/status-line.js';
import type { MuxDialect } from '../mux/dialect.js';
import { literalForFormat, scriptLine } from '../mux/script.js';
import type { MuxVersion } from '../mux/session-name.js';
import { tmuxVersionAtLeast } from '../mux/tmux-version.js';
import { optionSettings } from '../settings/settings.js';
import { quoteForSh } from '../shell-quote.js';

export const statusPlaceholder = '#{continuum_status}';

/**
 * The argument to give `run-shell` so that /bin/sh runs exactly `argv`: shell-quoted, then with `#`
 * doubled because run-shell expands formats in its command first (tmux(1), run-shell).
 */
export function runShellArgument(argv: readonly string[], server?: MuxVersion): string {
  return literalForFormat(argv.map(quoteForSh).join(' '), server);
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

/**
 * Pure: every entry of hook NAME (default: session-created) in `show-hooks` output. tmux prints
 * `NAME[N] command`; psmux prints every hook whatever name it is asked for, as `NAME -> command`
 * when it has one entry, `NAME[N] -> command` when it has several, and `(no hooks)` when none
 * (server/mod.rs, `CtrlReq::ShowHooks`).
 */
export function sessionCreatedEntries(showHooksOutput: string, hookName = 'session-created'): HookEntry[] {
  const entries: HookEntry[] = [];
  for (const line of showHooksOutput.replace(/\r\n/g, '\n').split('\n')) {
    if (!line.startsWith(hookName)) continue;
    const rest = line.slice(hookName.length);
    if (rest.startsWith(' -> ')) {
      entries.push({ index: 0, command: rest.slice(4) });
      continue;
    }
    const match = rest.match(/^\[(\d+)\] (?:-> )?(.*)$/);
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

/**
 * Pure: the `set-hook` commands that leave exactly one entry `hook` under `hookName` on a psmux
 * server holding `entries`, the other entries kept in their order. psmux stores a hook's command
 * as it was given (server/connection.rs, `set-hook`), so ours is found by its text: the hook of
 * this init, or one an earlier init recorded as given or as show-hooks printed it (`previous`).
 */
export function psmuxHookCommands(
  entries: readonly HookEntry[],
  hookName: string,
  hook: string,
  previous: { readonly installed: string; readonly shown: string },
): string[][] {
  const isOurs = (entry: HookEntry): boolean =>
    entry.command === hook ||
    [previous.installed, previous.shown].some((text) => text !== '' && entry.command === text);
  const ours = entries.filter(isOurs);
  const others = entries.filter((entry) => !isOurs(entry));
  const current = (entry: HookEntry): boolean =>
    entry.command === hook || (previous.installed === hook && entry.command === previous.shown);
  if (ours.length === 1 && current(ours[0]!)) return [];
  if (others.length === 0) return [['set-hook', '-g', hookName, hook]];
  return [
    ['set-hook', '-gu', hookName],
    ...others.map((entry) => ['set-hook', '-ga', hookName, entry.command]),
    ['set-hook', '-ga', hookName, hook],
  ];
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

/**
 * The default key (after the prefix) of `@continuum-pick`: tmux 3.3a binds nothing to it in the
 * prefix table (`tmux -f /dev/null list-keys -T prefix`), and neither do tmux-sensible (C-p, C-n,
 * R), tmux-copycat (C-f, C-g, C-u, C-d) or vim-tmux-navigator's advice (C-l). "t" as in time: it
 * goes back to an earlier save.
 */
export const defaultPickKey = optionSettings.pickKey.defaultValue;

/**
 * Pure: whether this tmux has `display-popup` (3.2 and later), from `#{version}` (`3.3a`, `3.2`,
 * `next-3.4`, `openbsd-7.4`). A version without a number (`master`) is a development build: newer.
 */
export function hasPopup(version: string): boolean {
  return tmuxVersionAtLeast(version, [3, 2]);
}

/** The size of the picker's popup: the smallest terminal the picker is drawn for. */
export const pickPopupSize = { columns: 80, rows: 24 } as const;

/**
 * The binding of `@continuum-pick`: the picker in an 80×24 popup (`display-popup -E` closes it when
 * the picker exits), or on tmux older than 3.2 a menu of the newest saves. The menu is written by
 * the CLI when the key is pressed (the saves of that moment) into `menuFile`, which the binding
 * then sources: `display-menu` run by the CLI itself would keep its tmux client waiting until the
 * menu closes, while sourced from the binding it belongs to the client that pressed the key.
 */
export function pickBindingCommand(
  key: string,
  cli: readonly string[],
  version: string,
  menuFile: string,
  shell: Pick<MuxDialect, 'runShellCommand' | 'shellWords'> = {
    runShellCommand: runShellArgument,
    shellWords: (argv) => argv.map(quoteForSh).join(' '),
  },
): string[] {
  if (hasPopup(version)) {
    // display-popup runs its one shell-command argument with the shell, unexpanded.
    const command = shell.shellWords([...cli, 'pick']);
    const { columns, rows } = pickPopupSize;
    return ['bind-key', key, 'display-popup', '-E', '-w', String(columns), '-h', String(rows), command];
  }
  // if-shell waits for the CLI (its shell command is format-expanded, as run-shell's) and sources
  // the menu only when the CLI succeeded.
  return [
    'bind-key',
    key,
    'if-shell',
    shell.runShellCommand([...cli, 'pick', '--menu']),
    scriptLine(['source-file', '-q', menuFile]),
  ];
}

/** The file `continuum pick --menu` writes the menu of one server into (`pick-menu-STEM.conf`). */
export function pickMenuFile(stateDirectory: string, serverFileStem: string): string {
  return join(stateDirectory, `pick-menu-${serverFileStem}.conf`);
}

/** One save in the fallback menu: its row as `continuum list` prints it and its path. */
export interface MenuSave {
  readonly text: string;
  readonly path: string;
}

/** The fallback menu holds this many saves, with the keys 1 … 9, 0. */
export const menuSaveCount = 10;

/**
 * Pure: the `display-menu` that offers the newest saves on a tmux without popups; each item runs
 * `continuum hook restore PATH`, which restores that save and reports as `prefix` + C-r does.
 * tmux expands formats in an item's name and command when it builds the menu, so both are made
 * literal, as tmux 3.1 reads them (the menu is only made for tmux without popups, which collapses
 * `##` before `[` too); the command is expanded again by run-shell, which `runShellArgument` covers.
 */
export function pickMenuCommand(saves: readonly MenuSave[], cli: readonly string[]): string[] {
  const menuTmux: MuxVersion = { name: 'tmux', version: '3.1' };
  const items = saves
    .slice(0, menuSaveCount)
    .flatMap((save, position) => [
      literalForFormat(save.text, menuTmux),
      String((position + 1) % 10),
      literalForFormat(
        scriptLine(['run-shell', '-b', runShellArgument([...cli, 'hook', 'restore', save.path], menuTmux)]),
        menuTmux,
      ),
    ]);
  return ['display-menu', '-T', 'continuum: restore a save', ...items];
}

/** Pure: the status-line text with `#{continuum_status}` pointing at the option the daemon updates. */
export function replaceStatusPlaceholder(value: string): string {
  return value.replaceAll(statusPlaceholder, `#{${statusOption}}`);
}

/** The tmux option `init` records the CLI in (a JSON array: node, script), for doctor to check. */
export const recordedCliOption = '@continuum-cli';

/** Pure: the CLI `init` recorded, or undefined when the value is not one. */
export function parseRecordedCli(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((word) => typeof word === 'string' && word !== '')
      ? (parsed as string[])
      : undefined;
  } catch {
    return undefined;
  }
}
