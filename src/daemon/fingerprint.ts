import { createHash } from 'node:crypto';
import { formatFor, parseRecords } from '../mux/formats.js';
import type { MuxClient } from '../mux/mux-client.js';
import { restoringMarkerOption } from '../restore/apply.js';

/** Set once per server lifetime by the first auto-restore (`set-option -go`, atomic in tmux). */
export const autoRestoreClaimOption = '@continuum-auto-restore-claim';
/** How the auto-restore of this server lifetime ended: `restored`, `nothing to restore` or `failed: …`. */
export const autoRestoreResultOption = '@continuum-auto-restore-result';

/**
 * What the daemon asks tmux every lap, in ONE invocation: a line per pane with just what a save
 * would notice changing, then the options and server identity the lap decides with. Pane
 * contents, pids and activity times are left out, so an idle environment hashes the same.
 */
const paneFields = [
  'session_name',
  'session_group',
  'window_index',
  'window_name',
  'window_layout',
  'window_zoomed_flag',
  'window_active',
  'pane_index',
  'pane_active',
  'pane_current_path',
  'pane_title',
  'pane_current_command',
] as const;

const serverFields = [
  'pid',
  'start_time',
  'socket_path',
  '@continuum-save-interval',
  restoringMarkerOption,
  autoRestoreClaimOption,
  autoRestoreResultOption,
] as const;

export interface ServerFingerprint {
  /** Hash of the structure lines; equal hashes mean nothing a save would record has moved. */
  readonly structureHash: string;
  readonly paneCount: number;
  readonly serverPid: number;
  readonly serverStartTime: number;
  readonly socketPath: string;
  /** `@continuum-save-interval` as tmux holds it ('' when unset). */
  readonly saveInterval: string;
  readonly restoring: boolean;
  readonly autoRestoreClaimed: boolean;
  readonly autoRestoreResult: string;
}

export function fingerprintCommands(): string[][] {
  return [
    ['list-panes', '-a', '-F', formatFor('P', paneFields)],
    ['display-message', '-p', formatFor('S', serverFields)],
  ];
}

/** Pure: parses the output of {@link fingerprintCommands}. */
export function parseFingerprint(output: string): ServerFingerprint {
  const records = parseRecords(output, { P: paneFields, S: serverFields });
  const hash = createHash('sha256');
  let paneCount = 0;
  for (const record of records) {
    if (record.tag !== 'P') continue;
    paneCount += 1;
    for (const name of paneFields) hash.update(record.values.get(name) ?? '').update('\x1f');
    hash.update('\x1e');
  }
  const server = records.find((record) => record.tag === 'S')?.values ?? new Map<string, string>();
  const value = (name: string): string => server.get(name) ?? '';
  return {
    structureHash: hash.digest('hex'),
    paneCount,
    serverPid: Number.parseInt(value('pid'), 10) || 0,
    serverStartTime: Number.parseInt(value('start_time'), 10) || 0,
    socketPath: value('socket_path'),
    saveInterval: value('@continuum-save-interval'),
    restoring: value(restoringMarkerOption) !== '',
    autoRestoreClaimed: value(autoRestoreClaimOption) !== '',
    autoRestoreResult: value(autoRestoreResultOption),
  };
}

export async function readFingerprint(mux: MuxClient): Promise<ServerFingerprint> {
  return parseFingerprint(await mux.runCommands(fingerprintCommands()));
}

/** `@continuum-save-interval` in minutes: default 15, 0 turns auto-saving off, junk means the default. */
export function saveIntervalMinutes(value: string): number {
  if (value.trim() === '') return 15;
  const minutes = Number(value);
  return Number.isFinite(minutes) && minutes >= 0 ? minutes : 15;
}
