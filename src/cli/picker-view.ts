import { plural } from '../human-text.js';
import type { Snapshot } from '../snapshot/schema.js';
import { type PickerState, selectedSave, selectedSessions } from './picker-state.js';
import { displayWidth, printable, quoted, truncateToWidth } from './printable-text.js';
import { describeSnapshot } from './save-description.js';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** From this width on the preview sits beside the list; narrower, below it (an 80×24 popup). */
export const sideBySideColumns = 100;

/** Heading, filter line and key help: the rows that are not list or preview. */
const fixedRows = 3;

interface Areas {
  readonly listWidth: number;
  readonly listHeight: number;
  readonly previewWidth: number;
  readonly previewHeight: number;
  readonly sideBySide: boolean;
}

function areas(size: TerminalSize, rowCount = Number.MAX_SAFE_INTEGER): Areas {
  const columns = Math.max(1, size.columns);
  const body = Math.max(0, size.rows - fixedRows);
  if (columns >= sideBySideColumns) {
    const listWidth = Math.min(60, Math.floor(columns * 0.45));
    return {
      listWidth,
      listHeight: body,
      previewWidth: columns - listWidth - 1,
      previewHeight: body,
      sideBySide: true,
    };
  }
  // Below: up to a third of the body for the list (3 rows at least, when there is room; fewer
  // saves leave the rest to the preview), a rule, the preview.
  const least = Math.min(3, body);
  const listHeight = Math.min(Math.max(least, Math.floor(body * 0.35)), Math.max(least, rowCount));
  return {
    listWidth: columns,
    listHeight,
    previewWidth: columns,
    previewHeight: Math.max(0, body - listHeight - 1),
    sideBySide: false,
  };
}

/** Rows of the list as drawn at this size: what PgUp and PgDn move by. */
export function pickerListHeight(size: TerminalSize): number {
  return Math.max(1, areas(size).listHeight);
}

/**
 * Pure: the picker's screen, exactly `size.rows` lines, none wider than `size.columns` terminal
 * columns. Every text that comes from a save is escaped (`printable`, `quoted`,
 * `describeSnapshot`): a session named with an escape sequence must not drive the terminal.
 */
export function renderPicker(state: PickerState, size: TerminalSize): string[] {
  const columns = Math.max(1, size.columns);
  const fit = (line: string): string => truncateToWidth(line, columns);
  const heading = fit(printable(state.heading));
  const filter = fit(`filter: ${printable(state.filter)}${state.focus === 'saves' ? '_' : ''}`);
  let body: string[];
  if (state.mode.kind === 'browsing') body = renderBrowsing(state, size);
  else if (state.mode.kind === 'restoring') body = [`restoring ${printable(state.mode.what)} …`].map(fit);
  else body = state.mode.lines.flatMap((line) => wrapToWidth(printable(line), columns));
  const footer = fit(footerText(state));
  const bodyHeight = Math.max(0, size.rows - fixedRows);
  const lines = [heading, filter, ...fitHeight(body, bodyHeight, columns), footer];
  // A screen shorter than the fixed rows keeps the footer (the keys) and the heading first.
  return size.rows >= fixedRows ? lines : [heading, footer, filter].slice(0, Math.max(0, size.rows));
}

function footerText(state: PickerState): string {
  if (state.notice !== undefined) return `! ${printable(state.notice)}`;
  if (state.mode.kind === 'restoring') return 'restoring: please wait';
  if (state.mode.kind === 'finished') return 'press any key to leave';
  if (state.focus === 'sessions') return 'Enter restore this session only · Tab saves · ↑↓ move · Esc leave';
  // Fits the 78 columns inside an 80-column popup's border.
  return 'Enter restore · Tab its sessions · type to filter · ↑↓ move · Esc leave';
}

function renderBrowsing(state: PickerState, size: TerminalSize): string[] {
  const rowCount = state.focus === 'sessions' ? selectedSessions(state).length : state.matches.length;
  const area = areas(size, Math.max(1, rowCount));
  const list = renderList(state, area.listWidth, area.listHeight);
  const preview = renderPreview(state, area.previewWidth, area.previewHeight);
  if (!area.sideBySide) return [...list, '─'.repeat(area.listWidth), ...preview];
  return list.map((line, row) => `${padToWidth(line, area.listWidth)}│${preview[row] ?? ''}`);
}

