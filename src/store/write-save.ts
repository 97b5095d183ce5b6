import { attachAgents } from '../agents/agent-capture.js';
import { readAgentProcess } from '../agents/agent-processes.js';
import { agentOptionNames } from '../agents/agent-settings.js';
import { hookOptionNames, runSaveHooks } from '../hooks/run-hook.js';
import type { MuxClient } from '../mux/mux-client.js';
import { optionalHome, type PathEnvironment } from '../platform/paths.js';
import { optionSettings, storeOptionNames } from '../settings/settings.js';
import { paneRecordsDirectory } from '../shell/pane-directory.js';
import { attachShellRecords, removeClosedPaneRecords } from '../shell/shell-capture.js';
import type { ServerCapture } from '../snapshot/capture.js';
import { paneContentsForSave, paneContentsOptionNames } from '../snapshot/pane-contents.js';
import {
  type SkippedSession,
  saveUnnamedFrom,
  saveUnnamedOption,
  sessionsToSave,
} from '../snapshot/sessions-to-save.js';
import { retentionFromOption } from './retention.js';
import type { SaveStore, WriteResult } from './save-store.js';

/** Every option a save reads, in the same tmux invocation as its capture. */
export const saveOptionNames: readonly string[] = [
  ...storeOptionNames,
  saveUnnamedOption,
  ...paneContentsOptionNames,
  ...hookOptionNames,
  ...agentOptionNames,
];

/**
 * The capture as a save keeps it: without psmux's own `__` sessions and, as
 * `@resurrect-save-unnamed` says, sessions the server named with a bare number. An empty result
 * is "nothing to save", which the callers say instead of writing.
 */
export function captureToSave(
  capture: ServerCapture,
  dialect: MuxClient['dialect'],
): { readonly capture: ServerCapture; readonly skipped: readonly SkippedSession[] } {
  const saveUnnamed = saveUnnamedFrom(capture.options.get(saveUnnamedOption), dialect.name);
  const { snapshot, skipped } = sessionsToSave(capture.snapshot, saveUnnamed);
  return { capture: skipped.length === 0 ? capture : { ...capture, snapshot }, skipped };
}

export interface WriteSaveDependencies {
  readonly mux: MuxClient;
  readonly now: () => Date;
  readonly warn: (line: string) => void;
  /** Where the shell integration's pane records are (src/shell/pane-directory.ts). */
  readonly paths?: PathEnvironment;
}

/**
 * What a save does once the server is captured, the same for `continuum save` and the daemon:
 * pane contents when enabled, the atomic write with retention, then the post-save hooks.
 */
export async function writeCapturedSave(
  dependencies: WriteSaveDependencies,
  capture: ServerCapture,
  store: SaveStore,
): Promise<WriteResult> {
  const retention = retentionFromOption(capture.options.get(optionSettings.deleteBackupAfter.name));
  const contents = await paneContentsForSave(
    dependencies.mux,
    capture.snapshot,
    capture.options,
    dependencies.warn,
  );
  // What the panes' shells recorded (`continuum shell-init`): command lines, named variables, history.
  const shell = dependencies.paths
    ? await attachShellRecords(capture.snapshot, paneRecordsDirectory(dependencies.paths))
    : { snapshot: capture.snapshot, histories: new Map<string, readonly string[]>() };
  // Coding agents and their sessions (src/agents/): read from their processes where procfs shows them.
  const withAgents = await attachAgents(shell.snapshot, capture.options, {
    home: dependencies.paths ? optionalHome(dependencies.paths) : process.env.HOME || undefined,
    readProcess:
      process.platform === 'linux' && dependencies.mux.dialect.programs !== 'reported-command'
        ? readAgentProcess
        : undefined,
    panePid: (paneId) => capture.panes.get(paneId)?.pid,
  });
  const outcome = await store.write(withAgents, retention, dependencies.now(), contents, shell.histories);
  if (dependencies.paths)
    await removeClosedPaneRecords(
      capture.snapshot,
      paneRecordsDirectory(dependencies.paths),
      dependencies.now(),
    );
  if (outcome.result === 'written') await runSaveHooks(capture.options, outcome.path, dependencies.warn);
  return outcome;
}
