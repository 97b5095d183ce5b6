import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensurePrivateDirectory, writeFileAtomically } from '../files/atomic-write.js';
import {
  findTmuxResurrectSaveDirectory,
  tmuxResurrectDirectories,
  tmuxResurrectImportHint,
} from '../import/tmux-resurrect-directories.js';
import type { MuxClient } from '../mux/mux-client.js';
import { queryFields } from '../mux/query-fields.js';
import { type PathEnvironment, stateDirectory } from '../platform/paths.js';
import type { SaveStore } from '../store/save-store.js';

export interface ImportOffer {
  readonly mux: MuxClient;
  readonly paths: PathEnvironment;
  readonly now: () => Date;
  readonly say: (line: string) => void;
  /** This server's saves and the `@resurrect-dir` they were found with, read only when needed. */
  readonly store: () => Promise<{ readonly store: SaveStore; readonly resurrectDir: string | undefined }>;
}

/**
 * A tmux-resurrect user who switches finds "no save" on their first restore although their old
 * saves are on disk: init tells them once, in a tmux message, how to bring them along. A file in
 * the state directory remembers the offer (per user: it is the same saves for every server), and
 * is written only once the message was shown.
 */
export async function offerTmuxResurrectImportOnce(offer: ImportOffer): Promise<void> {
  const { mux, paths, say } = offer;
  const marker = join(stateDirectory(paths), 'tmux-resurrect-import-offered');
  if (
    await stat(marker).then(
      () => true,
      () => false,
    )
  )
    return;
  const { store, resurrectDir } = await offer.store();
  if ((await store.newestSaveName()) !== undefined) return;
  const found = await findTmuxResurrectSaveDirectory(tmuxResurrectDirectories(paths, resurrectDir));
  if (!found) return;
  const hint = `continuum: ${tmuxResurrectImportHint(found)}`;
  say(hint);
  // With no client (init at server start), display-message shows nothing and does not fail:
  // offer it on the next init instead.
  const clients = await queryFields(mux, (format) => ['list-clients', '-F', format], ['client_name']).catch(
    () => [],
  );
  if (clients.length === 0) return;
  await mux.run(['display-message', '-d', '10000', mux.dialect.messageText(hint)]);
  await ensurePrivateDirectory(dirname(marker));
  await writeFileAtomically(marker, `${offer.now().toISOString()} ${found}\n`);
}
