import type { SessionSnapshot, WindowSnapshot } from '../../snapshot/schema.js';

/**
 * The live window is the saved one (a second restore must plan nothing): same pane count and
 * same name, or both named by automatic-rename (the name follows the running program).
 */
function sameWindow(saved: WindowSnapshot, live: WindowSnapshot): boolean {
  return (
    saved.panes.length === live.panes.length &&
    (saved.name === live.name || (saved.automaticRename && live.automaticRename))
  );
}

interface WindowPlacement {
  readonly window: WindowSnapshot;
  readonly index: number;
}

/**
 * Where the saved windows of a session go in its live namesake: nowhere when the same window is
 * already there (at its index, or at an index the save does not use, where an earlier restore
 * placed it), at the saved index when that is free, else at the next free index after it. A
 * saved window is never dropped because its index is taken.
 */
export function placeWindows(
  saved: SessionSnapshot,
  live: SessionSnapshot,
): { readonly placements: readonly WindowPlacement[]; readonly conflicts: number } {
  const sorted = [...saved.windows].sort((a, b) => a.index - b.index);
  const liveAt = new Map(live.windows.map((window) => [window.index, window]));
  const claimed = new Set<string>();
  const pending: WindowSnapshot[] = [];
  for (const window of sorted) {
    const there = liveAt.get(window.index);
    if (there && sameWindow(window, there)) claimed.add(there.id);
    else pending.push(window);
  }
  const savedIndexes = new Set(sorted.map((window) => window.index));
  const occupied = new Set(liveAt.keys());
  const placements: WindowPlacement[] = [];
  const conflicting: WindowSnapshot[] = [];
  for (const window of pending) {
    const placedBefore = live.windows.find(
      (candidate) =>
        !claimed.has(candidate.id) && !savedIndexes.has(candidate.index) && sameWindow(window, candidate),
    );
    if (placedBefore) {
      claimed.add(placedBefore.id);
    } else if (occupied.has(window.index)) {
      conflicting.push(window);
    } else {
      occupied.add(window.index);
      placements.push({ window, index: window.index });
    }
  }
  for (const window of conflicting) {
    let index = window.index + 1;
    while (occupied.has(index)) index += 1;
    occupied.add(index);
    placements.push({ window, index });
  }
  return { placements, conflicts: conflicting.length };
}

/** A session of one window with one pane: the shell a user typed `continuum restore` into. */
export function isLoneSession(session: SessionSnapshot): boolean {
  return session.group === null && session.windows.length === 1 && session.windows[0]!.panes.length === 1;
}
