import { basename, join } from 'node:path';
import { optionSettings } from '../settings/settings.js';
import { quoteArgv, type ShellDialect } from '../shell-quote.js';

/** Strategy options, read from tmux along with the rest. */
export interface StrategySettings {
  /** `@resurrect-strategy-<program>` values for vim and nvim (`session` is the one known). */
  readonly sessionPrograms: ReadonlySet<string>;
  /** `@continuum-vim-session-file`, default `Session.vim`. */
  readonly sessionFile: string;
  /** `@continuum-strategy-<program>`: a command template, `*` standing for the saved arguments. */
  readonly templates: ReadonlyMap<string, string>;
  /**
   * Other `@resurrect-strategy-<program>` values, by program: the plugins run a script for them
   * (`strategies/<program>_<value>` in the plugin, or ~/.psmux/strategies/ for psmux-resurrect),
   * which continuum does not. The restore says so instead of ignoring the user's setting.
   */
  readonly unsupported?: ReadonlyMap<string, string>;
}

export const defaultSessionFile = optionSettings.vimSessionFile.defaultValue;

/** Programs that `@resurrect-strategy-<name> session` applies to. */
export const sessionStrategyPrograms = ['vim', 'nvim'] as const;

/** The `@continuum-strategy-<program>` option for a program name, or undefined for a name tmux could misread. */
export function strategyOptionName(program: string): string | undefined {
  return /^[A-Za-z0-9_.+-]+$/.test(program) ? `@continuum-strategy-${program}` : undefined;
}

/** The plugins' `@resurrect-strategy-<program>` option, for the same names as {@link strategyOptionName}. */
export function resurrectStrategyOptionName(program: string): string | undefined {
  return /^[A-Za-z0-9_.+-]+$/.test(program) ? `@resurrect-strategy-${program}` : undefined;
}

/**
 * The command line a strategy makes of a saved argv, or undefined when no strategy applies.
 * `vim`/`nvim` with the session strategy: `vim -S` when the session file exists in the pane's
 * directory; a saved `-S` without the file falls back to the plain program (it would fail);
 * otherwise the saved command line.
 */
export function applyStrategy(
  argv: readonly string[],
  cwd: string,
  settings: StrategySettings,
  fileExists: (path: string) => boolean,
  dialect: ShellDialect = 'posix',
): string | undefined {
  const program = basename(argv[0] ?? '');
  const template = settings.templates.get(program);
  if (template !== undefined && template.trim() !== '') {
    return template.replace('*', () => quoteArgv(argv.slice(1), dialect)).trim();
  }
  if (!settings.sessionPrograms.has(program)) return undefined;
  const sessionArgs = settings.sessionFile === defaultSessionFile ? ['-S'] : ['-S', settings.sessionFile];
  if (cwd !== '' && fileExists(join(cwd, settings.sessionFile))) {
    return quoteArgv([argv[0]!, ...sessionArgs], dialect);
  }
  if (argv.slice(1).includes('-S')) return quoteArgv([argv[0]!], dialect);
  return undefined;
}
