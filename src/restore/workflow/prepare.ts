import { join } from 'node:path';
import { NoSaveError } from '../../errors.js';
import { optionalHome, stateDirectory } from '../../platform/paths.js';
import type { ProgramSettings } from '../../programs/program-restore.js';
import { optionSettings, settingsFrom } from '../../settings/settings.js';
import { environmentOptionName } from '../../shell/environment-names.js';
import { paneDirectoryProblem, paneRecordsDirectory } from '../../shell/pane-directory.js';
import type { ServerCapture } from '../../snapshot/capture.js';
import type { SaveSelector } from '../../store/save-selector.js';
import type { LoadedSave, SaveStore } from '../../store/save-store.js';
import { removeStaleTemporaryFiles } from '../../store/temporary-files.js';
import type { PaneContentsCopies } from '../contents-launch.js';
import { inServerNameForm } from '../names-for-server.js';
import type { LiveState, PlanEnvironment } from '../plan/plan-types.js';
import {
  preparePaneContents,
  readProgramSettings,
  restoreExtraOptionNames,
} from '../programs-and-contents.js';
import { type SessionSelection, selectSessions } from '../select-sessions.js';
import type { RestoreDependencies } from './dependencies.js';
import { firstSessionFacts, globalIndexes, ownSessionOf } from './live-facts.js';
import type { RestoreOutcome } from './outcome.js';
import type { RestoreRequest } from './request.js';

/** psmux-resurrect's option: a running session of a saved name gives way to the saved one. */
const overwriteOption = optionSettings.overwrite.name;

/** All a restore knows before it plans: the live server, the save, and how created panes start. */
export interface PreparedRestore {
  readonly kind: 'prepared';
  readonly live: ServerCapture;
  readonly store: SaveStore;
  readonly selector: SaveSelector;
  /** The save (only the chosen sessions, with `--session`), its names in the live server's form. */
  readonly save: LoadedSave;
  /** `--session`: the sessions chosen, with the members of their groups. */
  readonly chosen: Extract<SessionSelection, { ok: true }> | undefined;
  readonly liveState: LiveState;
  /** What the plan needs besides how a pane starts (which only the restore itself uses). */
  readonly planEnvironment: PlanEnvironment;
  readonly programSettings: ProgramSettings;
  readonly copies: PaneContentsCopies | undefined;
  /** Where the panes of shells with `continuum shell-init` find their restore files. */
  readonly shellDirectory: string;
  /** False when the pane directory is another user's: panes then come back without those files. */
  readonly shellDirectoryUsable: boolean;
}

/**
 * Reads what the plan needs: the live server (one capture), the save, the state of the server's
 * first session, the global indexes, the saved pane contents and the program settings. Changes
 * nothing but stale script directories of a killed restore, and that not on a dry run.
 */
export async function prepareRestore(
  dependencies: RestoreDependencies,
  request: RestoreRequest,
  warn: (line: string) => void,
): Promise<PreparedRestore | Extract<RestoreOutcome, { kind: 'unknown-sessions' }>> {
  const { mux } = dependencies;
  const live = await dependencies.captureServer(dependencies, [
    ...dependencies.storeOptionNames,
    ...restoreExtraOptionNames,
    environmentOptionName,
    overwriteOption,
  ]);
  for (const line of live.warnings) warn(line);
  const store = await dependencies.store(live.options);
  const selector: SaveSelector = request.save ?? { kind: 'newest' };
  const loaded = await store.load(selector).catch(async (error: unknown) => {
    throw selector.kind === 'newest' && error instanceof NoSaveError && dependencies.noSaveError
      ? await dependencies.noSaveError(error, store.directory, live.options)
      : error;
  });
  const chosen = request.sessions?.length ? selectSessions(loaded.snapshot, request.sessions) : undefined;
  if (chosen && !chosen.ok)
    return {
      kind: 'unknown-sessions',
      savePath: loaded.path,
      unknown: chosen.unknown,
      held: loaded.snapshot.sessions.map((session) => session.name),
    };
  // A save from another tmux version: its session names as this server stores them.
  const named = inServerNameForm(chosen ? chosen.snapshot : loaded.snapshot, live.snapshot.mux);
  for (const line of named.warnings) warn(line);
  const save = { ...loaded, snapshot: named.snapshot };
  // A restore killed half-way leaves its script directory behind; the next one clears it.
  if (!request.dryRun) await removeStaleTemporaryFiles(store.directory);
  const copies = await preparePaneContents(
    save,
    live.options,
    join(stateDirectory(dependencies.paths), 'pane-contents'),
    warn,
  );
  const liveState: LiveState = {
    ...live,
    firstSession: await firstSessionFacts(mux, live, dependencies.now(), dependencies.paneRunsJobs),
    ...(await globalIndexes(mux)),
  };
  const planEnvironment: PlanEnvironment = {
    directoryExists: dependencies.directoryExists,
    // A pane whose directory is gone starts here; without a home directory, at the root.
    home: optionalHome(dependencies.paths) ?? '/',
    bootstrapParkingName: `continuum-bootstrap-${dependencies.processId}`,
    temporarySessionPrefix: `continuum-restoring-${dependencies.processId}`,
    partial: chosen !== undefined,
    overwrite: settingsFrom(live.options).overwrite,
    ...ownSessionOf(live, dependencies.paths.environment),
  };
  const shellDirectory = paneRecordsDirectory(dependencies.paths);
  // Another user's pane directory gets no restore files; the panes come back without them.
  const shellDirectoryUsable = (await paneDirectoryProblem(shellDirectory)) === undefined;
  const programSettings = await readProgramSettings(
    mux,
    save.snapshot.sessions.flatMap((session) => session.windows.flatMap((window) => window.panes)),
    live.options,
  );
  return {
    kind: 'prepared',
    live,
    store,
    selector,
    save,
    chosen,
    liveState,
    planEnvironment,
    programSettings,
    copies,
    shellDirectory,
    shellDirectoryUsable,
  };
}
