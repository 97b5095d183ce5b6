import { existsSync } from 'node:fs';
import type { ParsedRecord } from '../mux/formats.js';
import type { MuxClient } from '../mux/mux-client.js';
import type { RecordQuery } from '../mux/record-query.js';
import { nameAsGiven } from '../mux/session-name.js';
import type { InspectForegroundPrograms } from '../platform/foreground-process.js';
import { reportedProgram } from './reported-program.js';
import {
  type PaneSnapshot,
  type SessionSnapshot,
  type Snapshot,
  snapshotFormatName,
  snapshotFormatVersion,
  type WindowSnapshot,
} from './schema.js';

const paneFields = [
  'session_id',
  'session_name',
  'session_group',
  'session_last_attached',
  'base-index',
  'window_id',
  'window_index',
  'window_name',
  'automatic-rename',
  'window_layout',
  'window_width',
  'window_height',
  'window_zoomed_flag',
  'window_active',
  'window_last_flag',
  'pane-base-index',
  'pane_id',
  'pane_index',
  'pane_current_path',
  'pane_start_path',
  'pane_title',
  'pane_active',
  'pane_pid',
  'pane_current_command',
  'pane_start_command',
  'pid',
  'start_time',
  'session_created',
  'history_size',
  'cursor_y',
  'socket_path',
  'version',
] as const;

/** The server's own identity, read on its own when it has no pane to read it from. */
const serverFields = ['pid', 'start_time', 'socket_path', 'version'] as const;

const clientFields = ['client_name', 'client_session', 'client_last_session', 'client_activity'] as const;

/**
 * The whole server in one tmux invocation: every pane of every session (session and window
 * fields repeat on each pane line), every client, and the options asked for, so the cost does
 * not grow with the size of the environment. A server without sessions (`exit-empty off`, or
 * while its config loads) holds nothing, which is an answer, not an error: `save` says there is
 * nothing to save and `restore` restores into it; its own identity is read instead.
 */
export function captureQuery(optionNames: readonly string[]): RecordQuery {
  return {
    panes: paneFields,
    clients: clientFields,
    options: optionNames,
    serverWithoutSessions: serverFields,
  };
}

export interface CaptureDependencies {
  readonly mux: MuxClient;
  readonly inspectPrograms: InspectForegroundPrograms;
  readonly now: () => Date;
}

export interface LiveClient {
  readonly name: string;
  readonly session: string;
  readonly activity: number;
}

/** What a restore needs to know about a live pane beyond the snapshot: is it untouched? */
export interface LivePane {
  readonly pid: number;
  /** `session_created` of its session, seconds since the epoch. */
  readonly sessionCreated: number;
  readonly historySize: number;
  readonly cursorY: number;
}

export interface ServerCapture {
  readonly snapshot: Snapshot;
  readonly clients: readonly LiveClient[];
  /** By pane id. */
  readonly panes: ReadonlyMap<string, LivePane>;
  /** Values of the options asked for; an unset option reads as the empty string. */
  readonly options: ReadonlyMap<string, string>;
  /** What tmux printed that could not be read and was left out (a pane, a client). */
  readonly warnings: readonly string[];
}

export async function captureServer(
  dependencies: CaptureDependencies,
  optionNames: readonly string[] = [],
): Promise<ServerCapture> {
  const warnings: string[] = [];
  const records = await dependencies.mux.readRecords(captureQuery(optionNames), (line) =>
    warnings.push(`capture: ${line}`),
  );
  const paneRecords = records.filter((record) => record.tag === 'P');
  if (dependencies.mux.dialect.programs === 'reported-command') {
    const reported = (_pid: number, record: ParsedRecord) =>
      reportedProgram(field(record, 'pane_start_command'), field(record, 'pane_current_command'));
    return finishCapture(records, reported, dependencies, warnings);
  }
  const panePids = [...new Set(paneRecords.map((record) => integer(record, 'pane_pid')))];
  // Right after a server or a pane starts, the pane's process may still be the server's fork that
  // has not exec'd the shell yet: it shows the server's own command line (`tmux new-session -d`).
  // That is an idle pane, not a program, or a fresh server's session would not be recognised
  // (and replaced) by an auto-restore that runs as the server starts.
  const serverPid = paneRecords[0] ? integer(paneRecords[0], 'pid') : 0;
  const { programs, shells } = await dependencies.inspectPrograms(
    serverPid > 0 ? [...panePids, serverPid] : panePids,
  );
  const serverArgv = programs.get(serverPid) ?? null;
  const programOf = (pid: number): readonly string[] | null => {
    const argv = programs.get(pid) ?? null;
    return argv && serverArgv && argv.join('\0') === serverArgv.join('\0') ? null : argv;
  };
  return finishCapture(records, programOf, dependencies, warnings, (pid) => shells.get(pid));
}

