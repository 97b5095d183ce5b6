import { describeCounts, plural } from '../human-text.js';
import { describeLifetime, sameLifetime } from '../server/server-lifetime.js';
import type { LogLevel } from './daemon-log.js';
import type {
  DaemonEffect,
  DaemonObservation,
  DaemonState,
  DaemonUpdate,
  HolderCheck,
  SaveAttempt,
  ServerReading,
} from './daemon-state.js';
import { type ServerFingerprint, saveIntervalMinutes } from './fingerprint.js';
import { describePauseReason, type PauseReason, samePauseReason } from './pause-reason.js';
import { decideChangeSave, spendChangeSaveCredit } from './save-policy.js';
import { shortStatus, stoppedStatus } from './status-line.js';

/**
 * The state being advanced by one step and the effects it asks for so far. The step is pure: this
 * is made afresh for each observation and never escapes it.
 */
class Step {
  readonly effects: DaemonEffect[] = [];
  constructor(public state: DaemonState) {}

  set(changes: Partial<DaemonState>): void {
    this.state = { ...this.state, ...changes };
  }

  log(level: LogLevel, message: string): void {
    this.effects.push({ kind: 'log', level, message });
  }

  stop(reason: string): void {
    if (this.state.stopReason === undefined) this.set({ stopReason: reason });
  }

  /** Expected states (a fresh server, a restore under way), not faults: INF, not WRN. */
  pause(reason: PauseReason | null): void {
    if (samePauseReason(reason, this.state.paused)) return;
    this.set({ paused: reason });
    if (reason !== null) this.log('INF', `not saving: ${describePauseReason(reason)}`);
  }

  /** Kept for `status` and logged once per distinct message, so a lasting failure does not flood the log. */
  recordError(message: string, at: string): void {
    const repeated = this.state.lastError?.message === message;
    this.set({ lastError: { at, message } });
    if (!repeated) this.log('ERR', message);
  }

  /**
   * Keeps `@continuum-status` (what `#{continuum_status}` shows) current, with one tmux command
   * only when the text changes. Saving never depends on it: it is the other way round.
   */
  publishStatus(): void {
    const { lastError, intervalMinutes, lastSave, paused, publishedStatus } = this.state;
    const text = shortStatus({ lastError, saveIntervalMinutes: intervalMinutes, lastSave, paused });
    if (text !== publishedStatus) this.effects.push({ kind: 'set-status', text });
  }

  update(): DaemonUpdate {
    return { state: this.state, effects: this.effects };
  }
}

/**
 * Pure: the daemon's next state and what its shell must do, given what it observed. A lap is
 * `lap-due` → check-holder → read-server → (save) → `lap-finished` → sleep or exit; each effect
 * that finds something answers with an observation of its own.
 */
export function stepDaemon(state: DaemonState, observation: DaemonObservation): DaemonUpdate {
  const step = new Step(state);
  switch (observation.kind) {
    case 'lap-due':
      if (state.stopReason !== undefined) return finishLap(step);
      step.set({ laps: state.laps + 1 });
      step.effects.push({ kind: 'check-holder' });
      break;
    case 'lap-finished':
      return finishLap(step);
    case 'holder-checked':
      checkHolder(step, observation.holder);
      break;
    case 'server-read':
      readServer(step, observation.reading, observation.monotonic, observation.at);
      break;
    case 'save-finished':
      finishSave(step, observation);
      step.publishStatus();
      break;
    case 'status-set':
      step.set({ publishedStatus: observation.text });
      break;
    case 'stop-requested':
      step.stop(observation.reason);
      break;
    case 'failed':
      step.recordError(observation.message, observation.at);
      break;
    case 'socket-error':
      // An accept that failed (EMFILE): logged once per kind, and the daemon carries on.
      if (state.loggedSocketErrors.includes(observation.code)) break;
      step.set({ loggedSocketErrors: [...state.loggedSocketErrors, observation.code] });
      step.log('WRN', `its socket failed to accept a connection (${observation.code}); still running`);
      break;
  }
  return step.update();
}

/**
 * Nothing saves once the daemon is gone: the status line must not go on showing its last save
 * time as if it did (a daemon killed with SIGKILL cannot say so; `status` can).
 */
