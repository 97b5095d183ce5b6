import { ContinuumError } from '../../errors.js';
import { formatFor, newRecordMarkers, parseRecords } from '../../mux/formats.js';
import { type CommandContext, storeOptionNames } from '../context.js';

/**
 * Options that locate the saves, for commands that read the store without capturing the server.
 * With --dir given, or no server to ask, nothing is asked: listing saves must work with tmux down.
 */
export async function readStoreOptions(context: CommandContext): Promise<ReadonlyMap<string, string>> {
  if (context.options.dir) return new Map();
  try {
    const markers = newRecordMarkers();
    const output = await context.mux.run([
      'display-message',
      '-p',
      formatFor('O', storeOptionNames, markers),
    ]);
    return parseRecords(output, { O: storeOptionNames }, markers, context.warn)[0]?.values ?? new Map();
  } catch (error) {
    if (error instanceof ContinuumError) return new Map();
    throw error;
  }
}
