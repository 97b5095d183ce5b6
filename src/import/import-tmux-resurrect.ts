import { parseLayout } from '../mux/layout.js';
import {
  type PaneSnapshot,
  type SessionSnapshot,
  type Snapshot,
  validateSnapshot,
  type WindowSnapshot,
} from '../snapshot/schema.js';
import { importedSnapshotHeader } from './imported-snapshot.js';
import { archivedPaneText } from './tmux-resurrect-contents.js';
import {
  type GroupedLine,
  type LineProblem,
  type PaneLine,
  parseTmuxResurrectLines,
  type WindowLine,
  windowKey,
} from './tmux-resurrect-lines.js';

export { tmuxResurrectSaveFilePattern, tmuxResurrectSaveTime } from './tmux-resurrect-file-names.js';
export type { LineProblem } from './tmux-resurrect-lines.js';

/**
 * tmux-resurrect's save files (tmux-plugins/tmux-resurrect, scripts/save.sh and restore.sh): text,
 * one record per line, fields separated by tabs, named `tmux_resurrect_YYYYMMDDTHHMMSS.txt` in
 * local time. save.sh writes:
 *
 *   grouped_session  NAME  ORIGINAL  :ALTERNATE_WINDOW  :ACTIVE_WINDOW
 *   pane  SESSION  WINDOW  WINDOW_ACTIVE  :FLAGS  PANE  TITLE  :DIRECTORY  PANE_ACTIVE  COMMAND  :FULL_COMMAND
 *   window  SESSION  WINDOW  :NAME  WINDOW_ACTIVE  :FLAGS  LAYOUT  AUTOMATIC_RENAME
 *   state  CLIENT_SESSION  CLIENT_LAST_SESSION
 *
 * Fields that may be empty carry a `:` in front so that bash's `read`, for which a run of tabs is
 * one separator, keeps them. Older versions (before 2022) had no TITLE; before 2021 the window's
 * name was in the pane line (`:NAME` after WINDOW) and the window line had neither NAME nor
 * AUTOMATIC_RENAME. restore.sh reads every line with `read` without `-r`, so a backslash takes the
 * next character literally (a tab, a space — save.sh writes a directory's space as `\ ` — or a
 * backslash), and a backslash at the end of a line joins the next one. The same rules are applied
 * here. tmux itself wrote a tab or newline in a name as `\t`/`\n` (window_set_name's
 * utf8_stravis), which bash then read as `t`/`n`: such a name arrives as tmux-resurrect restored it.
 *
 * Pane contents are in `pane_contents.tar.gz` beside the saves: one file per pane,
 * `./pane_contents/pane-SESSION:WINDOW.PANE`, the output of `capture-pane -epJ`. There is one
 * archive per directory, written with the newest save.
 */

/** A save continuum cannot import at all (no usable session); the lines' own problems are listed. */
export class TmuxResurrectImportProblem extends Error {
  readonly lineProblems: readonly LineProblem[];
  constructor(problem: string, lineProblems: readonly LineProblem[] = []) {
    super(problem);
    this.name = 'TmuxResurrectImportProblem';
    this.lineProblems = lineProblems;
  }
}

export interface TmuxResurrectImport {
  readonly snapshot: Snapshot;
  /** Pane contents by the snapshot's pane ids; empty when the archive held none for this save. */
  readonly contents: ReadonlyMap<string, string>;
  /** Lines that were reported and skipped. */
  readonly lineProblems: readonly LineProblem[];
  /** What was kept but cannot be used as saved (a layout continuum cannot apply). */
  readonly warnings: readonly string[];
}

export interface TmuxResurrectImportOptions {
  /** The save's time (from its file name, see `tmuxResurrectSaveTime`). */
  readonly savedAt: Date;
  /** The socket path of the server the save is imported for. */
  readonly socketPath: string;
  /** The files of `pane_contents.tar.gz` when they belong to this save, by name in the archive. */
  readonly paneContentFiles?: ReadonlyMap<string, Uint8Array>;
}

/**
 * Converts one tmux-resurrect save (its bytes) into a continuum snapshot. Pure. A malformed line
 * is skipped and listed in `lineProblems`; a save left with no session throws
 * {@link TmuxResurrectImportProblem}.
 */
