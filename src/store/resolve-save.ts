import { basename, isAbsolute, join, resolve } from 'node:path';
import { NoSaveError, UsageError } from '../errors.js';
import { localTime } from '../human-text.js';
import { serverOptions } from '../server/server-identity.js';
import type { SaveListing } from './save-listing.js';
import { type SaveSelector, saveSelectorFor } from './save-selector.js';

/**
 * The path of the save `selection` names; the file is not read. This server's newest when
 * `selection` is undefined (or `last`, as before), a number from `list` or the newest before a
 * time (this server's saves only), else a file name in the directory (with or without `.json`, or
 * a prefix that names one save) or a path, whichever server it came from. A string is read as a
 * SAVE argument (`saveSelectorFor`).
 */
export async function resolveSave(listing: SaveListing, selection?: string | SaveSelector): Promise<string> {
  const selector = typeof selection === 'object' ? selection : saveSelectorFor(selection);
  switch (selector.kind) {
    case 'newest':
      return resolveName(listing, undefined);
    case 'path':
      return resolve(selector.path);
    case 'name':
      return resolveName(listing, selector.name);
    case 'number':
      return resolveNumber(listing, selector.number);
    case 'before':
      return resolveBefore(listing, selector.time, selector.expression);
  }
}

async function resolveNumber(listing: SaveListing, number: number): Promise<string> {
  const saves = await listing.listOwn();
  const save = number >= 1 ? saves[number - 1] : undefined;
  if (!save) {
    const whose = serverOptions(listing.server).join(' ');
    throw new NoSaveError(
      listing.directory,
      saves.length === 0
        ? `no save of ${whose}, so no save number ${number},`
        : `no save number ${number}: ${whose} has ${saves.length === 1 ? '1 save' : `saves 1 to ${saves.length}`}`,
      'see them with `continuum list`',
    );
  }
  return join(listing.directory, save.fileName);
}

async function resolveBefore(listing: SaveListing, time: Date, expression: string): Promise<string> {
  const saves = await listing.listOwn();
  const save = saves.find((candidate) => candidate.savedAt.getTime() < time.getTime());
  if (!save) {
    const oldest = saves.at(-1);
    throw new NoSaveError(
      listing.directory,
      `no save of ${serverOptions(listing.server).join(' ')} older than ${localTime(time)} (--before ${expression})` +
        (oldest ? `: the oldest is from ${localTime(oldest.savedAt)}` : ''),
      'see the saves there are with `continuum list`',
    );
  }
  return join(listing.directory, save.fileName);
}

async function resolveName(listing: SaveListing, name: string | undefined): Promise<string> {
  // `last` was the pointer file older versions wrote; the name still means "the newest".
  if (name === undefined || name === 'last') {
    const newest = await listing.newestSaveName();
    if (!newest)
      throw new NoSaveError(listing.directory, `no save of ${serverOptions(listing.server).join(' ')} found`);
    return join(listing.directory, newest);
  }
  if (isAbsolute(name) || name.includes('/')) return resolve(name);
  const fileName = name.endsWith('.json') ? name : `${name}.json`;
  const saves = await listing.list();
  const exact = saves.find((save) => save.fileName === fileName);
  if (exact) return join(listing.directory, exact.fileName);
  const matches = saves.filter((save) => save.fileName.startsWith(name));
  if (matches.length === 0) {
    throw new NoSaveError(
      listing.directory,
      `no save named "${basename(name)}"`,
      saves.length > 0 ? 'see the saves there are with `continuum list` (`--all`: every server)' : undefined,
    );
  }
  if (matches.length > 1) {
    // Picking the newest of them silently could restore another server's or an unexpected save.
    const shown = matches.slice(0, 5).map((save) => basename(save.fileName, '.json'));
    const more = matches.length > shown.length ? `, and ${matches.length - shown.length} more` : '';
    throw new UsageError(
      `the save name "${name}" is ambiguous: it starts ${matches.length} saves (${shown.join(', ')}${more})`,
      'give more of the name (`continuum list --json` prints them), or its number from `continuum list`',
    );
  }
  return join(listing.directory, matches[0]!.fileName);
}
