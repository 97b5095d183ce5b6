import { constants } from 'node:fs';
import { lstat, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isPrivateFileOfUser } from '../files/ownership.js';
import type { PaneSnapshot, Snapshot } from '../snapshot/schema.js';
import { paneDirectoryProblem } from './pane-directory.js';
import { type PaneRecord, parsePaneHistory, parsePaneRecord } from './pane-records.js';

/** The newest entries a save keeps of a pane's history (a long-lived pane's file only grows). */
export const historyEntriesKept = 10_000;
/** Larger files are read from their end: a record is small, a history file can be large. */
const maximumReadBytes = 4 * 1024 * 1024;

export interface ShellCapture {
  readonly snapshot: Snapshot;
  /** Each pane's own history (by pane id, as in the snapshot), oldest entry first. */
  readonly histories: ReadonlyMap<string, readonly string[]>;
}

/**
 * Adds to each pane of a captured snapshot what its shell recorded: the command line it runs, the
 * named variables, and its own history. Records are matched by the server pid and the pane id the
 * shell saw in `$TMUX`/`$TMUX_PANE`; when several match (a shell started inside the pane's shell),
 * the one written last wins. Panes without the shell integration are left as they are; a
 * directory that does not exist means nobody uses it.
 */
export async function attachShellRecords(snapshot: Snapshot, directory: string): Promise<ShellCapture> {
  const records = await readRecords(directory, snapshot.server.pid);
  const histories = new Map<string, readonly string[]>();
  if (records.size === 0) return { snapshot, histories };
  const sessions = await Promise.all(
    snapshot.sessions.map(async (session) => ({
      ...session,
      windows: await Promise.all(
        session.windows.map(async (window) => ({
          ...window,
          panes: await Promise.all(
            window.panes.map(async (pane): Promise<PaneSnapshot> => {
              const record = records.get(pane.id);
              if (!record) return pane;
              const history = record.historyFile
                ? await readHistory(join(directory, `${record.identity}.history`), record.shell)
                : [];
              if (history.length > 0) histories.set(pane.id, history);
              const shell: NonNullable<PaneSnapshot['shell']> = {
                identity: record.identity,
                ...(record.shell === '' ? {} : { name: record.shell }),
                ...(record.commandLine === undefined ? {} : { commandLine: record.commandLine }),
                ...(record.environment.size === 0
                  ? {}
                  : { environment: Object.fromEntries(record.environment) }),
              };
              return { ...pane, shell };
            }),
          ),
        })),
      ),
    })),
  );
  return { snapshot: { ...snapshot, sessions }, histories };
}

async function readRecords(
  directory: string,
  serverPid: number,
  accept: (record: PaneRecord) => boolean = () => true,
): Promise<Map<string, PaneRecord>> {
  const names = await privateDirectoryEntries(directory);
  const newest = new Map<string, { record: PaneRecord; modified: number }>();
  for (const name of names) {
    if (!name.endsWith('.state')) continue;
    const path = join(directory, name);
    const file = await readRegularFile(path);
    if (!file) continue;
    const record = parsePaneRecord(file.bytes);
    // The file name is the identity: a record that claims another one was not written by us.
    if (!record || `${record.identity}.state` !== name || record.serverPid !== serverPid) continue;
    if (!accept(record)) continue;
    const previous = newest.get(record.tmuxPane);
    if (!previous || previous.modified < file.modified)
      newest.set(record.tmuxPane, { record, modified: file.modified });
  }
  return new Map([...newest].map(([pane, { record }]) => [pane, record]));
}

/** Which live panes have the shell integration active, and in which shell. */
export interface ShellIntegrationSummary {
  /** The server's panes. */
  readonly panes: number;
  /** Panes whose shell has the integration loaded, by shell name (`bash`, `zsh`, …). */
  readonly shells: Readonly<Record<string, number>>;
}

