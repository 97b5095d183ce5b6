import { createHash } from 'node:crypto';
import { type ParsedRecord, parseRecords, type RecordMarkers } from '../mux/formats.js';
import type { MuxClient } from '../mux/mux-client.js';
import { restoringMarkerOption } from '../restore/restoring-marker.js';
import { settingValue } from '../settings/setting.js';
import { optionSettings, stateSettings } from '../settings/settings.js';
import {
  type AutoRestoreResult,
  autoRestoreResultOption,
  parseAutoRestoreResult,
} from './auto-restore-result.js';

/** Set once per server lifetime by the first auto-restore (`set-option -go`, atomic in tmux). */
export const autoRestoreClaimOption = stateSettings.autoRestoreClaim.name;

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
  optionSettings.saveInterval.name,
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
  /** Records tmux printed that could not be read (each left out of the hash). */
  readonly warnings: readonly string[];
  /** `@continuum-save-interval` as tmux holds it ('' when unset). */
  readonly saveInterval: string;
  readonly restoring: boolean;
  /** `@continuum-restoring` as tmux holds it: the pid (and start time) of the restore that set it. */
  readonly restoringMarker: string;
  readonly autoRestoreClaimed: boolean;
  readonly autoRestoreResult: AutoRestoreResult;
}

/** Pure: parses a lap's records (see {@link readFingerprint}) printed with `markers`. */
export function parseFingerprint(output: string, markers: RecordMarkers): ServerFingerprint {
  const warnings: string[] = [];
  const records = parseRecords(output, { P: paneFields, S: serverFields }, markers, (line) =>
    warnings.push(`fingerprint: ${line}`),
  );
  return fingerprintOf(records, warnings);
}

function fingerprintOf(records: readonly ParsedRecord[], warnings: readonly string[]): ServerFingerprint {
  const hash = createHash('sha256');
  let paneCount = 0;
  for (const record of records) {
    if (record.tag !== 'P') continue;
    paneCount += 1;
    // JSON, not values joined with a separator byte: a value may hold any byte, and
    // ("a\x1f", "b") must not hash like ("a", "\x1fb"). The nonce is not in the values, so the
    // same structure hashes the same on every lap.
    hash.update(JSON.stringify(paneFields.map((name) => record.values.get(name) ?? ''))).update('\n');
  }
  const server = records.find((record) => record.tag === 'S')?.values ?? new Map<string, string>();
  const value = (name: string): string => server.get(name) ?? '';
  return {
    structureHash: hash.digest('hex'),
    paneCount,
    warnings,
    serverPid: Number.parseInt(value('pid'), 10) || 0,
    serverStartTime: Number.parseInt(value('start_time'), 10) || 0,
    socketPath: value('socket_path'),
    saveInterval: value(optionSettings.saveInterval.name),
    restoring: value(restoringMarkerOption) !== '',
    restoringMarker: value(restoringMarkerOption),
    autoRestoreClaimed: value(autoRestoreClaimOption) !== '',
    autoRestoreResult: parseAutoRestoreResult(value(autoRestoreResultOption)),
  };
}

/** The options of a lap, for a multiplexer whose display-message escapes control bytes. */
const optionFields = serverFields.filter((name) => name.startsWith('@'));

export async function readFingerprint(mux: MuxClient): Promise<ServerFingerprint> {
  const warnings: string[] = [];
  const warn = (line: string): number => warnings.push(`fingerprint: ${line}`);
  if (mux.dialect.displayMessageKeepsControlBytes)
    return fingerprintOf(await mux.readRecords({ panes: paneFields, server: serverFields }, warn), warnings);
  // psmux: the panes through list-panes (bytes kept), the options through show-options. No pid or
  // start time: a psmux server is one session, and the daemon watches the namespace instead
  // (a pid of 0 tells the daemon there is no server lifetime to compare).
  const parsed = fingerprintOf(await mux.readRecords({ panes: paneFields }, warn), warnings);
  const options = await mux.readGlobalOptions(optionFields);
  const value = (name: string): string => options.get(name) ?? '';
  return {
    ...parsed,
    saveInterval: value(optionSettings.saveInterval.name),
    restoring: value(restoringMarkerOption) !== '',
    restoringMarker: value(restoringMarkerOption),
    autoRestoreClaimed: value(autoRestoreClaimOption) !== '',
    autoRestoreResult: parseAutoRestoreResult(value(autoRestoreResultOption)),
  };
}

/** `@continuum-save-interval` in minutes: default 15, 0 turns auto-saving off, junk means the default. */
export function saveIntervalMinutes(value: string): number {
  return settingValue(optionSettings.saveInterval, value);
}
