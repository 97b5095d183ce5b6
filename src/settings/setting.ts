import * as v from 'valibot';

/** A tmux option (`set -g @name value`) or an environment variable. */
export type SettingKind = 'option' | 'environment';

/**
 * `setting`: the user sets it. `state`: continuum writes it for itself (the daemon's status, the
 * restoring marker); never set it by hand. `given`: continuum sets it for the user's hooks or for
 * its own shell snippets to read.
 */
export type SettingRole = 'setting' | 'state' | 'given';

/** Where the docs send a reader for more. */
export interface SettingLink {
  readonly title: string;
  readonly target: string;
}

/** One row of the settings table: everything continuum knows about one name. */
export interface Setting<Value> {
  /** `@resurrect-dir`; a family of names writes its variable part in capitals (`@continuum-strategy-PROGRAM`). */
  readonly name: string;
  readonly kind: SettingKind;
  readonly role: SettingRole;
  /** The value an unset (or empty) setting has. */
  readonly defaultValue: Value;
  /** The default as the docs print it. */
  readonly defaultText: string;
  /** Reads a value that is set: rejects what is not allowed, as the plugins' own values are read. */
  readonly schema: v.GenericSchema<string, Value>;
  /** What is allowed, in words: doctor names it beside a value it rejects, and the docs print it. */
  readonly allowed: string;
  readonly description: string;
  readonly see?: SettingLink;
  /** Whitespace alone is a value (a key binding), not "unset". */
  readonly blankIsValue?: boolean;
  /** A family (`@resurrect-strategy-PROGRAM`): documented and checked, never read by this name. */
  readonly family?: boolean;
}

/** Defines a row; the value type is inferred from the schema. */
export const defineSetting = <Value>(setting: Setting<Value>): Setting<Value> => setting;

/** What a setting's raw value reads as: its value, or the default and why the value was refused. */
export type SettingReading<Value> =
  | { readonly valid: true; readonly set: boolean; readonly value: Value }
  | { readonly valid: false; readonly set: true; readonly value: Value; readonly problem: string };

const isUnset = (setting: Setting<unknown>, raw: string | undefined): raw is undefined =>
  raw === undefined || raw === '' || (!setting.blankIsValue && raw.trim() === '');

export function readSetting<Value>(setting: Setting<Value>, raw: string | undefined): SettingReading<Value> {
  if (isUnset(setting, raw)) return { valid: true, set: false, value: setting.defaultValue };
  const result = v.safeParse(setting.schema, raw);
  if (result.success) return { valid: true, set: true, value: result.output };
  return {
    valid: false,
    set: true,
    value: setting.defaultValue,
    problem: `${setting.name} is ${JSON.stringify(raw)}: ${setting.allowed}`,
  };
}

/**
 * The value of a setting: an unset or refused value means the default, as tmux-resurrect and
 * tmux-continuum read theirs (doctor reports the refused ones).
 */
export const settingValue = <Value>(setting: Setting<Value>, raw: string | undefined): Value =>
  readSetting(setting, raw).value;

// The schemas the table is made of. Each reads a tmux option's text the way continuum always
// has, so a value that worked before still works.

/** Any text, as written. */
export const anyText = v.string();

/** Text without surrounding whitespace. */
export const trimmedText = v.pipe(v.string(), v.trim());

/** Words separated by whitespace. */
export const wordList = v.pipe(
  v.string(),
  v.transform((value) => value.split(/\s+/).filter((word) => word !== '')),
);

/**
 * A whole number from `minimum` to `maximum`, read as JavaScript reads a number (` 50`, `1e3`);
 * the one bounds check of every count and time limit continuum reads.
 */
export function boundedInteger(minimum: number, maximum = Number.POSITIVE_INFINITY) {
  return v.pipe(
    v.string(),
    v.transform(Number),
    v.check((value) => Number.isInteger(value) && value >= minimum && value <= maximum),
  );
}

/** A number above 0 (fractions allowed): days of retention. */
export const positiveNumber = v.pipe(
  v.string(),
  v.transform(Number),
  v.check((value) => Number.isFinite(value) && value > 0),
);

/** A number of 0 or more (fractions allowed): minutes between saves. */
export const nonNegativeNumber = v.pipe(
  v.string(),
  v.transform(Number),
  v.check((value) => Number.isFinite(value) && value >= 0),
);

/** tmux-resurrect's switches: exactly `on` or `off` (`on` only counts when written so). */
export const onOff = v.pipe(
  v.string(),
  v.picklist(['on', 'off']),
  v.transform((value) => value === 'on'),
);

/** `on` or `off` with whitespace around it ignored. */
export const trimmedOnOff = v.pipe(v.string(), v.trim(), onOff);

const yesWords = ['on', 'true', 'yes', '1'];
const noWords = ['off', 'false', 'no', '0'];

/** A yes/no word in any case: on/off, true/false, yes/no, 1/0. */
export const yesNo = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.picklist([...yesWords, ...noWords]),
  v.transform((value) => yesWords.includes(value)),
);

/** One of `words`, exactly as written. */
export const oneOf = <const Word extends string>(words: readonly [Word, ...Word[]]) =>
  v.pipe(v.string(), v.picklist(words));

/** One of `words`, with whitespace around it ignored. */
export const trimmedOneOf = <const Word extends string>(words: readonly [Word, ...Word[]]) =>
  v.pipe(v.string(), v.trim(), v.picklist(words));

/** One of `words` in any case, with whitespace around it ignored; read in lower case. */
export const anyCaseOneOf = <const Word extends string>(words: readonly [Word, ...Word[]]) =>
  v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(words));