async function finishCapture(
  records: readonly ParsedRecord[],
  programOf: (panePid: number, record: ParsedRecord) => readonly string[] | null,
  dependencies: CaptureDependencies,
  warnings: string[],
  shellOf: (panePid: number) => string | undefined = () => undefined,
): Promise<ServerCapture> {
  const paneRecords = records.filter((record) => record.tag === 'P');
  const snapshot = buildSnapshot(
    records,
    programOf,
    dependencies.now(),
    dependencies.mux.dialect.name,
    shellOf,
  );
  warnings.push(...undecodableDirectoryWarnings(snapshot));
  const clients = records
    .filter((record) => record.tag === 'C')
    .map((record) => ({
      name: field(record, 'client_name'),
      session: field(record, 'client_session'),
      activity: integer(record, 'client_activity'),
    }));
  const options = records.find((record) => record.tag === 'O')?.values ?? new Map<string, string>();
  const panes = new Map(
    paneRecords.map((record) => [
      field(record, 'pane_id'),
      {
        pid: integer(record, 'pane_pid'),
        sessionCreated: integer(record, 'session_created'),
        historySize: integer(record, 'history_size'),
        cursorY: integer(record, 'cursor_y'),
      },
    ]),
  );
  return { snapshot, clients, panes, options, warnings };
}

export async function captureSnapshot(dependencies: CaptureDependencies): Promise<Snapshot> {
  return (await captureServer(dependencies)).snapshot;
}

/**
 * tmux prints a directory's bytes as the kernel gives them; bytes that are not UTF-8 reach us as
 * U+FFFD and cannot be written back, so restore would not find the directory. Said at save time,
 * not only when the restore starts the pane elsewhere.
 */
export function undecodableDirectoryWarnings(snapshot: Snapshot): string[] {
  const warnings: string[] = [];
  for (const session of snapshot.sessions)
    for (const window of session.windows)
      for (const pane of window.panes)
        if (pane.cwd.includes('\uFFFD'))
          warnings.push(
            `capture: pane "${session.name}":${window.index}.${pane.index}: its directory ${JSON.stringify(pane.cwd)} ` +
              'holds bytes that are not UTF-8 (shown as \uFFFD); a restore starts that pane in your home directory instead',
          );
  return warnings;
}

function field(record: ParsedRecord, name: string): string {
  return record.values.get(name) ?? '';
}

const flag = (record: ParsedRecord, name: string): boolean => field(record, name) === '1';
const integer = (record: ParsedRecord, name: string): number => Number.parseInt(field(record, name), 10) || 0;

