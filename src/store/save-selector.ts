import { isAbsolute } from 'node:path';

/**
 * How a command names a save. Every command that takes a save (restore, show, diff, delete, the
 * picker) turns what the user typed into one of these and lets `SaveStore.resolve` find the file,
 * so the same words name the same save everywhere.
 */
export type SaveSelector =
  /** This server's newest save: what `restore` with no name uses. */
  | { readonly kind: 'newest' }
  /** The number `continuum list` prints: 1 is this server's newest save, 2 the one before… */
  | { readonly kind: 'number'; readonly number: number }
  /** A file name in the save directory, with or without `.json`, or a prefix of exactly one. */
  | { readonly kind: 'name'; readonly name: string }
  /** A path to a save file, anywhere. */
  | { readonly kind: 'path'; readonly path: string }
  /** This server's newest save taken strictly before `time` (`--before TIME`). */
  | { readonly kind: 'before'; readonly time: Date; readonly expression: string };

/**
 * What a SAVE argument names: nothing or `last` (the name of the pointer older versions wrote)
 * is the newest, digits are a number from `list` (no save name starts with a digit: they all
 * start `continuum-`), anything with a `/` is a path, the rest a name or a prefix of one.
 */
export function saveSelectorFor(argument: string | undefined): SaveSelector {
  if (argument === undefined || argument === 'last') return { kind: 'newest' };
  if (/^\d+$/.test(argument)) return { kind: 'number', number: Number(argument) };
  if (isAbsolute(argument) || argument.includes('/')) return { kind: 'path', path: argument };
  return { kind: 'name', name: argument };
}
