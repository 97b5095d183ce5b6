import { ContinuumError } from '../../errors.js';
import { type Settings, settingsFrom, storeOptionNames } from '../../settings/settings.js';
import type { CommandContext } from '../context.js';

export { storeOptionNames };

/**
 * The options that locate the saves, for commands that read the store without capturing the
 * server. With --dir given, or no server to ask, nothing is asked: listing saves must work with
 * tmux down, and every setting then has its default.
 */
export async function readStoreOptions(context: CommandContext): Promise<ReadonlyMap<string, string>> {
  if (context.options.dir) return new Map();
  try {
    return await context.mux.readGlobalOptions(storeOptionNames);
  } catch (error) {
    if (error instanceof ContinuumError) return new Map();
    throw error;
  }
}

/** The same options, typed. */
export async function readStoreSettings(context: CommandContext): Promise<Settings> {
  return settingsFrom(await readStoreOptions(context));
}
