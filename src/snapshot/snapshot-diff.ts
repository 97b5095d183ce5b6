import type { Snapshot } from './schema.js';
import {
  type PaneStructure,
  type SessionStructure,
  snapshotStructure,
  type WindowStructure,
} from './structure.js';

export type FieldValue = string | number | boolean | readonly string[] | null;

export type SessionField = 'group' | 'baseIndex';
/** `name` is null while tmux names the window itself (automatic-rename on). */
export type WindowField = 'name' | 'layout' | 'zoomed' | 'active' | 'alternate' | 'paneBaseIndex';
export type PaneField = 'index' | 'cwd' | 'program' | 'title' | 'active';
export type ServerField = 'activeSession' | 'alternateSession';

/**
 * One difference between two snapshots, from `before` to `after`. Windows are named by session
 * name and window index, panes by their position in the window (the nth pane by index) and
 * the index they have in `after` (in `before` when removed).
 */
export type SnapshotChange =
  | { readonly kind: 'session-added' | 'session-removed'; readonly session: SessionStructure }
  /** A session gone and one come with the same windows: the same session under a new name. */
  | { readonly kind: 'session-renamed'; readonly before: string; readonly after: string }
  | {
      readonly kind: 'session-changed';
      readonly session: string;
      readonly field: SessionField;
      readonly before: FieldValue;
      readonly after: FieldValue;
    }
  | {
      readonly kind: 'window-added' | 'window-removed';
      readonly session: string;
      readonly window: WindowStructure;
    }
  /** A window gone from one index and the same window at another index of the same session. */
  | {
      readonly kind: 'window-moved';
      readonly session: string;
      readonly before: number;
      readonly after: number;
    }
  | {
      readonly kind: 'window-changed';
      readonly session: string;
      readonly window: number;
      readonly field: WindowField;
      readonly before: FieldValue;
      readonly after: FieldValue;
    }
  | {
      readonly kind: 'pane-added' | 'pane-removed';
      readonly session: string;
      readonly window: number;
      readonly pane: PaneStructure;
    }
  | {
      readonly kind: 'pane-changed';
      readonly session: string;
      readonly window: number;
      readonly pane: number;
      readonly field: PaneField;
      readonly before: FieldValue;
      readonly after: FieldValue;
    }
  | {
      readonly kind: 'server-changed';
      readonly field: ServerField;
      readonly before: string | null;
      readonly after: string | null;
    };

