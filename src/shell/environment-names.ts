import { environmentSettings, optionSettings } from '../settings/settings.js';

/** The tmux option that names the variables a save keeps (never all of them: secrets stay out). */
export const environmentOptionName = optionSettings.environment.name;

/** The variable through which the shell snippets learn those names, once, when they load. */
export const environmentNamesVariable = environmentSettings.environmentNames.name;

/** Variable names from the option's value: separated by spaces or commas; anything else is dropped. */
export function parseEnvironmentNames(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)))];
}

/**
 * The tmux command `continuum init` runs: a shell cannot ask tmux per prompt (that would start a
 * process), and /proc/PID/environ only shows a shell's environment as it started, not what
 * `export` or `activate` set later. So the names reach new panes in the global environment.
 */
export function environmentNamesCommand(optionValue: string): string[] {
  const names = parseEnvironmentNames(optionValue);
  return names.length === 0
    ? ['set-environment', '-gu', environmentNamesVariable]
    : ['set-environment', '-g', environmentNamesVariable, names.join(' ')];
}
