import { environmentSettings } from './environment-table.js';
import { optionSettings } from './option-table.js';
import { readSetting, type Setting } from './setting.js';
import { stateSettings } from './state-table.js';

export { environmentSettings, optionSettings, stateSettings };

/** Every row of the table, in the docs' order: the user's options, continuum's own, the environment. */
export const allSettings: readonly Setting<unknown>[] = [
  ...Object.values(optionSettings),
  ...Object.values(stateSettings),
  ...Object.values(environmentSettings),
];

type OptionKey = {
  [Key in keyof typeof optionSettings]: (typeof optionSettings)[Key] extends { readonly family: true }
    ? never
    : Key;
}[keyof typeof optionSettings];

type ValueOf<Row> = Row extends Setting<infer Value> ? Value : never;

/**
 * The user's tmux options, typed and parsed with the table's schemas: what a command reads once,
 * with its capture. An option the command did not ask tmux for reads as its default.
 */
export type Settings = { readonly [Key in OptionKey]: ValueOf<(typeof optionSettings)[Key]> };

const optionKeys = (Object.keys(optionSettings) as (keyof typeof optionSettings)[]).filter(
  (key): key is OptionKey => !(optionSettings[key] as Setting<unknown>).family,
);

/** The typed settings from option values as tmux printed them (an unset option is empty). */
export function settingsFrom(values: ReadonlyMap<string, string>): Settings {
  const entries = optionKeys.map((key) => {
    const setting = optionSettings[key] as Setting<unknown>;
    return [key, readSetting(setting, values.get(setting.name)).value];
  });
  return Object.fromEntries(entries) as Settings;
}

/** The tmux option names of these settings, for a capture to read them in its one call. */
export const optionNamesOf = (keys: readonly OptionKey[]): string[] =>
  keys.map((key) => optionSettings[key].name);

/** The options that locate the saves and decide their retention: every command reads these. */
export const storeOptionNames: readonly string[] = optionNamesOf(['saveDirectory', 'deleteBackupAfter']);

/** Every user option's name that is read by its name (not the `…-PROGRAM` families). */
export const userOptionNames: readonly string[] = optionNamesOf(optionKeys);

/**
 * Each setting the user set whose value the table refuses, as one line naming it and what is
 * allowed (an option then means its default). Options are judged when present in `options`.
 */
export function settingProblems(
  options: ReadonlyMap<string, string>,
  environment: NodeJS.ProcessEnv,
): string[] {
  const problems: string[] = [];
  for (const setting of allSettings) {
    if (setting.role !== 'setting' || setting.family) continue;
    const reading = readSetting(
      setting,
      setting.kind === 'option' ? options.get(setting.name) : environment[setting.name],
    );
    if (!reading.valid) problems.push(reading.problem);
  }
  return problems;
}
