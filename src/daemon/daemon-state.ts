import type { RestoringMarkerState } from '../restore/restoring-marker.js';
import type { ServerLifetime } from '../server/server-lifetime.js';
import type { AutoRestoreResult } from './auto-restore-result.js';
import type { DaemonStatus } from './daemon-ipc.js';
import type { LogLevel } from './daemon-log.js';
import type { ServerFingerprint } from './fingerprint.js';
import { type PauseReason, withDescription } from './pause-reason.js';
import { type ChangeSaveCredit, fullChangeSaveCredit } from './save-policy.js';

/** What a daemon knows from its start to its end and never changes. */
export interface DaemonSettings {
  /** The server it watches (tmux's socket, or `psmux:NAMESPACE`), for its messages. */
  readonly socketPath: string;
  /** Its lease's address, for its messages. */
  readonly address: string;
  readonly pollMilliseconds: number;
  /** MuxDialect.idleServerGraceMilliseconds: how long a server may be gone before the daemon exits. */
  readonly idleServerGraceMilliseconds: number;
}

/** Why a save is attempted; a change-save spends change-save credit (save-policy.ts). */
export interface SaveAttempt {
  readonly reason: string;
  readonly change: boolean;
}

export type LastSave = NonNullable<DaemonStatus['lastSave']>;
export type LastError = NonNullable<DaemonStatus['lastError']>;

/**
 * Everything the daemon of one server lifetime knows, as one value: `stepDaemon` makes the next
 * one. Its size is fixed (no list grows with time but the kinds of socket error seen), so memory
 * stays flat however long the daemon runs. Times named `…At` are on the monotonic clock, in
 * milliseconds; `lastSave.at` and `lastError.at` are wall-clock ISO times, for people.
 */
export interface DaemonState {
  readonly settings: DaemonSettings;
  readonly laps: number;
  /** The server it serves, from its first lap; every field below belongs to that lifetime. */
  readonly lifetime: ServerLifetime | null;
  /** Set once: the loop ends after the lap under way. */
  readonly stopReason: string | undefined;
  /** Another server now runs on the socket, and a new daemon should serve it. */
  readonly serverReplaced: boolean;
  readonly unansweredPings: number;
  /** The last lap could not read the server (it did not answer, say): cleared when it does again. */
  readonly serverUnreadable: boolean;
  /** Since when no server answered (psmux: the namespace had no session), for the grace period. */
  readonly noServerSince: number | undefined;
  readonly previousLapHash: string | undefined;
  /** The structure last saved (or deliberately not saved); NOT one whose save failed. */
  readonly handledHash: string | undefined;
  readonly unsettledLaps: number;
  readonly changeSaveCredit: ChangeSaveCredit;
  /** A save that failed, tried again every lap until one works. */
  readonly failedSave: SaveAttempt | null;
  readonly lastFingerprintWarning: string;
  readonly lastFullSaveAt: number | undefined;
  readonly intervalMinutes: number;
  readonly saveDirectory: string | null;
  readonly paused: PauseReason | null;
  readonly lastSave: LastSave | null;
  readonly lastError: LastError | null;
  /** What `@continuum-status` was last set to; '' before the first time. */
  readonly publishedStatus: string;
  /** Kinds of failed accept already logged (each is logged once). */
  readonly loggedSocketErrors: readonly string[];
}

export function initialDaemonState(settings: DaemonSettings): DaemonState {
  return {
    settings,
    laps: 0,
    lifetime: null,
    stopReason: undefined,
    serverReplaced: false,
    unansweredPings: 0,
    serverUnreadable: false,
    noServerSince: undefined,
    previousLapHash: undefined,
    handledHash: undefined,
    unsettledLaps: 0,
    changeSaveCredit: fullChangeSaveCredit(0),
    failedSave: null,
    lastFingerprintWarning: '',
    lastFullSaveAt: undefined,
    intervalMinutes: 15,
    saveDirectory: null,
    paused: null,
    lastSave: null,
    lastError: null,
    publishedStatus: '',
    loggedSocketErrors: [],
  };
}

/** Whether the daemon still holds its lease and its own address answers with its own pid. */
export type HolderCheck =
  | { readonly kind: 'lease-lost' }
  | {
      readonly kind: 'checked';
      /** A lease file found deleted: none taken (it was there, or another daemon took the name), taken again, or failed to be. */
      readonly retake:
        | { readonly kind: 'none' }
        | { readonly kind: 'retaken' }
        | { readonly kind: 'failed'; readonly message: string };
      readonly ping: { readonly kind: 'unanswered' } | { readonly kind: 'answered'; readonly ours: boolean };
    };

