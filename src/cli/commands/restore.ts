import { appendFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ContinuumError, exitCodes, NoSaveError, PartialRestoreError } from '../../errors.js';
import { describeCounts, localTime, plural } from '../../human-text.js';
import { holdsPsmuxSaves, psmuxResurrectDirectory } from '../../import/psmux-save-files.js';
import {
  findTmuxResurrectSaveDirectory,
  tmuxResurrectDirectories,
  tmuxResurrectImportHint,
} from '../../import/tmux-resurrect-directories.js';
import { statusLineReporter } from '../../integration/restore-status.js';
import { optionalHome } from '../../platform/paths.js';
import { describeAction } from '../../restore/actions.js';
import type { OverwrittenSession } from '../../restore/plan/plan-types.js';
import { terminalProgressLine } from '../../restore/progress-text.js';
import { restoreWorkflow } from '../../restore/restore-workflow.js';
import {
  defaultRestoreCollaborators,
  type RestoreDependencies,
} from '../../restore/workflow/dependencies.js';
import type { RestoreOutcome } from '../../restore/workflow/outcome.js';
import type { RestoreProgress, RestoreRequest } from '../../restore/workflow/request.js';
import { environmentSettings, settingsFrom, storeOptionNames } from '../../settings/settings.js';
import { countPanes } from '../../snapshot/structure.js';
import type { LoadedSave } from '../../store/save-store.js';
import { type CommandContext, serverIdentityOf } from '../context.js';
import { printable, quoted } from '../printable-text.js';
import { selectSave } from '../save-argument.js';
import { continuumCommand } from './daemon-target.js';

export interface RestoreCommandOptions {
  readonly dryRun?: boolean;
  readonly quiet?: boolean;
  /** `--before TIME`: this server's newest save before it, instead of SAVE. */
  readonly before?: string;
  /** `--session NAME…`: only these sessions (and their groups) of the save. */
  readonly session?: readonly string[];
  /** Run from inside tmux (the picker's popup): progress goes to the status line, not the terminal. */
  readonly statusLine?: boolean;
}

/** Machine-readable progress for `npm run bench`: JSON lines appended to this file. */
export const benchReportVariable = environmentSettings.benchReport.name;

/** What the restore workflow needs, from a command's context. */
export function restoreDependencies(context: CommandContext): RestoreDependencies {
  return {
    ...defaultRestoreCollaborators(),
    mux: context.mux,
    inspectPrograms: context.inspectPrograms,
    now: context.now,
    paths: context.paths,
    directoryExists: context.directoryExists,
    storeOptionNames,
    store: (options) => context.store(options),
    serverIdentity: serverIdentityOf(context),
    noSaveError: (error, directory, options) =>
      withImportHint(error, directory, context, settingsFrom(options).saveDirectory),
  };
}

export async function runRestore(
  context: CommandContext,
  saveName: string | undefined,
  options: RestoreCommandOptions,
): Promise<void> {
  // A bad TIME is a usage error before anything is locked or asked of tmux.
  const selector = selectSave(saveName, options.before, context.now());
  const terminal = !options.quiet && !options.dryRun && !options.statusLine && process.stderr.isTTY === true;
  const status = options.statusLine && !options.dryRun ? await statusLineReporter(context.mux) : undefined;
  const progress = combineProgress(
    terminal ? terminalProgress(Date.now()) : undefined,
    status?.report,
    benchReport(context.paths.environment[benchReportVariable]),
  );
  let outcome: RestoreOutcome;
  try {
    outcome = await restoreWorkflow(restoreDependencies(context), {
      save: selector,
      sessions: options.session,
      dryRun: options.dryRun,
      progress,
      // Printed as they come, so a restore that fails later still shows them; a progress line
      // on the terminal is erased first and redrawn by the next step.
      onWarning: (line) => {
        if (terminal) process.stderr.write('\r\x1b[2K');
        context.warn(line);
      },
    });
  } finally {
    // The progress line is rewritten in place: gone before anything else is printed.
    if (terminal) process.stderr.write('\r\x1b[2K');
    await status?.finish();
  }
  if (outcome.kind === 'unknown-sessions') {
    // A name the save does not hold: exit 5, as a save that is not there, naming those it holds.
    throw new ContinuumError(
      `${printable(basename(outcome.savePath, '.json'))} holds no session ${outcome.unknown.map(quoted).join(', ')}; it holds ${outcome.held.map(quoted).join(', ')}`,
      { exitCode: exitCodes.noSave, hint: 'give --session one of those names (see `continuum show`)' },
    );
  }
  if (outcome.kind === 'planned') {
    context.print(`restore plan for ${outcome.savePath} (${plural(outcome.actions.length, 'action')}):`);
    for (const action of outcome.actions) context.print(`  ${describeAction(action)}`);
    return;
  }
  // The summary says what came back, with the number of failures; the error then names them.
  if (!options.quiet) for (const line of summaryLines(context, outcome)) context.print(line);
  if (outcome.kind === 'restored' && outcome.failures.length > 0)
    throw new PartialRestoreError(outcome.failures);
}

/**
 * The summary of a restore: one line (the key binding shows it as a message), and for a save that
 * was already there, where an earlier one is.
 */
