import { localDateOf } from '../human-text.js';
import { layoutChecksum, parseLayout, validateLayout } from '../mux/layout.js';
import {
  type PaneSnapshot,
  type SessionSnapshot,
  type Snapshot,
  validateSnapshot,
  type WindowSnapshot,
} from '../snapshot/schema.js';
import { tmuxIndexLimits } from './import-limits.js';
import { importedSnapshotHeader } from './imported-snapshot.js';

/**
 * psmux-resurrect's save files (psmux/psmux-plugins, psmux-resurrect/scripts/save.ps1): JSON made
 * by `ConvertTo-Json -Depth 10 | Set-Content -Encoding UTF8`, which under Windows PowerShell 5.1
 * writes a UTF-8 byte-order mark and CRLF line ends, and orders keys as the hashtable happens to.
 * Version 2 is `{version, timestamp: "yyyyMMdd_HHmmss" (local time), sessions: [{name, windows:
 * [{index, name, layout, active, zoomed, flags, panes: [{index, directory, active, title, command,
 * content?}]}]}]}`.
 */
export const psmuxResurrectVersion = 2;

/** A psmux-resurrect file continuum cannot use: the file and the field, never a guess. */
export class PsmuxImportProblem extends Error {
  readonly field: string | undefined;
  constructor(problem: string, field?: string) {
    super(problem);
    this.name = 'PsmuxImportProblem';
    this.field = field;
  }
}

export interface PsmuxImport {
  readonly snapshot: Snapshot;
  /** Pane contents by the snapshot's pane ids, `\n` line ends; empty when the save had none. */
  readonly contents: ReadonlyMap<string, string>;
  /** What was kept but cannot be used as saved (a layout continuum cannot apply). */
  readonly warnings: readonly string[];
}

/**
 * Decodes the file's bytes: UTF-8 with or without a byte-order mark, or UTF-16 LE with its mark
 * (what `Out-File` writes under Windows PowerShell 5.1 when a user re-saved a file by hand).
 * Invalid UTF-8 is a problem, not a replacement character in a directory name.
 */
export function decodePsmuxSaveBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    if (bytes.length % 2 !== 0) throw new PsmuxImportProblem('the file is cut short (odd UTF-16 length)');
    return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new PsmuxImportProblem('the file is not UTF-8 text');
  }
}

/**
 * Converts one psmux-resurrect save (its bytes) into a continuum snapshot. Pure: no file, no clock.
 * Throws {@link PsmuxImportProblem} naming the first field that is wrong.
 */