/** One look at the server: its fingerprint, or why there is none. */
export type ServerReading =
  | {
      readonly kind: 'fingerprint';
      readonly fingerprint: ServerFingerprint;
      /** What `@continuum-restoring` names, looked up only when it is set. */
      readonly marker: RestoringMarkerState;
    }
  /** Its multiplexer is not installed (or a --mux that is gone). */
  | { readonly kind: 'mux-missing'; readonly message: string }
  /** No server answers (psmux: no session in the namespace). */
  | { readonly kind: 'no-server'; readonly server: string }
  /** A server without sessions (tmux 3.3's "no current target"). */
  | { readonly kind: 'no-sessions' }
  | { readonly kind: 'unreadable'; readonly message: string };

export type SaveResult =
  | { readonly kind: 'refused'; readonly reason: PauseReason }
  | {
      readonly kind: 'written' | 'unchanged';
      readonly path: string;
      readonly deleted: number;
      readonly counts: { readonly sessions: number; readonly windows: number; readonly panes: number };
    }
  /** The server went away under the save. */
  | { readonly kind: 'server-gone' }
  /** `admitted`: the save policy had allowed it, so the daemon was no longer paused. */
  | { readonly kind: 'failed'; readonly message: string; readonly admitted: boolean };

/** What the loop's shell tells the step: a time, a request, or what an effect found. */
export type DaemonObservation =
  | { readonly kind: 'lap-due' }
  | { readonly kind: 'lap-finished' }
  | { readonly kind: 'holder-checked'; readonly holder: HolderCheck }
  | {
      readonly kind: 'server-read';
      readonly reading: ServerReading;
      /** The monotonic clock, in milliseconds. */
      readonly monotonic: number;
      /** The wall clock, as an ISO time. */
      readonly at: string;
    }
  | {
      readonly kind: 'save-finished';
      readonly attempt: SaveAttempt;
      readonly structureHash: string;
      /** Where the save went, once that was known (a save may fail after). */
      readonly directory: string | undefined;
      readonly result: SaveResult;
      readonly at: string;
    }
  | { readonly kind: 'status-set'; readonly text: string }
  | { readonly kind: 'stop-requested'; readonly reason: string }
  /** A failure outside the laps (psmux's auto-restore as the daemon starts). */
  | { readonly kind: 'failed'; readonly message: string; readonly at: string }
  /** An accept on the lease socket failed (EMFILE): `code` names the kind. */
  | { readonly kind: 'socket-error'; readonly code: string };

/** What the step asks the loop's shell to do, in order. */
export type DaemonEffect =
  | { readonly kind: 'check-holder' }
  | { readonly kind: 'read-server' }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string }
  | { readonly kind: 'clear-restoring-marker'; readonly value: string }
  | {
      readonly kind: 'save';
      readonly attempt: SaveAttempt;
      readonly structureHash: string;
      /** What the save policy decides on besides the capture (`decideAutoSave`). */
      readonly restoring: boolean;
      readonly autoRestoreResult: AutoRestoreResult;
    }
  /** `@continuum-status`; the shell reports `status-set` when tmux took it. */
  | { readonly kind: 'set-status'; readonly text: string }
  | { readonly kind: 'sleep'; readonly milliseconds: number }
  | { readonly kind: 'exit'; readonly reason: string; readonly serverReplaced: boolean };

export interface DaemonUpdate {
  readonly state: DaemonState;
  readonly effects: readonly DaemonEffect[];
}

/** What the status adds to the state: the process and the clocks, read where it is asked. */
export interface DaemonProcessFacts {
  readonly pid: number;
  readonly version: string;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly logPath: string;
  /** The wall clock and the monotonic one (milliseconds), read together. */
  readonly now: Date;
  readonly monotonic: number;
}

/** Pure: the answer to `status`. */
export function daemonStatus(state: DaemonState, facts: DaemonProcessFacts): DaemonStatus {
  // Shown on the wall clock, measured on the monotonic one: what is left of the interval, from now.
  const nextFull =
    state.intervalMinutes === 0 || state.lastFullSaveAt === undefined
      ? null
      : new Date(
          facts.now.getTime() +
            Math.max(0, state.lastFullSaveAt + state.intervalMinutes * 60_000 - facts.monotonic),
        ).toISOString();
  return {
    pid: facts.pid,
    version: facts.version,
    startedAt: facts.startedAt,
    uptimeSeconds: facts.uptimeSeconds,
    rssBytes: facts.rssBytes,
    heapUsedBytes: facts.heapUsedBytes,
    socketPath: state.settings.socketPath,
    serverLifetime: state.lifetime,
    logPath: facts.logPath,
    saveDirectory: state.saveDirectory,
    pollMilliseconds: state.settings.pollMilliseconds,
    saveIntervalMinutes: state.intervalMinutes,
    paused: state.paused === null ? null : withDescription(state.paused),
    laps: state.laps,
    lastSave: state.lastSave,
    nextFullSaveAt: nextFull,
    lastError: state.lastError,
  };
}
