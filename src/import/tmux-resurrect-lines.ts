import { tmuxIndexLimits } from './import-limits.js';

/**
 * The records of a tmux-resurrect save file (see import-tmux-resurrect.ts for the format), read as
 * its restore.sh reads them. Pure. A line that fits none of save.sh's formats is listed as a
 * problem and skipped; what the records mean together is the converter's business.
 */

/** A line that was skipped: its number (from 1) and why. */
export interface LineProblem {
  readonly line: number;
  readonly problem: string;
}

export interface PaneLine {
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

export interface WindowLine {
  readonly line: number;
  readonly session: string;
  readonly window: number;
  readonly name: string | undefined;
  readonly flags: string;
  readonly layout: string;
  readonly automaticRename: boolean;
}

export interface GroupedLine {
  readonly line: number;
  readonly session: string;
  readonly original: string;
  readonly alternateWindow: number | undefined;
  readonly activeWindow: number | undefined;
}

export interface StateLine {
  readonly line: number;
  readonly session: string;
  readonly lastSession: string;
}

export interface TmuxResurrectLines {
  /** In the order of the file. */
  readonly panes: readonly PaneLine[];
  /** By {@link windowKey}; a window that appears twice is a problem, its first line kept. */
  readonly windows: ReadonlyMap<string, WindowLine>;
  readonly grouped: readonly GroupedLine[];
  /** The last state line, if any. */
  readonly state: StateLine | undefined;
  /** The lines skipped, in the order of the file. */
  readonly problems: readonly LineProblem[];
}

class LineError extends Error {}

/** The key of a window in {@link TmuxResurrectLines.windows}: `SESSION:INDEX`, as save.sh names panes. */
export function windowKey(session: string, window: number): string {
  return `${session}:${window}`;
}

/** Reads every record of a save's text; never throws for a malformed line. */
export function parseTmuxResurrectLines(text: string): TmuxResurrectLines {
  const problems: LineProblem[] = [];
  const panes: PaneLine[] = [];
  const windows = new Map<string, WindowLine>();
  const grouped: GroupedLine[] = [];
  let state: StateLine | undefined;

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
  return { panes, windows, grouped, state, problems };
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