function renderList(state: PickerState, width: number, height: number): string[] {
  const rows =
    state.focus === 'sessions' ? sessionRows(state) : state.matches.map((p) => state.saves[p]!.text);
  const cursor = state.focus === 'sessions' ? state.sessionCursor : state.cursor;
  const empty =
    state.saves.length === 0
      ? ['no saves yet: run `continuum save` (prefix + C-s)']
      : ['no save matches the filter (Backspace or C-u clears it)'];
  if (rows.length === 0) return fitHeight(empty, height, width);
  // The cursor stays in view, centred once the list scrolls, so rows on both sides show.
  const offset = Math.max(0, Math.min(cursor - Math.floor(height / 2), rows.length - height));
  const visible = rows.slice(offset, offset + height).map((row, index) => {
    const line = `${offset + index === cursor ? '>' : ' '} ${printable(row)}`;
    // The columns of `list` are padded for alignment; a narrow list gives up the padding after the
    // save's number first.
    return truncateToWidth(displayWidth(line) > width ? line.replace(/(?<=\d.*) {3,}/g, '  ') : line, width);
  });
  return fitHeight(visible, height, width);
}

function sessionRows(state: PickerState): string[] {
  const snapshot = selectedSave(state)?.snapshot;
  if (!snapshot) return [];
  return snapshot.sessions.map((session) => {
    const panes = session.windows.reduce((count, window) => count + window.panes.length, 0);
    return `session ${quoted(session.name)}  ${plural(session.windows.length, 'window')}, ${plural(panes, 'pane')}`;
  });
}

function renderPreview(state: PickerState, width: number, height: number): string[] {
  const save = selectedSave(state);
  if (!save || height === 0 || width < 1) return fitHeight([], height, width);
  const snapshot = save.snapshot;
  if (!snapshot) return fitHeight([`cannot read this save: ${printable(save.text)}`], height, width);
  if (state.focus === 'sessions') {
    const session = snapshot.sessions[state.sessionCursor];
    const name = selectedSessions(state)[state.sessionCursor];
    return fitHeight(
      [
        `restores only session ${quoted(name ?? '')} of this save:`,
        ...describeToFit({ ...snapshot, sessions: session ? [session] : [] }, width, height - 1),
      ],
      height,
      width,
    );
  }
  return fitHeight(describeToFit(snapshot, width, height), height, width);
}

/**
 * The save as `show` describes it, with each window's drawing only as high as leaves room for the
 * whole tree; when not even a small drawing fits, the tree alone (what a user recognises first).
 */
function describeToFit(snapshot: Snapshot, width: number, height: number): string[] {
  const tree = describeSnapshot(snapshot, width, 0);
  const windows = snapshot.sessions.reduce((count, session) => count + session.windows.length, 0);
  const room = Math.floor((height - tree.length) / Math.max(1, windows));
  // A box needs its top and bottom lines and one for the pane's label.
  return room >= 3 ? describeSnapshot(snapshot, width, room) : tree;
}

/** Lines broken at `width` columns (the summary of a restore names a long path). */
function wrapToWidth(line: string, width: number): string[] {
  if (width < 1) return [];
  const pieces: string[] = [];
  let piece = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(line)) {
    if (piece !== '' && displayWidth(piece + segment) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += segment;
  }
  return [...pieces, piece];
}

/**
 * Exactly `height` lines no wider than `width`: longer text is cut, and when lines are left
 * out the last one says how many.
 */
function fitHeight(lines: readonly string[], height: number, width: number): string[] {
  const cut = (line: string): string => truncateToWidth(line, Math.max(0, width));
  if (height <= 0) return [];
  if (lines.length <= height) return [...lines.map(cut), ...Array<string>(height - lines.length).fill('')];
  const kept = lines.slice(0, height - 1).map(cut);
  return [...kept, cut(`… ${plural(lines.length - kept.length, 'more line')}`)];
}

function padToWidth(line: string, width: number): string {
  return line + ' '.repeat(Math.max(0, width - displayWidth(line)));
}