/**
 * What differs between two snapshots, compared on `snapshotStructure` (ids, pids, the time and
 * automatic window names change on every save and are no difference). Empty exactly when the two
 * have the same structure. Pure.
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotChange[] {
  const old = snapshotStructure(before);
  const current = snapshotStructure(after);
  const oldSessions = new Map(old.sessions.map((session) => [session.name, session]));
  const newSessions = new Map(current.sessions.map((session) => [session.name, session]));
  const renames = pairUp(
    old.sessions.filter((session) => !newSessions.has(session.name)),
    current.sessions.filter((session) => !oldSessions.has(session.name)),
    (a, b) => a.baseIndex === b.baseIndex && same(a.windows, b.windows),
  );
  const renamedTo = new Map([...renames].map(([a, b]) => [a.name, b.name]));
  const renameTargets = new Set(renamedTo.values());
  const changes: SnapshotChange[] = [];
  for (const name of sortedUnion(oldSessions.keys(), newSessions.keys())) {
    const a = oldSessions.get(name);
    const b = newSessions.get(name);
    if (a && b) changes.push(...diffSession(a, b));
    else if (a && renamedTo.has(name))
      changes.push({ kind: 'session-renamed', before: name, after: renamedTo.get(name)! });
    else if (a) changes.push({ kind: 'session-removed', session: a });
    else if (b && !renameTargets.has(name)) changes.push({ kind: 'session-added', session: b });
  }
  for (const field of ['activeSession', 'alternateSession'] as const) {
    const was = old[field];
    // A renamed active session is still the active session: its rename is the one change.
    const wasAfterRenames = was === null ? null : (renamedTo.get(was) ?? was);
    if (wasAfterRenames !== current[field])
      changes.push({ kind: 'server-changed', field, before: was, after: current[field] });
  }
  return changes;
}

function diffSession(a: SessionStructure, b: SessionStructure): SnapshotChange[] {
  const session = a.name;
  const changes: SnapshotChange[] = [];
  for (const field of ['group', 'baseIndex'] as const) {
    if (!same(a[field], b[field]))
      changes.push({ kind: 'session-changed', session, field, before: a[field], after: b[field] });
  }
  const oldWindows = new Map(a.windows.map((window) => [window.index, window]));
  const newWindows = new Map(b.windows.map((window) => [window.index, window]));
  const moves = pairUp(
    a.windows.filter((window) => !newWindows.has(window.index)),
    b.windows.filter((window) => !oldWindows.has(window.index)),
    // Moving a window often makes another one active: the flags may change with the move.
    (x, y) => same(movable(x), movable(y)),
  );
  const movedTo = new Map([...moves].map(([x, y]) => [x.index, y.index]));
  const moveTargets = new Set(movedTo.values());
  const indexes = [...new Set([...oldWindows.keys(), ...newWindows.keys()])].sort((x, y) => x - y);
  for (const index of indexes) {
    const x = oldWindows.get(index);
    const y = newWindows.get(index);
    if (x && y) changes.push(...diffWindow(session, index, x, y));
    else if (x && movedTo.has(index)) {
      const to = movedTo.get(index)!;
      changes.push({ kind: 'window-moved', session, before: index, after: to });
      changes.push(...diffWindow(session, to, x, newWindows.get(to)!));
    } else if (x) changes.push({ kind: 'window-removed', session, window: x });
    else if (y && !moveTargets.has(index)) changes.push({ kind: 'window-added', session, window: y });
  }
  return changes;
}

/** What stays when a window moves: everything but its index and its active and alternate flags. */
function movable(window: WindowStructure): unknown {
  const { index: _index, active: _active, alternate: _alternate, ...rest } = window;
  return rest;
}

/** `a` and `b` are the same window, now at index `window`. */
function diffWindow(
  session: string,
  window: number,
  a: WindowStructure,
  b: WindowStructure,
): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  for (const field of ['name', 'layout', 'zoomed', 'active', 'alternate', 'paneBaseIndex'] as const) {
    if (!same(a[field], b[field]))
      changes.push({ kind: 'window-changed', session, window, field, before: a[field], after: b[field] });
  }
  // By position: a pane has no identity across saves but its place in the window.
  for (let position = 0; position < Math.max(a.panes.length, b.panes.length); position++) {
    const x = a.panes[position];
    const y = b.panes[position];
    if (x && y) {
      for (const field of ['index', 'cwd', 'program', 'title', 'active'] as const) {
        if (!same(x[field], y[field]))
          changes.push({
            kind: 'pane-changed',
            session,
            window,
            pane: y.index,
            field,
            before: x[field],
            after: y[field],
          });
      }
    } else if (x) changes.push({ kind: 'pane-removed', session, window, pane: x });
    else if (y) changes.push({ kind: 'pane-added', session, window, pane: y });
  }
  return changes;
}

/** Pairs each of `gone` with the first unpaired of `come` that `match` accepts. */
function pairUp<T>(gone: readonly T[], come: readonly T[], match: (a: T, b: T) => boolean): Map<T, T> {
  const pairs = new Map<T, T>();
  const taken = new Set<T>();
  for (const a of gone) {
    const b = come.find((candidate) => !taken.has(candidate) && match(a, candidate));
    if (b === undefined) continue;
    pairs.set(a, b);
    taken.add(b);
  }
  return pairs;
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