function finishLap(step: Step): DaemonUpdate {
  const { stopReason, serverReplaced, publishedStatus, settings } = step.state;
  if (stopReason === undefined) {
    step.effects.push({ kind: 'sleep', milliseconds: settings.pollMilliseconds });
    return step.update();
  }
  step.log('INF', `daemon stopped: ${stopReason}`);
  if (!serverReplaced && publishedStatus !== '')
    step.effects.push({ kind: 'set-status', text: stoppedStatus });
  step.effects.push({ kind: 'exit', reason: stopReason, serverReplaced });
  return step.update();
}

/** The lease is ours while our socket listens, and our own ping comes back to us. */
function checkHolder(step: Step, holder: HolderCheck): void {
  if (holder.kind === 'lease-lost') {
    step.stop('lost the daemon lease');
    return;
  }
  const { address } = step.state.settings;
  if (holder.retake.kind === 'failed')
    step.stop(`its lease ${address} was removed and cannot be made again: ${holder.retake.message}`);
  if (holder.retake.kind === 'retaken') {
    step.set({ unansweredPings: 0 });
    step.log('WRN', `its lease ${address} was removed (by a logout or a cleaner?): took it again`);
  }
  if (holder.ping.kind === 'unanswered') {
    // A busy machine (or a flood) may delay one answer; three in a row means the address is not ours.
    const unansweredPings = step.state.unansweredPings + 1;
    step.set({ unansweredPings });
    if (unansweredPings >= 3) step.stop('its socket no longer answers');
    else step.effects.push({ kind: 'read-server' });
    return;
  }
  step.set({ unansweredPings: 0 });
  if (holder.ping.ours) step.effects.push({ kind: 'read-server' });
  else step.stop('another daemon answers on its socket');
}

function readServer(step: Step, reading: ServerReading, monotonic: number, at: string): void {
  const { settings } = step.state;
  if (reading.kind === 'mux-missing') {
    // Without its multiplexer no server can be watched: lapping on would only log the same error
    // for ever. The next `init` or attach starts one.
    step.stop(reading.message);
    return;
  }
  if (reading.kind === 'no-server') {
    const grace = settings.idleServerGraceMilliseconds;
    const since = step.state.noServerSince ?? monotonic;
    step.set({ noServerSince: since });
    if (monotonic - since >= grace) {
      step.stop(
        grace === 0
          ? `the tmux server on ${settings.socketPath} is gone`
          : `the ${reading.server} has had no session for ${Math.round((monotonic - since) / 1000)} s`,
      );
      return;
    }
    step.pause({ kind: 'empty-namespace', server: reading.server });
    return;
  }
  if (reading.kind !== 'fingerprint') {
    if (step.state.noServerSince !== undefined) {
      step.set({ noServerSince: undefined });
      step.pause(null);
    }
    if (reading.kind === 'no-sessions') step.pause({ kind: 'no-sessions' });
    else {
      step.set({ serverUnreadable: true });
      step.recordError(`cannot read the server's structure: ${reading.message}`, at);
    }
    return;
  }
  let fingerprint = reading.fingerprint;
  if (fingerprint.restoring && reading.marker.kind === 'stale') {
    // A restore killed half-way (SIGKILL, an old version) leaves `@continuum-restoring` set, which
    // would pause auto-save for the rest of the server's life: a marker whose process is gone or
    // is no longer continuum is unset (only while it still holds that value) and said in the log.
    const { value, reason } = reading.marker;
    step.effects.push({ kind: 'clear-restoring-marker', value });
    step.log(
      'INF',
      `cleared @continuum-restoring (${value}) left by a restore that did not finish: ${reason}; auto-save goes on`,
    );
    fingerprint = { ...fingerprint, restoring: false, restoringMarker: '' };
  }
  if (!sameServer(step, fingerprint)) return;
  if (step.state.serverUnreadable) {
    step.set({ serverUnreadable: false, lastError: null });
    step.log('INF', 'the server answers again');
  }
  // Logged once per distinct text: the same odd pane is read again every lap.
  const warning = fingerprint.warnings.join('; ');
  if (warning !== step.state.lastFingerprintWarning) {
    step.set({ lastFingerprintWarning: warning });
    if (warning !== '') step.log('WRN', warning);
  }
  decideLap(step, fingerprint, monotonic);
}

/**
 * A daemon serves one server lifetime. After a quick `kill-server` and a new server on the same
 * socket, nothing it knows (last save, error, hashes, the published status) is true of the new
 * one: it stops without touching it, and the caller starts a fresh daemon for it.
 */
