import { localDateOf } from '../human-text.js';
import { parseLayout } from '../mux/layout.js';
import {
  type PaneSnapshot,
  type SessionSnapshot,
  type Snapshot,
  snapshotFormatName,
  snapshotFormatVersion,
  validateSnapshot,
  type WindowSnapshot,
} from '../snapshot/schema.js';
import { keepOnlyColourSequences } from '../snapshot/terminal-text.js';
import { tmuxIndexLimits } from './import-limits.js';

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

/** A line that was skipped: its number (from 1) and why. */
export interface LineProblem {
  readonly line: number;
  readonly problem: string;
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
  /** The save's time (from its file name, see {@link tmuxResurrectSaveTime}). */
  readonly savedAt: Date;
  /** The socket path of the server the save is imported for. */
  readonly socketPath: string;
  /** The files of `pane_contents.tar.gz` when they belong to this save, by name in the archive. */
  readonly paneContentFiles?: ReadonlyMap<string, Uint8Array>;
}

/** `tmux_resurrect_20260314T091502.txt`: `date +%Y%m%dT%H%M%S`, local time. */
export const tmuxResurrectSaveFilePattern = /^tmux_resurrect_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)\.txt$/;

/** The local time a save's file name carries, or undefined when the name is not one save.sh makes. */
export function tmuxResurrectSaveTime(fileName: string): Date | undefined {
  const match = fileName.match(tmuxResurrectSaveFilePattern);
  if (!match) return undefined;
  return localDateOf(match.slice(1).map(Number));
}

interface PaneLine {
  readonly line: number;
  readonly session: string;
  readonly window: number;
  readonly windowName: string | undefined;
  readonly flags: string;
  readonly pane: number;
  readonly title: string;
  readonly directory: string;
  readonly active: boolean;
  readonly command: string;
  readonly fullCommand: string;
}

interface WindowLine {
  readonly line: number;
  readonly session: string;
  readonly window: number;
  readonly name: string | undefined;
  readonly flags: string;
  readonly layout: string;
  readonly automaticRename: boolean;
}

interface GroupedLine {
  readonly line: number;
  readonly session: string;
  readonly original: string;
  readonly alternateWindow: number | undefined;
  readonly activeWindow: number | undefined;
}