export function summaryLines(
  context: CommandContext,
  outcome: Extract<RestoreOutcome, { kind: 'nothing-to-restore' | 'restored' }>,
): string[] {
  const time = `${(outcome.milliseconds / 1000).toFixed(2)} s`;
  if (outcome.kind === 'nothing-to-restore') {
    const lines = [`nothing to restore: every session and window in ${outcome.savePath} is already there`];
    if (outcome.earlierSave) lines.push(describeEarlierSave(context, outcome.earlierSave));
    return lines;
  }
  // Nothing of the save is left out silently: the one summary line says where whatever did not
  // fit went.
  const notes = [
    ...(outcome.groupMembers.length > 0
      ? [
          `with ${outcome.groupMembers.map((name) => JSON.stringify(name)).join(', ')}, which ${outcome.groupMembers.length === 1 ? 'shares its windows' : 'share their windows'} in a session group`,
        ]
      : []),
    ...outcome.movedAside.map(
      (moved) =>
        `moved session ${JSON.stringify(moved.from)} aside to ${JSON.stringify(moved.to)} (kept) to restore the saved one exactly`,
    ),
    ...outcome.overwritten.map((session) => describeOverwritten(session)),
    ...outcome.placedElsewhere.map(
      (placed) =>
        `placed saved window ${JSON.stringify(placed.session)}:${placed.savedIndex} ${JSON.stringify(placed.windowName)} at index ${placed.index} (index ${placed.savedIndex} holds another window)`,
    ),
    ...(outcome.alreadyPresent.length > 0
      ? [`${plural(outcome.alreadyPresent.length, 'session')} already present`]
      : []),
    ...(outcome.failures.length > 0 ? [`${outcome.failures.length} failed`] : []),
  ];
  return [
    `restored ${plural(outcome.created.length, 'session')} and ${plural(outcome.windowsCreated, 'window')} from ${outcome.savePath}` +
      (outcome.replaced === undefined ? '' : ` (replaced the new server's session "${outcome.replaced}")`) +
      notes.map((note) => `; ${note}`).join('') +
      ` in ${time}`,
  ];
}

type ProgressListener = NonNullable<RestoreRequest['progress']>;

function combineProgress(...listeners: (ProgressListener | undefined)[]): ProgressListener | undefined {
  const present = listeners.filter((listener): listener is ProgressListener => listener !== undefined);
  if (present.length === 0) return undefined;
  return async (event) => {
    for (const listener of present) await listener(event);
  };
}

/** A progress line on the terminal (stderr), rewritten in place. */
function terminalProgress(started: number): ProgressListener {
  return (event: RestoreProgress) => {
    if (event.kind !== 'building') return;
    const line = terminalProgressLine(event, Date.now() - started);
    // Cut to the terminal's width: a wrapped line could not be rewritten in place.
    const width = process.stderr.columns || 80;
    process.stderr.write(`\r\x1b[2K${line.slice(0, Math.max(10, width - 1))}`);
  };
}

/** `CONTINUUM_BENCH_REPORT=path`: one JSON line per event with the wall-clock time, for the bench. */
function benchReport(path: string | undefined): ProgressListener | undefined {
  if (!path) return undefined;
  return async (event) => {
    await appendFile(path, `${JSON.stringify({ ...event, at: Date.now() })}\n`, { mode: 0o600 });
  };
}

/** Names the earlier save and the command that restores it, with the options the user gave. */
function describeEarlierSave(context: CommandContext, earlier: LoadedSave): string {
  const name = basename(earlier.path, '.json');
  const command = continuumCommand(context, 'restore', name);
  return (
    `the newest save from before this server started is ${name} (saved ${localTime(earlier.snapshot.savedAt)}: ` +
    `${describeCounts(countPanes(earlier.snapshot))}); to restore it: ${command}`
  );
}

/**
 * A tmux-resurrect or psmux user's first restore finds no continuum save but their old plugin's:
 * say how to bring them along instead of only "run `continuum save` first", which would save the empty bootstrap.
 */
async function withImportHint(
  error: NoSaveError,
  directory: string,
  context: CommandContext,
  resurrectDir: string | undefined,
): Promise<NoSaveError> {
  const suffix = ` in ${directory}`;
  const what = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : 'no save found';
  const tmuxResurrect = await findTmuxResurrectSaveDirectory(
    tmuxResurrectDirectories(context.paths, resurrectDir),
  );
  if (tmuxResurrect)
    return new NoSaveError(directory, what, `${tmuxResurrectImportHint(tmuxResurrect)}, then restore`);
  const home = context.paths.environment.USERPROFILE || optionalHome(context.paths);
  if (home === undefined) return error;
  const psmuxDirectory = psmuxResurrectDirectory(context.paths.environment, home);
  if (!(await holdsPsmuxSaves(psmuxDirectory))) return error;
  return new NoSaveError(
    directory,
    what,
    `psmux-resurrect saves are in ${psmuxDirectory}: bring them along with \`continuum import ${psmuxDirectory}\`, then restore`,
  );
}

/** `@resurrect-overwrite`: which running session gave way, and where one that stays went. */
function describeOverwritten(session: OverwrittenSession): string {
  const name = JSON.stringify(session.name);
  const parked = JSON.stringify(session.parkedAs);
  if (session.kept === undefined)
    return `replaced running session ${name} with the saved one (@resurrect-overwrite)`;
  const why = session.kept === 'own' ? 'this restore runs in it' : 'a client is attached to it';
  return `replaced running session ${name} with the saved one (@resurrect-overwrite); the running one is kept as ${parked}: ${why}`;
}
