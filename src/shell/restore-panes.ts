import { dirname, join } from 'node:path';
import type { PaneLaunch } from '../restore/actions.js';
import type { PaneSnapshot, Snapshot } from '../snapshot/schema.js';
import { readPaneHistoriesFile } from '../store/pane-histories-file.js';
import { planPaneShellRestore, writePaneShellRestoreFiles } from './restore-shell.js';

/**
 * The environment to create a restored pane with (`-e NAME=VALUE` on new-session, new-window or
 * split-window), or undefined when its shell recorded nothing. Pure and the same as the one
 * `writeShellRestoreFiles` plans, so the plan can call it while it builds its actions.
 */
export function shellRestoreEnvironment(
  pane: PaneSnapshot,
  directory: string,
): Readonly<Record<string, string>> | undefined {
  return planPaneShellRestore(pane, { directory, history: undefined, namedVariables: [] })?.environment;
}

/**
 * Before the restore's panes are created: writes each created pane's restore file (its history
 * and named variables) where its shell will read it. A missing or damaged histories file costs
 * the history, not the restore; the variables still come back.
 */
export async function writeShellRestoreFiles(
  save: { readonly path: string; readonly snapshot: Snapshot },
  createdPanes: readonly PaneSnapshot[],
  directory: string,
  namedVariables: readonly string[],
  warn: (line: string) => void,
): Promise<number> {
  const withShell = createdPanes.filter((pane) => pane.shell?.identity);
  if (withShell.length === 0) return 0;
  let histories = new Map<string, string[]>();
  const file = save.snapshot.paneHistories?.file;
  // The save names a sibling file; anything that is not a bare file name is not ours to read.
  if (file && !file.includes('/') && !file.includes('\\') && !file.startsWith('.')) {
    try {
      histories = await readPaneHistoriesFile(join(dirname(save.path), file));
    } catch (error) {
      warn(
        `${error instanceof Error ? error.message : String(error)}; panes come back without their history`,
      );
    }
  }
  let written = 0;
  for (const pane of withShell) {
    const restore = planPaneShellRestore(pane, {
      directory,
      history: histories.get(pane.id),
      namedVariables,
      savedAt: save.snapshot.savedAt,
    });
    if (!restore) continue;
    await writePaneShellRestoreFiles(directory, restore);
    written += 1;
  }
  return written;
}

/**
 * A created pane's launch with the shell integration's environment added: the pane keeps its
 * pane contents command (if any), and its shell finds its identity and restore file.
 */
export function withShellRestore(
  launch: PaneLaunch | undefined,
  environment: Readonly<Record<string, string>> | undefined,
): PaneLaunch | undefined {
  if (!environment) return launch;
  return {
    description: `${launch ? `${launch.description}, ` : ''}its shell's history and variables back`,
    command: launch?.command ?? [],
    environment,
  };
}