class LineError extends Error {}

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
  const problems: LineProblem[] = [];
  const panes: PaneLine[] = [];
  const windows = new Map<string, WindowLine>();
  const grouped: GroupedLine[] = [];
  let state: { line: number; session: string; lastSession: string } | undefined;

  for (const { line, fields } of logicalLines(text, problems)) {
    try {
      const kind = fields[0];
      if (kind === 'pane') panes.push(paneLine(fields, line));
      else if (kind === 'window') {
        const window = windowLine(fields, line);
        const key = windowKey(window.session, window.window);
        if (windows.has(key)) throw new LineError(`window ${window.session}:${window.window} appears twice`);
        windows.set(key, window);
      } else if (kind === 'grouped_session') grouped.push(groupedLine(fields, line));
      else if (kind === 'state') {
        if (fields.length !== 3) throw new LineError(`a state line has 3 fields, this one ${fields.length}`);
        state = { line, session: fields[1]!, lastSession: fields[2]! };
      } else throw new LineError(`unknown line type ${JSON.stringify(kind ?? '')}`);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problems.push({ line, problem: error.message });
    }
  }

  const warnings: string[] = [];
  const contents = new Map<string, string>();
  let windowCounter = 0;
  let paneCounter = 0;
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

  const sessions: SessionSnapshot[] = [];
  for (const sessionName of sessionOrder) {
    const sessionWindows: WindowSnapshot[] = [];
    for (const [key, windowPanes] of panesByWindow) {
      const first = windowPanes[0]!;
      if (first.session !== sessionName) continue;
      const window = windows.get(key);
      if (!window) {
        for (const pane of windowPanes)
          problems.push({ line: pane.line, problem: `window ${key} has no window line (no layout)` });
        continue;
      }
      const sortedPanes = [...windowPanes].sort((a, b) => a.pane - b.pane);
      const convertedPanes = sortedPanes.map((pane): PaneSnapshot => {
        const id = `%${paneCounter++}`;
        const archiveName = `pane_contents/pane-${key}.${pane.pane}`;
        const archived =
          options.paneContentFiles?.get(`./${archiveName}`) ?? options.paneContentFiles?.get(archiveName);
        if (archived) {
          const paneText = new TextDecoder('utf-8').decode(archived);
          contents.set(id, keepOnlyColourSequences(paneText));
        }
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
      });
      const name = window.name ?? first.windowName ?? '';
      const parsed = parseLayout(window.layout, convertedPanes.length);
      if (!parsed.ok)
        warnings.push(
          `window ${JSON.stringify(sessionName)}:${window.window} (${JSON.stringify(name)}): the saved layout cannot be used (${parsed.problem}); its panes will be restored tiled`,
        );
      sessionWindows.push({
        id: `@${windowCounter++}`,
        index: window.window,
        name,
        automaticRename: window.automaticRename,
        layout: window.layout === '' ? 'unknown' : window.layout,
        width: parsed.ok ? parsed.root.width : 80,
        height: parsed.ok ? parsed.root.height : 24,
        zoomed: window.flags.includes('Z'),
        active: window.flags.includes('*'),
        alternate: window.flags.includes('-'),
        paneBaseIndex: Math.min(1, ...convertedPanes.map((pane) => pane.index)),
        panes: convertedPanes,
      });
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

  // A grouped session shares the windows of its original (save.sh wrote no panes for it); only
  // which window is active and alternate is its own.
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

  if (withGroups.length === 0)
    throw new TmuxResurrectImportProblem('the save holds no usable session', problems);
  const names = new Set(withGroups.map((session) => session.name));
  const known = (name: string | undefined): string | null =>
    name !== undefined && names.has(name) ? name : null;
  const snapshot: Snapshot = {
    format: snapshotFormatName,
    version: snapshotFormatVersion,
    savedAt: options.savedAt.toISOString(),
    mux: { name: 'tmux', version: 'tmux-resurrect save' },
    // An import comes from no running server: pid 0 says so, and the save's own time makes it a
    // server lifetime of its own, so retention treats it as one.
    server: {
      pid: 0,
      startTime: Math.floor(options.savedAt.getTime() / 1000),
      socketPath: options.socketPath,
    },
    activeSession: known(state?.session),
    alternateSession: known(state?.lastSession),
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

function windowKey(session: string, window: number): string {
  return `${session}:${window}`;
}

/**
 * The file's records as bash's `read` (without `-r`, IFS a tab) sees them: a backslash takes the
 * next character literally, a backslash before the line end joins the next line, and a tab that
 * no backslash escapes separates fields. Unlike `read`, a run of tabs is not collapsed: save.sh
 * writes exactly one tab between fields, so an empty field is kept where it was written.
 */
function* logicalLines(text: string, problems: LineProblem[]): Generator<{ line: number; fields: string[] }> {
  const physical = text.split('\n');
  if (physical.at(-1) === '') physical.pop();
  let lineNumber = 0;
  while (lineNumber < physical.length) {
    const start = lineNumber + 1;
    const fields: string[] = [];
    let current = '';
    let continued = true;
    while (continued) {
      continued = false;
      const line = physical[lineNumber++] ?? '';
      for (let position = 0; position < line.length; position++) {
        const character = line[position]!;
        if (character === '\\') {
          if (position + 1 === line.length) {
            continued = lineNumber < physical.length;
            break;
          }
          current += line[++position];
        } else if (character === '\t') {
          fields.push(current);
          current = '';
        } else current += character;
      }
    }
    fields.push(current);
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.some((field) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(field))) {
      problems.push({ line: start, problem: 'it holds control characters' });
      continue;
    }
    yield { line: start, fields };
  }
}

function paneLine(fields: string[], line: number): PaneLine {
  const flag = (value: string | undefined) => value === '0' || value === '1';
  // Which of save.sh's pane formats: with the pane title (2022 on), with neither title nor
  // window name (before), or with the window name after the window index (before 2021).
  let layout: { windowName?: number; title?: number; flags: number; pane: number; directory: number };
  if (fields.length >= 11 && fields[3]?.startsWith(':') && flag(fields[4]))
    layout = { windowName: 3, flags: 5, pane: 6, directory: 7 };
  else if (fields.length >= 11 && flag(fields[3]) && flag(fields[8]))
    layout = { title: 6, flags: 4, pane: 5, directory: 7 };
  else if (fields.length >= 10 && flag(fields[3]) && flag(fields[7]))
    layout = { flags: 4, pane: 5, directory: 6 };
  else
    throw new LineError(
      `a pane line has 11 fields (window active and pane active 0 or 1); this one has ${fields.length}`,
    );
  const activeField = layout.directory + 1;
  const rest = fields.slice(activeField + 2).join('\t');
  return {
    line,
    session: sessionName(fields[1]),
    window: index(fields[2], 'window index', tmuxIndexLimits.window),
    windowName:
      layout.windowName === undefined ? undefined : prefixed(fields[layout.windowName], 'window name'),
    flags: prefixed(fields[layout.flags], 'window flags'),
    pane: index(fields[layout.pane], 'pane index', tmuxIndexLimits.pane),
    title: layout.title === undefined ? '' : fields[layout.title]!,
    directory: prefixed(fields[layout.directory], 'directory'),
    active: fields[activeField] === '1',
    command: fields[activeField + 1]!,
    fullCommand: prefixed(rest, 'full command'),
  };
}

function windowLine(fields: string[], line: number): WindowLine {
  if (fields.length === 8 && fields[3]?.startsWith(':'))
    return {
      line,
      session: sessionName(fields[1]),
      window: index(fields[2], 'window index', tmuxIndexLimits.window),
      name: prefixed(fields[3], 'window name'),
      flags: prefixed(fields[5], 'window flags'),
      layout: fields[6]!,
      // `:` is an unset window option: the global default, on unless the user turned it off.
      automaticRename: fields[7] === 'on' || fields[7] === ':',
    };
  if (fields.length === 6)
    return {
      line,
      session: sessionName(fields[1]),
      window: index(fields[2], 'window index', tmuxIndexLimits.window),
      name: undefined,
      flags: prefixed(fields[4], 'window flags'),
      layout: fields[5]!,
      automaticRename: false,
    };
  throw new LineError(`a window line has 8 fields; this one has ${fields.length}`);
}

function groupedLine(fields: string[], line: number): GroupedLine {
  if (fields.length !== 5)
    throw new LineError(`a grouped_session line has 5 fields; this one has ${fields.length}`);
  const optionalIndex = (value: string | undefined, what: string) => {
    const text = prefixed(value, what);
    return text === '' ? undefined : index(text, what, tmuxIndexLimits.window);
  };
  return {
    line,
    session: sessionName(fields[1]),
    original: sessionName(fields[2]),
    alternateWindow: optionalIndex(fields[3], 'alternate window'),
    activeWindow: optionalIndex(fields[4], 'active window'),
  };
}

function sessionName(value: string | undefined): string {
  if (value === undefined || value === '') throw new LineError('the session name is empty');
  return value;
}

function index(value: string | undefined, what: string, maximum: number): number {
  if (value === undefined || !/^\d+$/.test(value))
    throw new LineError(`the ${what} ${JSON.stringify(value ?? '')} is not a number`);
  const number = Number(value);
  if (number > maximum) throw new LineError(`the ${what} ${value} is larger than tmux allows (${maximum})`);
  return number;
}

function prefixed(value: string | undefined, what: string): string {
  if (value === undefined || !value.startsWith(':'))
    throw new LineError(`the ${what} field does not start with ":"`);
  return value.slice(1);
}