/**
 * Counts the live panes whose shell runs the integration: a record of this server, for a pane
 * that exists, written by a shell that is still running (a record outlives a shell that exited
 * back to one without the snippet). Reads the small record files only; starts no process.
 */
export async function summariseShellIntegration(
  directory: string,
  serverPid: number,
  livePaneIds: readonly string[],
  isRunning: (pid: number) => boolean = processIsRunning,
): Promise<ShellIntegrationSummary> {
  const live = new Set(livePaneIds);
  const records = await readRecords(
    directory,
    serverPid,
    (record) => live.has(record.tmuxPane) && record.shellPid !== undefined && isRunning(record.shellPid),
  );
  const shells: Record<string, number> = {};
  for (const record of records.values()) {
    const name = record.shell || 'unknown';
    shells[name] = (shells[name] ?? 0) + 1;
  }
  return { panes: live.size, shells };
}

/** Signal 0 tests for a process without touching it; EPERM means it runs as another user. */
function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHistory(path: string, shell: string): Promise<string[]> {
  const file = await readRegularFile(path);
  if (!file) return [];
  let bytes = file.bytes;
  if (file.truncated) {
    // Read from the end: the first entry may be cut, so drop everything up to the first NUL.
    const first = bytes.indexOf(0);
    bytes = first < 0 ? new Uint8Array() : bytes.subarray(first + 1);
  }
  return parsePaneHistory(bytes, shell).slice(-historyEntriesKept);
}

/**
 * The names in the pane directory, or none when it is not the user's private one: another user who
 * made it first could have planted records there (a VIRTUAL_ENV of theirs for the restore to
 * activate) or read what the user's shells wrote.
 */
async function privateDirectoryEntries(directory: string): Promise<string[]> {
  try {
    if (await paneDirectoryProblem(directory)) return [];
    return await readdir(directory);
  } catch {
    return [];
  }
}

/**
 * A regular file of the user's own that nobody else can read or write (never through a link), its
 * last `maximumReadBytes` bytes.
 */
async function readRegularFile(
  path: string,
): Promise<{ bytes: Uint8Array; modified: number; truncated: boolean } | undefined> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) return undefined;
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const opened = await handle.stat();
      if (!opened.isFile() || !isPrivateFileOfUser(opened)) return undefined;
      const size = opened.size;
      const length = Math.min(size, maximumReadBytes);
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, size - length);
      return { bytes: bytes.subarray(0, bytesRead), modified: info.mtimeMs, truncated: size > length };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** A record this much older than the save cannot belong to a pane created after the capture. */
const closedPaneGraceMilliseconds = 60_000;

/**
 * Removes the records and history files of this server's panes that are gone (closed or killed):
 * the directory would otherwise grow with every pane ever opened. Only records of the captured
 * server (its pid), of panes the capture does not hold, written well before the capture (a pane
 * created after it writes its record later). Records of other servers are never touched: one of
 * them may be idle at a prompt for days. Best effort; returns the identities removed.
 */
export async function removeClosedPaneRecords(
  snapshot: Snapshot,
  directory: string,
  now: Date,
): Promise<string[]> {
  const names = await privateDirectoryEntries(directory);
  const livePanes = new Set(
    snapshot.sessions.flatMap((session) =>
      session.windows.flatMap((window) => window.panes.map((pane) => pane.id)),
    ),
  );
  const capturedAt = Math.min(new Date(snapshot.savedAt).getTime(), now.getTime());
  const removed: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.state')) continue;
    const file = await readRegularFile(join(directory, name));
    if (!file || file.modified > capturedAt - closedPaneGraceMilliseconds) continue;
    const record = parsePaneRecord(file.bytes);
    if (!record || `${record.identity}.state` !== name) continue;
    if (record.serverPid !== snapshot.server.pid || livePanes.has(record.tmuxPane)) continue;
    for (const suffix of ['.state', '.history'])
      await unlink(join(directory, `${record.identity}${suffix}`)).catch(() => undefined);
    removed.push(record.identity);
  }
  return removed;
}
