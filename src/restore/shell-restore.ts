import { lstat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensurePrivateDirectory } from '../files/atomic-write.js';
import { sourcingProblem } from '../files/ownership.js';
import type { PaneLaunch } from '../mux/actions.js';
import { paneDirectoryProblem } from '../shell/pane-directory.js';
import { planPaneShellRestore, writePaneShellRestoreFiles } from '../shell/restore-shell.js';
import type { PaneSnapshot, Snapshot } from '../snapshot/schema.js';
import { readPaneHistoriesFile } from '../store/pane-histories-file.js';

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
  if (!(await usablePaneDirectory(directory, warn))) return 0;
  let written = 0;
  for (const saved of withShell) {
    const pane = await withoutUnsafeVirtualenv(saved, warn);
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

/**
 * Whether restored panes can be given their history and variables through the pane directory: not
 * when another user made it (or its parent) first. The restore goes on without them, said in one
 * line: another user's directory can cost the history, never the restore.
 */
export async function usablePaneDirectory(directory: string, warn: (line: string) => void): Promise<boolean> {
  let problem = await paneDirectoryProblem(directory);
  if (!problem) {
    await ensurePrivateDirectory(directory);
    problem = await paneDirectoryProblem(directory);
  }
  if (problem)
    warn(
      `${problem}; panes come back without their shell history and variables (remove it and restore again)`,
    );
  return problem === undefined;
}

/** The scripts a pane's shell sources to activate a virtualenv (snippet-*.ts), by shell. */
const activateScripts = ['bin/activate', 'bin/activate.fish', 'bin/Activate.ps1', 'Scripts/Activate.ps1'];

/**
 * The pane without its saved VIRTUAL_ENV when a script its shell would source there belongs to
 * another user or can be changed by one: a save (or a record another user planted) must not make
 * the user's shell run someone else's code. A virtualenv that is gone stays: the shell says so.
 */
async function withoutUnsafeVirtualenv(
  pane: PaneSnapshot,
  warn: (line: string) => void,
): Promise<PaneSnapshot> {
  const environment = pane.shell?.environment;
  const virtualenv = environment?.VIRTUAL_ENV;
  if (!pane.shell || !environment || virtualenv === undefined) return pane;
  for (const script of activateScripts) {
    const path = join(virtualenv, script);
    // One that is not there is not sourced (a dangling link is refused below: realpath fails).
    if (
      !(await lstat(path).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const problem = await sourcingProblem(path);
    if (!problem) continue;
    warn(`pane ${pane.id}: the virtualenv ${virtualenv} is not activated: ${problem}`);
    const { VIRTUAL_ENV: _refused, ...rest } = environment;
    return { ...pane, shell: { ...pane.shell, environment: rest } };
  }
  return pane;
}
