import { type Snapshot, snapshotFormatName, snapshotFormatVersion } from '../snapshot/schema.js';

/**
 * What every imported snapshot carries before its sessions: the current format, the save's own
 * time, the multiplexer and plugin it came from, and its server. An import comes from no running
 * server: pid 0 says so, and the save's own time makes it a server lifetime of its own, so
 * retention treats it as one.
 */
export function importedSnapshotHeader(
  savedAt: Date,
  mux: Snapshot['mux'],
  socketPath: string,
): Pick<Snapshot, 'format' | 'version' | 'savedAt' | 'mux' | 'server'> {
  return {
    format: snapshotFormatName,
    version: snapshotFormatVersion,
    savedAt: savedAt.toISOString(),
    mux,
    server: { pid: 0, startTime: Math.floor(savedAt.getTime() / 1000), socketPath },
  };
}
