import { ContinuumError } from '../../errors.js';
import type { CommandContext } from '../context.js';

/** The tmux options a command reads along with its capture, in the same invocation. */
export const storeOptionNames = ['@resurrect-dir', '@resurrect-delete-backup-after'] as const;

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
