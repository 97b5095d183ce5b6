import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planAgentStarts } from '../agents/agent-restore.js';
import { agentOptionNames, agentSettingsFrom } from '../agents/agent-settings.js';
import { hookOptionNames } from '../hooks/run-hook.js';
import type { MuxClient } from '../mux/mux-client.js';
import {
  type CreatedPane,
  type ProgramSettings,
  paneShellDialect,
  planProgramStarts,
  programOptionNames,
  programSettingsFrom,
  programToLaunch,
  strategyOptionNames,
  strategyTemplatesFrom,
} from '../programs/program-restore.js';
import { paneContentsOptionNames, paneContentsSettingsFrom } from '../snapshot/pane-contents.js';
import type { PaneSnapshot, Snapshot } from '../snapshot/schema.js';
import { readPaneContentsFile } from '../store/pane-contents-file.js';
import type { PaneLaunch, RestoreAction } from './actions.js';
import { PaneContentsCopies, programLaunch } from './contents-launch.js';

/** The options a restore reads for programs, pane contents and hooks, in its one capture. */
export const restoreExtraOptionNames: readonly string[] = [
  ...programOptionNames,
  ...paneContentsOptionNames,
  ...hookOptionNames,
  ...agentOptionNames,
];

/**
 * The saved pane contents, ready to be shown in the panes the restore creates, when
 * `@resurrect-capture-pane-contents` is on and the save has them. A missing or damaged contents
 * file costs the text, not the restore.
 */
export async function preparePaneContents(
  save: { readonly path: string; readonly snapshot: Snapshot },
  options: ReadonlyMap<string, string>,
  copiesDirectory: string,
  warn: (line: string) => void,
): Promise<PaneContentsCopies | undefined> {
  const reference = save.snapshot.paneContents;
  if (!reference || !paneContentsSettingsFrom(options).enabled) return undefined;
  // The save names a sibling file; anything that is not a bare file name is not ours to read.
  if (reference.file.includes('/') || reference.file.includes('\\') || reference.file.startsWith('.')) {
    warn(
      `${save.path}: its pane contents file name ${JSON.stringify(reference.file)} is not valid; panes come back without their text`,
    );
    return undefined;
  }
  try {
    const contents = new Map(await readPaneContentsFile(join(dirname(save.path), reference.file)));
    // An agent's screen is its own UI, which it redraws as it resumes: its text is not replayed.
    for (const paneId of agentPaneIds(save.snapshot, options)) contents.delete(paneId);
    return new PaneContentsCopies(copiesDirectory, contents, {
      defaultShell: options.get('default-shell') ?? '',
      defaultCommand: options.get('default-command') ?? '',
    });
  } catch (error) {
    warn(`${error instanceof Error ? error.message : String(error)}; panes come back without their text`);
    return undefined;
  }
}

/** `start-program` actions, and the panes whose saved command line is not typed. */
export interface ProgramActions {
  readonly actions: readonly RestoreAction[];
  readonly warnings: readonly string[];
}

/**
 * The program settings of a restore: the options it captured, and the `@continuum-strategy-<program>`
 * options, read in one more tmux invocation only when a saved pane has a program to consider.
 */
export async function readProgramSettings(
  mux: MuxClient,
  panes: readonly PaneSnapshot[],
  options: ReadonlyMap<string, string>,
): Promise<ProgramSettings> {
  const names = strategyOptionNames(panes.filter((pane) => pane.program !== null));
  const values = await mux.readGlobalOptions(names);
  return programSettingsFrom(new Map([...options, ...values]), strategyTemplatesFrom(values));
}

/**
 * How a created pane starts: its saved text first (pane contents), and its saved program when that
 * is started from its argv rather than typed (program-restore.ts decides).
 */
export function paneStart(
  pane: PaneSnapshot,
  settings: ProgramSettings,
  copies: PaneContentsCopies | undefined,
  options: ReadonlyMap<string, string>,
): PaneLaunch | undefined {
  // An agent the restore resumes is started by its resume line (planPrograms), never from its argv.
  const resumed = pane.agent !== undefined && agentSettingsFrom(options).enabled.has(pane.agent.name);
  const program = pane.program === null || resumed ? undefined : programToLaunch(pane, settings, existsSync);
  const withContents = copies?.launchFor(pane.id, program);
  if (withContents || !program) return withContents;
  return programLaunch(program, {
    defaultShell: options.get('default-shell') ?? '',
    defaultCommand: options.get('default-command') ?? '',
  });
}

/** The programs to type into created panes, and the panes whose saved command line is not typed. */
export function planPrograms(
  panesCreated: readonly CreatedPane[],
  settings: ProgramSettings,
  options: ReadonlyMap<string, string>,
): ProgramActions {
  const all = panesCreated.filter(({ pane }) => pane.program !== null);
  if (all.length === 0) return { actions: [], warnings: [] };
  // Agents resume first; the allowlist decides for every other program (and for disabled agents).
  const agents = planAgentStarts(
    all,
    agentSettingsFrom(options),
    (pane) => paneShellDialect(pane, settings),
    existsSync,
  );
  const agentActions = agents.starts.map((start): RestoreAction => ({ kind: 'start-program', ...start }));
  const withPrograms = all.filter(({ address }) => !agents.handled.has(address));
  const plan = planProgramStarts(withPrograms, settings, existsSync);
  return {
    actions: [
      ...agentActions,
      ...plan.starts.map((start): RestoreAction => ({ kind: 'start-program', ...start })),
    ],
    warnings: [...agents.warnings, ...plan.warnings],
  };
}

/** Panes of the save that ran an agent the restore resumes. */
function agentPaneIds(snapshot: Snapshot, options: ReadonlyMap<string, string>): string[] {
  const enabled = agentSettingsFrom(options).enabled;
  return snapshot.sessions.flatMap((session) =>
    session.windows.flatMap((window) =>
      window.panes.filter((pane) => pane.agent && enabled.has(pane.agent.name)).map((pane) => pane.id),
    ),
  );
}
