import { optionNamesOf, settingsFrom } from '../settings/settings.js';
import { checkSafeToType, quoteArgv, type ShellDialect, shellDialectOf } from '../shell-quote.js';
import { describePane, type PaneAddress } from '../snapshot/pane-address.js';
import type { PaneSnapshot } from '../snapshot/schema.js';
import { type Allowlist, decideAllowed, parseAllowlist } from './allowlist.js';
import { recordedLineRunsProgram } from './recorded-command-line.js';
import {
  applyStrategy,
  resurrectStrategyOptionName,
  type StrategySettings,
  sessionStrategyPrograms,
  strategyOptionName,
} from './strategies.js';

/** The tmux options program restore reads, in the same invocation as the rest of the capture. */
export const programOptionNames: readonly string[] = [
  ...optionNamesOf(['processes', 'defaultProcesses', 'vimStrategy', 'nvimStrategy', 'vimSessionFile']),
  'default-shell',
  'default-command',
];

export interface ProgramSettings {
  readonly allowlist: Allowlist;
  readonly strategies: StrategySettings;
  /**
   * The shell tmux starts in a restored pane (`default-command`, else `default-shell`), when its
   * quoting is known. Its rc file may still `exec` another shell: see decideProgram.
   */
  readonly dialect: ShellDialect | undefined;
}

/** Builds the settings from option values; `templates` are the `@continuum-strategy-*` values read later. */
export function programSettingsFrom(
  options: ReadonlyMap<string, string>,
  templates: ReadonlyMap<string, string> = new Map(),
): ProgramSettings {
  const sessionPrograms: ReadonlySet<string> = new Set(
    sessionStrategyPrograms.filter((program) => options.get(`@resurrect-strategy-${program}`) === 'session'),
  );
  const unsupported = new Map<string, string>();
  for (const [name, value] of options) {
    const program = name.startsWith('@resurrect-strategy-') ? name.slice('@resurrect-strategy-'.length) : '';
    if (program !== '' && value.trim() !== '' && !sessionPrograms.has(program))
      unsupported.set(program, value.trim());
  }
  const settings = settingsFrom(options);
  const sessionFile = settings.vimSessionFile;
  const defaultCommand = (options.get('default-command') ?? '').trim();
  return {
    allowlist: parseAllowlist(settings.processes, settings.defaultProcesses),
    strategies: { sessionPrograms, sessionFile, templates, unsupported },
    dialect: defaultCommandDialect(defaultCommand, options.get('default-shell') ?? ''),
  };
}

/**
 * tmux runs `default-shell -c default-command` when the command is set: the pane then runs what
 * the command starts, known only when its first word names a shell (`fish`, `exec zsh -l`).
 */
function defaultCommandDialect(defaultCommand: string, defaultShell: string): ShellDialect | undefined {
  if (defaultCommand === '') return shellDialectOf(defaultShell);
  const words = defaultCommand.split(/\s+/);
  return shellDialectOf(words[0] === 'exec' ? (words[1] ?? '') : (words[0] ?? ''));
}

/** The `@continuum-strategy-<program>` and `@resurrect-strategy-<program>` options worth reading for these panes. */
export function strategyOptionNames(panes: readonly PaneSnapshot[]): string[] {
  const names = new Set<string>();
  for (const pane of panes) {
    const program = pane.program?.argv[0]?.split('/').at(-1);
    if (program === undefined) continue;
    for (const name of [strategyOptionName(program), resurrectStrategyOptionName(program)])
      if (name) names.add(name);
  }
  return [...names];
}

/** Strategy templates from option values read under {@link strategyOptionNames}. */
export function strategyTemplatesFrom(options: ReadonlyMap<string, string>): Map<string, string> {
  const templates = new Map<string, string>();
  for (const [name, value] of options) {
    if (name.startsWith('@continuum-strategy-') && value.trim() !== '')
      templates.set(name.slice('@continuum-strategy-'.length), value);
  }
  return templates;
}

export type ProgramDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'not-allowed'; readonly program: string }
  /** continuum itself (a save or restore typed in the pane, or the daemon): never started again. */
  | { readonly kind: 'continuum' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'type'; readonly commandLine: string }
  /**
   * Started from its argv with no shell reading it (the pane is created running it, then its
   * shell): its shell's quoting is unknown, or an argument cannot be typed (a newline, a tab).
   */
  | { readonly kind: 'launch'; readonly argv: readonly string[] };

/**
 * Which quoting the shell that will read a typed line uses: the shell the integration recorded in
 * the pane (it runs after whatever the rc files `exec`), else the shell the pane's own process was
 * when saved (also after any `exec`), else the one tmux starts there. Between sh, bash, zsh and
 * fish a wrong guess is harmless, as their quoting is made to read alike (src/shell-quote.ts); another
 * shell (csh, nu, …) is never typed into.
 */
export function paneShellDialect(pane: PaneSnapshot, settings: ProgramSettings): ShellDialect | undefined {
  const known = pane.shell?.name || pane.processShell;
  return known ? shellDialectOf(known) : settings.dialect;
}

