import { ContinuumError } from '../../errors.js';
import type { MuxClient } from '../../mux/mux-client.js';
import { type Settings, settingsFrom, storeOptionNames } from '../../settings/settings.js';

export { storeOptionNames };

/** What reading them needs of a command's context (not the context itself: it locates saves with this). */
export interface StoreOptionsSource {
  readonly options: { readonly dir?: string | undefined };
  readonly mux: Pick<MuxClient, 'readGlobalOptions'>;
}

/**
 * The options that locate the saves, for commands that read the store without capturing the
 * server. With --dir given, or no server to ask, nothing is asked: listing saves must work with
 * tmux down, and every setting then has its default.
 */
export async function readStoreOptions(context: StoreOptionsSource): Promise<ReadonlyMap<string, string>> {
  if (context.options.dir) return new Map();
  try {
    return await context.mux.readGlobalOptions(storeOptionNames);
  } catch (error) {
    if (error instanceof ContinuumError) return new Map();
    throw error;
  }
}

/** The same options, typed. */
export async function readStoreSettings(context: StoreOptionsSource): Promise<Settings> {
  return settingsFrom(await readStoreOptions(context));
}