export function convertTmuxResurrectSave(
  bytes: Uint8Array,
  options: TmuxResurrectImportOptions,
): TmuxResurrectImport {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TmuxResurrectImportProblem('the file is not UTF-8 text');
  }
  const lines = parseTmuxResurrectLines(text);
  const problems: LineProblem[] = [...lines.problems];
  const warnings: string[] = [];
  const contents = new Map<string, string>();
  const { panesByWindow, sessionOrder } = groupPanes(lines.panes, lines.windows, problems);
  const counters = { window: 0, pane: 0 };

  const sessions: SessionSnapshot[] = [];
  for (const sessionName of sessionOrder) {
    const sessionWindows: WindowSnapshot[] = [];
    for (const [key, windowPanes] of panesByWindow) {
      if (windowPanes[0]!.session !== sessionName) continue;
      const window = lines.windows.get(key);
      if (!window) {
        for (const pane of windowPanes)
          problems.push({ line: pane.line, problem: `window ${key} has no window line (no layout)` });
        continue;
      }
      const convertedPanes = [...windowPanes]
        .sort((a, b) => a.pane - b.pane)
        .map((pane): PaneSnapshot => {
          const id = `%${counters.pane++}`;
          const paneText = archivedPaneText(options.paneContentFiles, key, pane.pane);
          if (paneText !== undefined) contents.set(id, paneText);
          return convertPane(pane, id);
        });
      sessionWindows.push(
        convertWindow(window, windowPanes[0]!, convertedPanes, `@${counters.window++}`, warnings),
      );
    }
    if (sessionWindows.length === 0) continue;
    sessionWindows.sort((a, b) => a.index - b.index);
    sessions.push({
      id: `$${sessions.length}`,
      name: sessionName,
      group: null,
      baseIndex: Math.min(1, ...sessionWindows.map((window) => window.index)),
      windows: sessionWindows,
    });
  }

  const withGroups = withGroupedSessions(sessions, lines.grouped, problems);
  if (withGroups.length === 0)
    throw new TmuxResurrectImportProblem('the save holds no usable session', problems);
  const names = new Set(withGroups.map((session) => session.name));
  const known = (name: string | undefined): string | null =>
    name !== undefined && names.has(name) ? name : null;
  const snapshot: Snapshot = {
    ...importedSnapshotHeader(
      options.savedAt,
      { name: 'tmux', version: 'tmux-resurrect save' },
      options.socketPath,
    ),
    activeSession: known(lines.state?.session),
    alternateSession: known(lines.state?.lastSession),
    sessions: withGroups,
  };
  const validation = validateSnapshot(snapshot);
  if (!validation.ok)
    throw new TmuxResurrectImportProblem(
      `the converted save is not valid (${validation.problem}${validation.field ? ` at ${validation.field}` : ''})`,
      problems,
    );
  return { snapshot: validation.snapshot, contents, lineProblems: problems, warnings };
}

/**
 * The pane lines by window, in the order of the file, and the sessions in the order their first
 * pane appears. A pane that appears twice, and a window with no pane, are problems.
 */
function groupPanes(
  panes: readonly PaneLine[],
  windows: ReadonlyMap<string, WindowLine>,
  problems: LineProblem[],
): { panesByWindow: Map<string, PaneLine[]>; sessionOrder: string[] } {
  const panesByWindow = new Map<string, PaneLine[]>();
  const sessionOrder: string[] = [];
  for (const pane of panes) {
    const key = windowKey(pane.session, pane.window);
    const list = panesByWindow.get(key);
    if (list?.some((other) => other.pane === pane.pane)) {
      problems.push({ line: pane.line, problem: `pane ${key}.${pane.pane} appears twice` });
      continue;
    }
    if (list) list.push(pane);
    else panesByWindow.set(key, [pane]);
    if (!sessionOrder.includes(pane.session)) sessionOrder.push(pane.session);
  }
  for (const window of windows.values()) {
    if (!panesByWindow.has(windowKey(window.session, window.window)))
      problems.push({
        line: window.line,
        problem: `window ${window.session}:${window.window} has no pane lines`,
      });
  }
  return { panesByWindow, sessionOrder };
}

function convertPane(pane: PaneLine, id: string): PaneSnapshot {
  return {
    id,
    index: pane.pane,
    cwd: pane.directory,
    title: pane.title,
    active: pane.active,
    currentCommand: pane.command,
    startCommand: '',
    // The full command is what `ps -o args` printed: the arguments joined by spaces.
    program: pane.fullCommand.trim() === '' ? null : { argv: pane.fullCommand.trim().split(/ +/) },
  };
}

/** A window with its size from its layout; a layout continuum cannot use is kept, with a warning. */
function convertWindow(
  window: WindowLine,
  firstPane: PaneLine,
  panes: PaneSnapshot[],
  id: string,
  warnings: string[],
): WindowSnapshot {
  const name = window.name ?? firstPane.windowName ?? '';
  const parsed = parseLayout(window.layout, panes.length);
  if (!parsed.ok)
    warnings.push(
      `window ${JSON.stringify(window.session)}:${window.window} (${JSON.stringify(name)}): the saved layout cannot be used (${parsed.problem}); its panes will be restored tiled`,
    );
  return {
    id,
    index: window.window,
    name,
    automaticRename: window.automaticRename,
    layout: window.layout === '' ? 'unknown' : window.layout,
    width: parsed.ok ? parsed.root.width : 80,
    height: parsed.ok ? parsed.root.height : 24,
    zoomed: window.flags.includes('Z'),
    active: window.flags.includes('*'),
    alternate: window.flags.includes('-'),
    paneBaseIndex: Math.min(1, ...panes.map((pane) => pane.index)),
    panes,
  };
}

/**
 * A grouped session shares the windows of its original (save.sh wrote no panes for it); only
 * which window is active and alternate is its own.
 */
function withGroupedSessions(
  sessions: readonly SessionSnapshot[],
  grouped: readonly GroupedLine[],
  problems: LineProblem[],
): SessionSnapshot[] {
  const withGroups: SessionSnapshot[] = [...sessions];
  for (const group of grouped) {
    const position = withGroups.findIndex((session) => session.name === group.original);
    const original = withGroups[position];
    if (!original || (original.group !== null && original.group !== group.original)) {
      problems.push({
        line: group.line,
        problem: `its original session ${JSON.stringify(group.original)} was not saved`,
      });
      continue;
    }
    if (withGroups.some((session) => session.name === group.session)) {
      problems.push({ line: group.line, problem: `session ${JSON.stringify(group.session)} appears twice` });
      continue;
    }
    withGroups[position] = { ...original, group: group.original };
    withGroups.push({
      id: `$${withGroups.length}`,
      name: group.session,
      group: group.original,
      baseIndex: original.baseIndex,
      windows: original.windows.map((window) => ({
        ...window,
        active: group.activeWindow === undefined ? window.active : window.index === group.activeWindow,
        alternate: window.index === group.alternateWindow,
      })),
    });
  }
  return withGroups;
}