/** Pure apart from `fileExists`: what to type into a restored pane for its saved program. */
export function decideProgram(
  pane: PaneSnapshot,
  settings: ProgramSettings,
  fileExists: (path: string) => boolean,
): ProgramDecision {
  const argv = pane.program?.argv;
  if (!argv || argv.length === 0) return { kind: 'none' };
  if (isContinuumItself(argv)) return { kind: 'continuum' };
  const dialect = paneShellDialect(pane, settings);
  const allowed = decideAllowed(argv, settings.allowlist, dialect ?? 'posix');
  if (!allowed.allowed) return { kind: 'not-allowed', program: argv[0]! };
  // tmux-resurrect lets a strategy win over an inline `->` replacement; both are the user's
  // explicit word on how to start a program, so they win over the recorded line too.
  const written =
    applyStrategy(argv, pane.cwd, settings.strategies, fileExists, dialect ?? 'posix') ??
    (allowed.rule?.replacement === undefined ? undefined : allowed.commandLine);
  if (written === undefined) {
    if (dialect === undefined) return { kind: 'launch', argv };
    const recorded = recordedCommandLine(pane, argv, settings.dialect);
    if (recorded !== undefined && checkSafeToType(recorded).safe)
      return { kind: 'type', commandLine: recorded };
    const quoted = quoteArgv(argv, dialect);
    return checkSafeToType(quoted).safe ? { kind: 'type', commandLine: quoted } : { kind: 'launch', argv };
  }
  // A strategy or replacement is a line for a shell: typed, or not at all.
  if (dialect === undefined)
    return {
      kind: 'refused',
      reason: "is for a shell, and the pane's shell is not one continuum can quote for",
    };
  const check = checkSafeToType(written);
  return check.safe ? { kind: 'type', commandLine: written } : { kind: 'refused', reason: check.reason };
}

/**
 * The line the pane's shell recorded before it ran the saved program (shell integration), when
 * it can stand for the process table's argv: the user's own quoting, expansions and assignments
 * come back as typed, where the argv only gives the words after the shell read them. Only a line
 * recorded by a shell that reads quotes like the restored pane's (a fish line means something
 * else to bash) and that runs the same program as the argv, which the allowlist has approved.
 */
function recordedCommandLine(
  pane: PaneSnapshot,
  argv: readonly string[],
  expected: ShellDialect | undefined,
): string | undefined {
  // Only leading blanks go: a trailing `\ ` is an escaped space that belongs to the last word.
  const line = pane.shell?.commandLine?.replace(/^[ \t]+/, '');
  // pwsh quotes otherwise again: only the shells whose quoting the dialects describe.
  const recordedBy = pane.shell?.name;
  if (!line || !recordedBy || !['bash', 'zsh', 'fish'].includes(recordedBy)) return undefined;
  const dialect = shellDialectOf(recordedBy);
  if (dialect === undefined || dialect === 'pwsh' || dialect !== expected) return undefined;
  return recordedLineRunsProgram(line, argv, dialect) ? line : undefined;
}

/**
 * With `:all:`, a pane that ran `continuum save` when it was saved would run it again on every
 * restore, and one running `continuum restore` would restore inside the restore. Recognised by the
 * program's name: the `continuum` command, or node (or another runtime) running a script named
 * `continuum` or `continuum.js`; a daemon that renamed itself shows `continuum daemon …`.
 */
export function isContinuumItself(argv: readonly string[]): boolean {
  const baseName = (word: string): string => word.split(/[\\/]/).at(-1) ?? word;
  const first = baseName(argv[0] ?? '').split(' ')[0] ?? '';
  if (first === 'continuum' || first === 'continuum.js') return true;
  if (!/^(node|nodejs|node\d+|bun|deno|npx|tsx)$/.test(first)) return false;
  const script = argv.slice(1).find((word) => !word.startsWith('-'));
  return script !== undefined && /^(continuum|continuum\.js|mux-continuum)$/.test(baseName(script));
}

export interface CreatedPane {
  readonly address: PaneAddress;
  readonly pane: PaneSnapshot;
}

/** A command line to type into a pane the restore created; restore makes its action of it. */
export interface ProgramStart {
  readonly address: PaneAddress;
  readonly commandLine: string;
}

export interface ProgramPlan {
  readonly starts: readonly ProgramStart[];
  readonly warnings: readonly string[];
}

/**
 * The programs to type into panes the restore creates (never in panes that were there before:
 * typing into them would run a command in the middle of someone's work). A program started from
 * its argv is not among them: the pane is created running it (see {@link programToLaunch}).
 */
export function planProgramStarts(
  panesCreated: readonly CreatedPane[],
  settings: ProgramSettings,
  fileExists: (path: string) => boolean,
): ProgramPlan {
  const starts: ProgramStart[] = [];
  const warnings: string[] = [];
  const unsupportedSaid = new Set<string>();
  for (const { address, pane } of panesCreated) {
    const decision = decideProgram(pane, settings, fileExists);
    const program = pane.program?.argv[0]?.split('/').at(-1) ?? '';
    const strategy = settings.strategies.unsupported?.get(program);
    const started = decision.kind === 'type' || decision.kind === 'launch' || decision.kind === 'refused';
    if (
      strategy !== undefined &&
      started &&
      !settings.strategies.templates.has(program) &&
      !unsupportedSaid.has(program)
    ) {
      unsupportedSaid.add(program);
      warnings.push(
        `@resurrect-strategy-${program} is ${JSON.stringify(strategy)}: continuum runs no strategy scripts, so ${program} starts from its saved command line; set @continuum-strategy-${program} to a command line (\`*\` for the saved arguments) to start it otherwise`,
      );
    }
    if (decision.kind === 'type') {
      starts.push({ address, commandLine: decision.commandLine });
    } else if (decision.kind === 'refused') {
      warnings.push(
        `pane ${describePane(address)}: the saved command line ${decision.reason}; it is not typed (run it yourself if you trust it)`,
      );
    }
  }
  return { starts, warnings };
}

/** The argv a created pane starts with instead of its shell reading a typed line, if any. */
export function programToLaunch(
  pane: PaneSnapshot,
  settings: ProgramSettings,
  fileExists: (path: string) => boolean,
): readonly string[] | undefined {
  const decision = decideProgram(pane, settings, fileExists);
  return decision.kind === 'launch' ? decision.argv : undefined;
}