/** Pure: assembles parsed records into the snapshot model. */
export function buildSnapshot(
  records: readonly ParsedRecord[],
  programOf: (panePid: number, record: ParsedRecord) => readonly string[] | null,
  savedAt: Date,
  muxName: string = 'tmux',
  shellOf: (panePid: number) => string | undefined = () => undefined,
): Snapshot {
  const sessions = new Map<string, SessionSnapshot & { windows: WindowSnapshot[] }>();
  const windowsBySession = new Map<string, Map<string, WindowSnapshot & { panes: PaneSnapshot[] }>>();
  let server: Snapshot['server'] = { pid: 0, startTime: 0, socketPath: '' };
  let muxVersion = '';

  for (const record of records) {
    if (record.tag === 'S') {
      server = {
        pid: integer(record, 'pid'),
        startTime: integer(record, 'start_time'),
        socketPath: field(record, 'socket_path'),
      };
      muxVersion = field(record, 'version');
    }
    if (record.tag !== 'P') continue;
    server = {
      pid: integer(record, 'pid'),
      startTime: integer(record, 'start_time'),
      socketPath: field(record, 'socket_path'),
    };
    muxVersion = field(record, 'version');
    const sessionId = field(record, 'session_id');
    let session = sessions.get(sessionId);
    if (!session) {
      const group = field(record, 'session_group');
      session = {
        id: sessionId,
        name: field(record, 'session_name'),
        group: group === '' ? null : group,
        baseIndex: integer(record, 'base-index'),
        windows: [],
      };
      sessions.set(sessionId, session);
      windowsBySession.set(sessionId, new Map());
    }
    const windows = windowsBySession.get(sessionId)!;
    const windowKey = `${field(record, 'window_index')}:${field(record, 'window_id')}`;
    let window = windows.get(windowKey);
    if (!window) {
      window = {
        id: field(record, 'window_id'),
        index: integer(record, 'window_index'),
        name: nameAsGiven(field(record, 'window_name'), 'window', {
          name: muxName,
          version: field(record, 'version'),
        }),
        automaticRename: flag(record, 'automatic-rename'),
        layout: field(record, 'window_layout'),
        width: Math.max(1, integer(record, 'window_width')),
        height: Math.max(1, integer(record, 'window_height')),
        zoomed: flag(record, 'window_zoomed_flag'),
        active: flag(record, 'window_active'),
        alternate: flag(record, 'window_last_flag'),
        paneBaseIndex: integer(record, 'pane-base-index'),
        panes: [],
      };
      windows.set(windowKey, window);
      session.windows.push(window);
    }
    const program = programOf(integer(record, 'pane_pid'), record);
    const processShell = shellOf(integer(record, 'pane_pid'));
    window.panes.push({
      id: field(record, 'pane_id'),
      index: integer(record, 'pane_index'),
      // tmux reads the directory of the pane's foreground process (/proc/PID/cwd): it is empty
      // while the pane's process is being started, and for another user's program (`sudo …`).
      // The directory the pane was started in is then the best one known, not "no directory".
      cwd: withoutDeletedSuffix(field(record, 'pane_current_path') || field(record, 'pane_start_path')),
      title: nameAsGiven(field(record, 'pane_title'), 'window', {
        name: muxName,
        version: field(record, 'version'),
      }),
      active: flag(record, 'pane_active'),
      currentCommand: field(record, 'pane_current_command'),
      startCommand: field(record, 'pane_start_command'),
      program: program ? { argv: [...program] } : null,
      ...(processShell === undefined ? {} : { processShell }),
    });
  }

  const { activeSession, alternateSession } = pickClientSessions(records) ?? pickRecentSession(records);
  return {
    format: snapshotFormatName,
    version: snapshotFormatVersion,
    savedAt: savedAt.toISOString(),
    mux: { name: muxName, version: muxVersion },
    server,
    activeSession,
    alternateSession,
    sessions: [...sessions.values()],
  };
}

/** The most recently active client decides which session is "current" and which is "last". */
interface ClientSessions {
  activeSession: string | null;
  alternateSession: string | null;
}

function pickClientSessions(records: readonly ParsedRecord[]): ClientSessions | undefined {
  const clients = records
    .filter((record) => record.tag === 'C')
    .sort((a, b) => integer(b, 'client_activity') - integer(a, 'client_activity'));
  const client = clients[0];
  if (!client) return undefined;
  const active = field(client, 'client_session');
  const alternate = field(client, 'client_last_session');
  return {
    activeSession: active === '' ? null : active,
    alternateSession: alternate === '' ? null : alternate,
  };
}

/** With no client attached, the session attached most recently is the one to come back to. */
function pickRecentSession(records: readonly ParsedRecord[]): ClientSessions {
  let best: ParsedRecord | undefined;
  for (const record of records) {
    if (record.tag !== 'P') continue;
    if (!best || integer(record, 'session_last_attached') > integer(best, 'session_last_attached'))
      best = record;
  }
  const attached = best && integer(best, 'session_last_attached') > 0;
  return { activeSession: attached ? field(best!, 'session_name') : null, alternateSession: null };
}

/** What Linux appends to the target of /proc/PID/cwd when the directory was removed; tmux shows it as is. */
const deletedSuffix = ' (deleted)';

/**
 * A pane whose directory was removed reports `DIR (deleted)`: the save keeps `DIR`, so the pane
 * starts there again when the directory exists at restore. Only that exact suffix, and only when
 * no directory of the whole name exists (one may really be called so).
 */
export function withoutDeletedSuffix(path: string, exists: (path: string) => boolean = existsSync): string {
  if (!path.endsWith(deletedSuffix) || path.length === deletedSuffix.length || exists(path)) return path;
  return path.slice(0, -deletedSuffix.length);
}
