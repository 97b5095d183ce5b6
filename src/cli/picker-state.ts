import type { Snapshot } from '../snapshot/schema.js';
import type { PickerKey } from './picker-keys.js';

/** One save as the picker lists it. */
export interface PickerSave {
  /** The save's path: what the restore is given, so it restores exactly this file. */
  readonly path: string;
  /** The row as `continuum list` prints it, already escaped for the terminal. */
  readonly text: string;
  /** The save itself, or undefined when it cannot be read (the row says why). */
  readonly snapshot: Snapshot | undefined;
}

export type PickerFocus = 'saves' | 'sessions';

export type PickerMode =
  | { readonly kind: 'browsing' }
  | { readonly kind: 'restoring'; readonly what: string }
  | { readonly kind: 'finished'; readonly lines: readonly string[]; readonly failed: boolean };

export interface PickerState {
  /** The first line: whose saves these are. */
  readonly heading: string;
  readonly saves: readonly PickerSave[];
  /** What was typed; every word of it must occur in a save's row (or a session name) to list it. */
  readonly filter: string;
  /** Positions in `saves` of the listed saves, newest first. */
  readonly matches: readonly number[];
  /** Position in `matches` of the selected save. */
  readonly cursor: number;
  readonly focus: PickerFocus;
  /** Position of the selected session in the selected save. */
  readonly sessionCursor: number;
  /** Rows PgUp/PgDn move by: the height of the list as last drawn. */
  readonly pageSize: number;
  readonly mode: PickerMode;
  /** One line for the user about the last key (e.g. a save that cannot be read), until the next key. */
  readonly notice: string | undefined;
}

export type PickerEvent =
  | { readonly kind: 'key'; readonly key: PickerKey }
  | { readonly kind: 'resize'; readonly pageSize: number }
  | { readonly kind: 'restore-finished'; readonly lines: readonly string[]; readonly failed: boolean };

/** What the I/O shell must do after an update. */
export type PickerEffect =
  | { readonly kind: 'leave' }
  | { readonly kind: 'restore'; readonly path: string; readonly session: string | undefined };

export interface PickerUpdate {
  readonly state: PickerState;
  readonly effects: readonly PickerEffect[];
}

export function initialPickerState(
  heading: string,
  saves: readonly PickerSave[],
  pageSize = 10,
): PickerState {
  return {
    heading,
    saves,
    filter: '',
    matches: saves.map((_, position) => position),
    cursor: 0,
    focus: 'saves',
    sessionCursor: 0,
    pageSize: Math.max(1, pageSize),
    mode: { kind: 'browsing' },
    notice: undefined,
  };
}

/** The selected save, if any is listed. */
export function selectedSave(state: PickerState): PickerSave | undefined {
  const position = state.matches[state.cursor];
  return position === undefined ? undefined : state.saves[position];
}

/** Names of the sessions of the selected save, in saved order. */
export function selectedSessions(state: PickerState): string[] {
  return selectedSave(state)?.snapshot?.sessions.map((session) => session.name) ?? [];
}

/** Pure: whether a save is listed under a filter (case-insensitive, every word, row or session name). */
export function matchesFilter(save: PickerSave, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [save.text, ...(save.snapshot?.sessions.map((session) => session.name) ?? [])]
    .join('\n')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

const unchanged = (state: PickerState): PickerUpdate => ({ state, effects: [] });

/**
 * Pure: the picker's next state and what the shell must do. Nothing is restored or left except
 * through an effect, so every key's meaning is testable without a terminal.
 */
export function updatePicker(state: PickerState, event: PickerEvent): PickerUpdate {
  if (event.kind === 'resize') return unchanged({ ...state, pageSize: Math.max(1, event.pageSize) });
  if (event.kind === 'restore-finished')
    return unchanged({ ...state, mode: { kind: 'finished', lines: event.lines, failed: event.failed } });
  const { key } = event;
  if (state.mode.kind === 'restoring') {
    // The restore runs to its end either way (stopping it half-way would leave half a session).
    return unchanged(state);
  }
  if (state.mode.kind === 'finished') {
    // The summary stays until the user has seen it: any key closes the picker.
    return { state, effects: [{ kind: 'leave' }] };
  }
  const quiet = { ...state, notice: undefined };
  switch (key.kind) {
    case 'escape':
    case 'interrupt':
      return { state: quiet, effects: [{ kind: 'leave' }] };
    case 'character':
      // `q` leaves as in less and tmux's choose modes, but only before anything is typed, so a
      // filter can still hold a q.
      if (key.text === 'q' && state.filter === '') return { state: quiet, effects: [{ kind: 'leave' }] };
      return unchanged(withFilter(quiet, state.filter + key.text));
    case 'backspace':
      return unchanged(withFilter(quiet, [...state.filter].slice(0, -1).join('')));
    case 'clear-filter':
      return unchanged(withFilter(quiet, ''));
    case 'tab':
    case 'back-tab':
      return unchanged(switchFocus(quiet));
    case 'up':
      return unchanged(move(quiet, -1));
    case 'down':
      return unchanged(move(quiet, 1));
    case 'page-up':
      return unchanged(move(quiet, -state.pageSize));
    case 'page-down':
      return unchanged(move(quiet, state.pageSize));
    case 'home':
      return unchanged(move(quiet, -Number.MAX_SAFE_INTEGER));
    case 'end':
      return unchanged(move(quiet, Number.MAX_SAFE_INTEGER));
    case 'enter':
      return restore(quiet);
    case 'other':
      return unchanged(state);
  }
}

function withFilter(state: PickerState, filter: string): PickerState {
  const previous = state.matches[state.cursor];
  const matches = state.saves.flatMap((save, position) => (matchesFilter(save, filter) ? [position] : []));
  // The selected save stays selected while it is still listed.
  const kept = previous === undefined ? -1 : matches.indexOf(previous);
  return {
    ...state,
    filter,
    matches,
    cursor: Math.max(0, kept),
    focus: kept >= 0 ? state.focus : 'saves',
    sessionCursor: kept >= 0 ? state.sessionCursor : 0,
  };
}

function switchFocus(state: PickerState): PickerState {
  if (state.focus === 'sessions') return { ...state, focus: 'saves' };
  const save = selectedSave(state);
  if (!save) return state;
  if (!save.snapshot) return { ...state, notice: 'this save cannot be read: it has no sessions to choose' };
  return { ...state, focus: 'sessions', sessionCursor: 0 };
}

function move(state: PickerState, by: number): PickerState {
  const clamp = (value: number, count: number): number => Math.max(0, Math.min(count - 1, value));
  if (state.focus === 'sessions') {
    const count = selectedSessions(state).length;
    return count === 0 ? state : { ...state, sessionCursor: clamp(state.sessionCursor + by, count) };
  }
  if (state.matches.length === 0) return state;
  const cursor = clamp(state.cursor + by, state.matches.length);
  return cursor === state.cursor ? state : { ...state, cursor, sessionCursor: 0 };
}

function restore(state: PickerState): PickerUpdate {
  const save = selectedSave(state);
  if (!save) return unchanged({ ...state, notice: 'no save is listed: change the filter (Backspace, C-u)' });
  if (!save.snapshot) return unchanged({ ...state, notice: 'this save cannot be read: choose another one' });
  const session = state.focus === 'sessions' ? selectedSessions(state)[state.sessionCursor] : undefined;
  return {
    state: { ...state, mode: { kind: 'restoring', what: save.text } },
    effects: [{ kind: 'restore', path: save.path, session }],
  };
}
