import { ContinuumError } from '../../errors.js';
import { type CommandContext, storeOptionNames } from '../context.js';

/**
 * Options that locate the saves, for commands that read the store without capturing the server.
 * With --dir given, or no server to ask, nothing is asked: listing saves must work with tmux down.
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