function sameServer(step: Step, fingerprint: ServerFingerprint): boolean {
  const lifetime = { pid: fingerprint.serverPid, startTime: fingerprint.serverStartTime };
  // psmux has no server lifetime to compare (fingerprint.ts).
  if (lifetime.pid === 0) return true;
  const known = step.state.lifetime;
  if (known === null) {
    step.set({ lifetime });
    return true;
  }
  if (sameLifetime(known, lifetime)) return true;
  step.set({ serverReplaced: true });
  step.stop(
    `the tmux server on ${step.state.settings.socketPath} was replaced (${describeLifetime(known)}; now ${describeLifetime(lifetime)})`,
  );
  return false;
}

/** Whether this lap saves: the full save when due, else a change-save the policy allows, else a retry. */
function decideLap(step: Step, fingerprint: ServerFingerprint, monotonic: number): void {
  const intervalMinutes = saveIntervalMinutes(fingerprint.saveInterval);
  const hash = fingerprint.structureHash;
  const stable = hash === step.state.previousLapHash;
  step.set({ intervalMinutes, previousLapHash: hash });
  if (intervalMinutes === 0) {
    step.set({ handledHash: hash, failedSave: null });
    step.pause({ kind: 'interval-off' });
    step.publishStatus();
    return;
  }
  if (step.state.paused?.kind === 'interval-off') step.pause(null);
  const { lastFullSaveAt, handledHash, laps } = step.state;
  const fullDue = lastFullSaveAt === undefined || monotonic >= lastFullSaveAt + intervalMinutes * 60_000;
  const changed = hash !== handledHash;
  const unsettledLaps = changed ? step.state.unsettledLaps + 1 : 0;
  step.set({ unsettledLaps });
  const change = decideChangeSave({
    lap: laps,
    changed,
    stable,
    unsettledLaps,
    credit: step.state.changeSaveCredit,
  });
  let attempt: SaveAttempt | null;
  if (fullDue) {
    step.set({ lastFullSaveAt: monotonic });
    attempt = { reason: laps === 1 ? 'first look at the server' : 'periodic save', change: false };
  } else if (change.save) attempt = { reason: 'the structure changed', change: true };
  // The state a failed save held is still unsaved: try again now, not at the next change or the
  // next periodic save (the same message is logged once, see recordError).
  else attempt = step.state.failedSave;
  if (attempt === null) {
    step.publishStatus();
    return;
  }
  step.effects.push({
    kind: 'save',
    attempt,
    structureHash: hash,
    restoring: fingerprint.restoring,
    autoRestoreResult: fingerprint.autoRestoreResult,
  });
}

function finishSave(step: Step, finished: Extract<DaemonObservation, { kind: 'save-finished' }>): void {
  const { attempt, result, structureHash } = finished;
  if (finished.directory !== undefined) step.set({ saveDirectory: finished.directory });
  if (result.kind === 'server-gone') {
    step.stop(`the tmux server on ${step.state.settings.socketPath} is gone`);
    return;
  }
  if (result.kind === 'failed') {
    if (result.admitted) step.pause(null);
    step.set({ failedSave: attempt });
    step.recordError(`save failed (${attempt.reason}): ${result.message}`, finished.at);
    return;
  }
  // Only now is the structure handled: a failed save leaves it due, for the next lap. A refused
  // structure is dealt with: it is looked at again when it changes.
  step.set({ handledHash: structureHash, failedSave: null, unsettledLaps: 0 });
  if (result.kind === 'refused') {
    step.pause(result.reason);
    return;
  }
  step.pause(null);
  if (attempt.change && result.kind === 'written')
    step.set({ changeSaveCredit: spendChangeSaveCredit(step.state.changeSaveCredit, step.state.laps) });
  step.set({
    lastSave: { at: finished.at, path: result.path, result: result.kind, reason: attempt.reason },
  });
  if (result.kind === 'written')
    step.log(
      'INF',
      `saved ${describeCounts(result.counts)} to ${result.path} (${attempt.reason})` +
        (result.deleted > 0 ? `; removed ${plural(result.deleted, 'old save')}` : ''),
    );
  if (step.state.lastError !== null) {
    step.log('INF', 'saving works again');
    step.set({ lastError: null });
  }
}
