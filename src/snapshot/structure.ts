import { parseLayout } from '../mux/layout.js';
import { classicGeometry } from '../mux/layout-print.js';
import type { PaneSnapshot, Snapshot } from './schema.js';

/**
 * A layout string without its checksum and pane ids: `b25f,80x24,0,0{40x24,0,0,1,...}` names
 * pane ids that differ after every restore, while the geometry is what must round-trip. Both of
 * tmux's forms give the classic geometry, so a save made on tmux 3.8 (JSON) compares equal with
 * the same windows on 3.3a; a layout that neither form reads is compared as it is written.
 */
export function layoutGeometry(layout: string): string {
  const parsed = parseLayout(layout);
  if (parsed.ok) return classicGeometry(parsed.root);
  const withoutChecksum = layout.replace(/^[0-9a-f]{4},/, '');
  return withoutChecksum.replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');
}

export interface PaneStructure {
  readonly index: number;
  readonly cwd: string;
  readonly title: string;
  readonly active: boolean;
  readonly program: readonly string[] | null;
}

export interface WindowStructure {
  readonly index: number;
  /** null when tmux names the window itself (automatic-rename). */
  readonly name: string | null;
  readonly automaticRename: boolean;
  /** The layout's geometry (`layoutGeometry`). */
  readonly layout: string;
  readonly zoomed: boolean;
  readonly active: boolean;
  readonly alternate: boolean;
  readonly paneBaseIndex: number;
  readonly panes: readonly PaneStructure[];
}

export interface SessionStructure {
  readonly name: string;
  /** The names of the group's members, sorted; null when the session is in no group. */
  readonly group: readonly string[] | null;
  readonly baseIndex: number;
  readonly windows: readonly WindowStructure[];
}

export interface SnapshotStructure {
  readonly activeSession: string | null;
  readonly alternateSession: string | null;
  /** Sorted by name; windows by index, panes by index. */
  readonly sessions: readonly SessionStructure[];
}

/**
 * What a snapshot is made of, without what changes on every save or restore (ids, pids, the
 * time, the server's identity) and without names tmux derives itself (automatic-rename).
 * Two snapshots with equal structure restore to the same environment.
 */
export function snapshotStructure(snapshot: Snapshot): SnapshotStructure {
  const groupMembers = new Map<string, string[]>();
  for (const session of snapshot.sessions) {
    if (session.group === null) continue;
    groupMembers.set(session.group, [...(groupMembers.get(session.group) ?? []), session.name]);
  }
  return {
    activeSession: snapshot.activeSession,
    alternateSession: snapshot.alternateSession,
    sessions: [...snapshot.sessions]
      .sort((a, b) => compareText(a.name, b.name))
      .map((session) => ({
        name: session.name,
        // A group is identified by its members; its name is whichever session started it.
        group: session.group === null ? null : [...(groupMembers.get(session.group) ?? [])].sort(compareText),
        baseIndex: session.baseIndex,
        windows: [...session.windows]
          .sort((a, b) => a.index - b.index)
          .map((window) => ({
            index: window.index,
            name: window.automaticRename ? null : window.name,
            automaticRename: window.automaticRename,
            layout: layoutGeometry(window.layout),
            zoomed: window.zoomed,
            active: window.active,
            alternate: window.alternate,
            paneBaseIndex: window.paneBaseIndex,
            panes: [...window.panes]
              .sort((a, b) => a.index - b.index)
              .map((pane) => ({
                index: pane.index,
                cwd: pane.cwd,
                title: pane.title,
                active: pane.active,
                program: pane.program?.argv ?? null,
              })),
          })),
      })),
  };
}

export function sameStructure(a: Snapshot, b: Snapshot): boolean {
  return JSON.stringify(snapshotStructure(a)) === JSON.stringify(snapshotStructure(b));
}

/**
 * Whether the shell integration recorded the same for every pane: the command line being run and
 * the named variables, by session name, window and pane index. Not part of the structure (a diff
 * of layouts has no use for them), but a pane that only activated a virtualenv or changed
 * `AWS_PROFILE` is restored differently, so such a change is worth a save of its own.
 */
export function sameShellState(a: Snapshot, b: Snapshot): boolean {
  const state = (snapshot: Snapshot): string[] =>
    snapshot.sessions
      .flatMap((session) =>
        session.windows.flatMap((window) =>
          window.panes.map((pane) =>
            JSON.stringify([
              session.name,
              window.index,
              pane.index,
              pane.shell?.commandLine ?? null,
              Object.entries(pane.shell?.environment ?? {}).sort(([x], [y]) => compareText(x, y)),
              // An agent that moved to another conversation is restored into that one.
              pane.agent?.session?.id ?? null,
            ]),
          ),
        ),
      )
      .sort(compareText);
  return JSON.stringify(state(a)) === JSON.stringify(state(b));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countPanes(snapshot: Snapshot): { sessions: number; windows: number; panes: number } {
  let windows = 0;
  let panes = 0;
  for (const session of snapshot.sessions) {
    windows += session.windows.length;
    for (const window of session.windows) panes += window.panes.length;
  }
  return { sessions: snapshot.sessions.length, windows, panes };
}

/** The snapshot with every pane replaced by what `change` makes of it; sessions and windows as they are. */
export function mapPanes(snapshot: Snapshot, change: (pane: PaneSnapshot) => PaneSnapshot): Snapshot {
  return {
    ...snapshot,
    sessions: snapshot.sessions.map((session) => ({
      ...session,
      windows: session.windows.map((window) => ({
        ...window,
        panes: window.panes.map((pane) => change(pane)),
      })),
    })),
  };
}