export function convertPsmuxSave(bytes: Uint8Array): PsmuxImport {
  const text = decodePsmuxSaveBytes(bytes).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PsmuxImportProblem(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = record(value, '');
  const version = root.version;
  if (version !== psmuxResurrectVersion) {
    throw new PsmuxImportProblem(
      typeof version === 'number'
        ? `psmux-resurrect format version ${version}; continuum reads version ${psmuxResurrectVersion}`
        : 'not a psmux-resurrect save (no "version": 2)',
      'version',
    );
  }
  const savedAt = parseTimestamp(root.timestamp);
  const sessions = array(root.sessions, 'sessions');
  if (sessions.length === 0) throw new PsmuxImportProblem('the save holds no sessions', 'sessions');

  const warnings: string[] = [];
  const contents = new Map<string, string>();
  const sessionNames = new Set<string>();
  let windowCounter = 0;
  let paneCounter = 0;

  const convertedSessions = sessions.map((sessionValue, sessionPosition): SessionSnapshot => {
    const path = `sessions.${sessionPosition}`;
    const session = record(sessionValue, path);
    const name = nonEmptyString(session.name, `${path}.name`);
    if (sessionNames.has(name))
      throw new PsmuxImportProblem(`session "${name}" appears twice`, `${path}.name`);
    sessionNames.add(name);
    const windows = array(session.windows, `${path}.windows`);
    if (windows.length === 0) throw new PsmuxImportProblem('the session has no windows', `${path}.windows`);
    const windowIndexes = new Set<number>();

    const convertedWindows = windows.map((windowValue, windowPosition): WindowSnapshot => {
      const windowPath = `${path}.windows.${windowPosition}`;
      const window = record(windowValue, windowPath);
      const index = wholeNumber(window.index, `${windowPath}.index`, tmuxIndexLimits.window);
      if (windowIndexes.has(index))
        throw new PsmuxImportProblem(`window index ${index} appears twice`, `${windowPath}.index`);
      windowIndexes.add(index);
      const windowName = string(window.name, `${windowPath}.name`);
      const layout = string(window.layout, `${windowPath}.layout`);
      const active = boolean(window.active, `${windowPath}.active`);
      const zoomed = boolean(window.zoomed, `${windowPath}.zoomed`);
      // `flags` is psmux's #{window_flags}: `*` the active window, `-` the last (alternate) one.
      const flags = window.flags === undefined ? '' : string(window.flags, `${windowPath}.flags`);
      const panes = array(window.panes, `${windowPath}.panes`);
      if (panes.length === 0) throw new PsmuxImportProblem('the window has no panes', `${windowPath}.panes`);
      const paneIndexes = new Set<number>();

      const convertedPanes = panes.map((paneValue, panePosition): PaneSnapshot => {
        const panePath = `${windowPath}.panes.${panePosition}`;
        const pane = record(paneValue, panePath);
        const paneIndex = wholeNumber(pane.index, `${panePath}.index`, tmuxIndexLimits.pane);
        if (paneIndexes.has(paneIndex))
          throw new PsmuxImportProblem(`pane index ${paneIndex} appears twice`, `${panePath}.index`);
        paneIndexes.add(paneIndex);
        const command = string(pane.command, `${panePath}.command`);
        const id = `%${paneCounter++}`;
        if (pane.content !== undefined && pane.content !== null) {
          const content = string(pane.content, `${panePath}.content`);
          // capture-pane -p piped through Out-String: CRLF line ends and one line end added.
          contents.set(id, content.replace(/\r\n/g, '\n'));
        }
        return {
          id,
          index: paneIndex,
          cwd: string(pane.directory, `${panePath}.directory`),
          title: string(pane.title, `${panePath}.title`),
          active: boolean(pane.active, `${panePath}.active`),
          currentCommand: command,
          startCommand: '',
          // psmux reports the executable's name only (compatibility.md): no arguments to keep.
          program: command === '' || isShell(command) ? null : { argv: [command] },
        };
      });

      const geometry = windowGeometry(layout, convertedPanes.length);
      if (geometry.warning) warnings.push(`window "${name}":${index} ("${windowName}"): ${geometry.warning}`);
      return {
        id: `@${windowCounter++}`,
        index,
        name: windowName,
        // The saved name is kept: psmux-resurrect saved no automatic-rename setting.
        automaticRename: false,
        layout: geometry.layout,
        width: geometry.width,
        height: geometry.height,
        zoomed,
        active,
        alternate: !active && flags.includes('-'),
        paneBaseIndex: Math.min(...convertedPanes.map((pane) => pane.index)),
        panes: convertedPanes,
      };
    });

    return {
      id: `$${sessionPosition}`,
      name,
      group: null,
      baseIndex: Math.min(1, ...convertedWindows.map((window) => window.index)),
      windows: convertedWindows,
    };
  });

  const snapshot: Snapshot = {
    ...importedSnapshotHeader(savedAt, { name: 'psmux', version: 'psmux-resurrect save, version 2' }, ''),
    activeSession: null,
    alternateSession: null,
    sessions: convertedSessions,
  };
  const validation = validateSnapshot(snapshot);
  if (!validation.ok) throw new PsmuxImportProblem(validation.problem, validation.field);
  return { snapshot: validation.snapshot, contents, warnings };
}

/**
 * `Get-Date -Format 'yyyyMMdd_HHmmss'`: the Windows machine's local time without a zone. It is
 * read as this machine's local time, which is the same clock when the user imports on the machine
 * that saved.
 */
export function parseTimestamp(value: unknown): Date {
  if (typeof value !== 'string')
    throw new PsmuxImportProblem('expected the save time as "yyyyMMdd_HHmmss"', 'timestamp');
  const match = value.match(/^(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)$/);
  if (!match)
    throw new PsmuxImportProblem(`"${value}" is not a time of the form yyyyMMdd_HHmmss`, 'timestamp');
  const date = localDateOf(match.slice(1).map(Number));
  if (!date) throw new PsmuxImportProblem(`"${value}" is not a real date and time`, 'timestamp');
  return date;
}

const shells = new Set(['pwsh', 'powershell', 'cmd', 'bash', 'sh', 'zsh', 'fish', 'nu', 'dash', 'ksh']);

/** A pane whose foreground is its shell runs no program to restore. */
function isShell(command: string): boolean {
  return shells.has(command.replace(/\.exe$/i, '').toLowerCase());
}

const fallbackSize = { width: 80, height: 24 };

/**
 * The window's size is the layout's root cell when the layout is one tmux itself would write. A
 * layout whose only fault is its checksum (a hand edit, another writer's arithmetic) keeps its
 * geometry with the checksum recomputed. Anything else stays as saved, for the record, with a
 * warning; restore then leaves that window's panes tiled, exactly as for a continuum save.
 */
function windowGeometry(
  layout: string,
  paneCount: number,
): { layout: string; width: number; height: number; warning?: string } {
  const counted = (candidate: string) => {
    const validation = validateLayout(candidate, paneCount);
    if (!validation.ok) return validation;
    const parsed = parseLayout(candidate);
    return parsed;
  };
  const direct = counted(layout);
  if (direct.ok) return { layout, width: direct.root.width, height: direct.root.height };
  const body = layout.slice(5);
  if (/^[0-9a-f]{4},/.test(layout)) {
    const fixed = `${layoutChecksum(body).toString(16).padStart(4, '0')},${body}`;
    const repaired = counted(fixed);
    if (repaired.ok)
      return {
        layout: fixed,
        width: repaired.root.width,
        height: repaired.root.height,
        warning: 'the layout checksum was wrong and has been recomputed',
      };
  }
  return {
    layout: layout === '' ? 'unknown' : layout,
    ...fallbackSize,
    warning: `the saved layout cannot be used (${direct.problem}); its panes will be restored tiled`,
  };
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PsmuxImportProblem('expected an object', path || undefined);
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new PsmuxImportProblem('expected a list', path);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new PsmuxImportProblem('expected text', path);
  return value;
}

function nonEmptyString(value: unknown, path: string): string {
  const text = string(value, path);
  if (text === '') throw new PsmuxImportProblem('expected a name, found empty text', path);
  return text;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new PsmuxImportProblem('expected true or false', path);
  return value;
}

function wholeNumber(value: unknown, path: string, maximum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > maximum)
    throw new PsmuxImportProblem(
      `expected a whole number from 0 to ${maximum} (the most tmux allows), found ${JSON.stringify(value)}`,
      path,
    );
  return value;
}
