import { ContinuumError } from '../../errors.js';
import { type Settings, settingsFrom, storeOptionNames } from '../../settings/settings.js';
import type { CommandContext } from '../context.js';

/**
 * The settings that locate the saves, for commands that read the store without capturing the
 * server. With --dir given, or no server to ask, nothing is asked: listing saves must work with
 * tmux down, and every setting then has its default.
 */
export async function readStoreSettings(context: CommandContext): Promise<Settings> {
  if (context.options.dir) return settingsFrom(new Map());
  try {
    return settingsFrom(await context.mux.readGlobalOptions(storeOptionNames));
  } catch (error) {
    if (error instanceof ContinuumError) return settingsFrom(new Map());
    throw error;
  }
}
