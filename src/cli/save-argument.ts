import { UsageError } from '../errors.js';
import { type SaveSelector, saveSelectorFor } from '../store/save-selector.js';
import { printable } from './printable-text.js';
import { acceptedTimeForms, parseTimeExpression } from './time-expression.js';

/**
 * The save a command's SAVE argument and `--before TIME` name together: one or the other (or
 * neither: the newest). A TIME that is none of the accepted forms is a usage error that lists them.
 */
export function selectSave(
  argument: string | undefined,
  before: string | undefined,
  now: Date,
): SaveSelector {
  if (before === undefined) return saveSelectorFor(argument);
  if (argument !== undefined)
    throw new UsageError(
      `both a save ("${printable(argument)}") and --before "${printable(before)}" were given`,
      'name the save one way: a number or name from `continuum list`, a path, or --before TIME',
    );
  return beforeSelector(before, now);
}

/** `--before TIME` as a selector. */
export function beforeSelector(before: string, now: Date): SaveSelector {
  const time = parseTimeExpression(before, now);
  if (!time)
    throw new UsageError(`--before "${printable(before)}" is not a time`, `use ${acceptedTimeForms}`);
  return { kind: 'before', time, expression: before };
}
