import { unlink } from 'node:fs/promises';
import { errorCode } from '../errors.js';
import { contentsFileNameFor } from './pane-contents-file.js';
import { historiesFileNameFor } from './pane-histories-file.js';

/** The files that live and die with a save, in the order they go after it: pane contents, pane histories. */
export function companionFileNamesFor(saveFileName: string): readonly [string, string] {
  return [contentsFileNameFor(saveFileName), historiesFileNameFor(saveFileName)];
}

/** Unlinks `path`: true when it was removed, false when it was already gone; other errors throw. */
export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}
