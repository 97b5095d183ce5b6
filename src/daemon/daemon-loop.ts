import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, MuxCommandError, MuxMissingError, NoServerError } from '../errors.js';
import { ensurePrivateDirectory, writeFileAtomically } from '../files/atomic-write.js';
import { describeCounts, plural } from '../human-text.js';
import { shortStatus, stoppedStatus } from '../integration/status-line.js';
import { statusOption } from '../integration/tmux-integration.js';
import { type Lease, type LeaseOptions, probe, tryAcquireLease } from '../platform/lease.js';
import type { PathEnvironment } from '../platform/paths.js';
import { ownStartTicks } from '../platform/process-identity.js';
import { clearRestoringMarkerIf, restoringMarkerState } from '../restore/restoring-marker.js';
import { type ServerIdentity, serverIdentity } from '../server/server-identity.js';
import { describeLifetime, type ServerLifetime, sameLifetime } from '../server/server-lifetime.js';
import { environmentSettings, settingsFrom } from '../settings/settings.js';
import { type CaptureDependencies, captureServer } from '../snapshot/capture.js';
import { countPanes } from '../snapshot/structure.js';
import { parseSaveFileName } from '../store/save-files.js';
import { SaveStore } from '../store/save-store.js';
import { captureToSave, saveOptionNames, writeCapturedSave } from '../store/write-save.js';
import type { DaemonFiles } from './daemon-files.js';
import {
  askDaemon,
  type DaemonAnswer,
  type DaemonIdentity,
  type DaemonRequest,
  type DaemonStatus,
  daemonConnectionHandler,
  readDaemonToken,
} from './daemon-ipc.js';
import type { DaemonLog } from './daemon-log.js';
import { readFingerprint, type ServerFingerprint, saveIntervalMinutes } from './fingerprint.js';
import { describePauseReason, type PauseReason, samePauseReason, withDescription } from './pause-reason.js';
import {
  type ChangeSaveCredit,
  decideAutoSave,
  decideChangeSave,
  fullChangeSaveCredit,
  spendChangeSaveCredit,
} from './save-policy.js';

/** Default time between two fingerprints: cheap enough to be invisible, quick enough for "within seconds". */
export const defaultPollMilliseconds = environmentSettings.daemonPoll.defaultValue;

export interface DaemonDependencies extends CaptureDependencies {
  readonly files: DaemonFiles;
  readonly log: DaemonLog;
  readonly pollMilliseconds: number;
  readonly version: string;
  /** --dir, else @resurrect-dir, else the default: the same rule as `continuum save`. */
  readonly resolveSaveDirectory: (resurrectDir: string | undefined) => string;
  /** Where the shell integration's pane records are read from (src/shell/pane-directory.ts). */
  readonly paths?: PathEnvironment;
  /** Whose saves these are; default: the socket's identity (a psmux daemon passes its namespace). */
  readonly identity?: ServerIdentity;
  /**
   * Run once, as the daemon starts and holds its lease: psmux's auto-restore, whose once-only
   * guard is this lease (MuxDialect.integration).
   */
  readonly onLeaseTaken?: () => Promise<void>;
  /**
   * Milliseconds on a clock that only goes forward (default `performance.now`): what the daemon's
   * intervals are measured on, so a wall clock that jumps a year ahead and back does not put the
   * next full save a year out. `now` is only for the times saves and messages are stamped with.
   */
  readonly monotonicNow?: () => number;
}

export type DaemonOutcome =
  | { readonly result: 'already-running'; readonly pid: number | undefined }
  /** `serverReplaced`: another server now runs on the socket, and a new daemon should serve it. */
  | { readonly result: 'stopped'; readonly reason: string; readonly serverReplaced: boolean };

type LastSave = NonNullable<DaemonStatus['lastSave']>;

/** Why a save was attempted; a change-save spends change-save credit (save-policy.ts). */
interface SaveAttempt {
  readonly reason: string;
  readonly change: boolean;
}

/**
 * The auto-save daemon of one tmux server lifetime. It holds the server's daemon lease for its
 * whole life (the kernel frees it on any exit), answers `status`/`stop` on it, and runs a chain of
 * setTimeout laps: one tmux invocation per lap, a save only when something changed or the full
 * save is due. Its state is a fixed set of fields, so memory stays flat however long it runs.
 */
export class AutoSaveDaemon {
  readonly #dependencies: DaemonDependencies;
  readonly #startedAt = new Date();
  #lease: Lease | undefined;
  #leaseOptions: LeaseOptions | undefined;
  #token = '';
  #startTicks: number | null = null;
  readonly #loggedSocketErrors = new Set<string>();
  #stopReason: string | undefined;
  #serverReplaced = false;
  /** The server it serves, from its first lap; every field below belongs to that lifetime. */
  #lifetime: ServerLifetime | null = null;
  /** The last lap could not read the server (it did not answer, say): cleared when it does again. */
  #serverUnreadable = false;
  /** Since when no server answered (psmux: the namespace had no session), for the grace period. */
  #noServerSince: number | undefined;
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #laps = 0;
  #unansweredPings = 0;
  #previousLapHash: string | undefined;
  /** The structure last saved (or deliberately not saved); NOT one whose save failed. */
  #handledHash: string | undefined;
  #unsettledLaps = 0;
  #changeSaveCredit: ChangeSaveCredit = fullChangeSaveCredit(0);
  /** A save that failed, tried again every lap until one works. */
  #failedSave: SaveAttempt | null = null;
  #lastFingerprintWarning = '';
  #lastFullSaveAt: number | undefined;
  #intervalMinutes = 15;
  #saveDirectory: string | null = null;
  #paused: PauseReason | null = null;
  #lastSave: LastSave | null = null;
  #lastError: { at: string; message: string } | null = null;
  #publishedStatus = '';

  readonly #monotonicNow: () => number;
  readonly #startedAtMonotonic: number;

  constructor(dependencies: DaemonDependencies) {
    this.#dependencies = dependencies;
    this.#monotonicNow = dependencies.monotonicNow ?? (() => performance.now());
    this.#startedAtMonotonic = this.#monotonicNow();
  }

  /** Runs until the server is gone, a signal or `stop` arrives, or another daemon took over. */
  async run(): Promise<DaemonOutcome> {
    const { files, log } = this.#dependencies;
    this.#startTicks = await ownStartTicks();
    const leaseOptions: LeaseOptions = {
      ...files.leaseOptions,
      onConnection: daemonConnectionHandler({
        token: () => this.#token,
        answer: (request) => this.#answer(request),
        onFlood: (maximum) =>
          void log.warn(
            `more than ${maximum} connections at once on ${files.address}: dropping the oldest (logged once per flood)`,
          ),
      }),
      onError: (error: Error) => void this.#logSocketError(error),
    };
    // A loser waits for the winner to answer (it may still be writing its token, or reclaiming a
    // dead holder's socket file) so that `daemon start` sees a daemon, not a start that failed.
    this.#leaseOptions = leaseOptions;
    const deadline = Date.now() + 5000;
    for (;;) {
      this.#lease = await tryAcquireLease(files.leaseKey, leaseOptions);
      if (this.#lease) break;
      const reply = await askDaemon(files.address, 'ping', await readDaemonToken(files.tokenPath), 1000);
      if (reply.result === 'answered' && 'daemon' in reply.answer) {
        return { result: 'already-running', pid: reply.answer.daemon.pid };
      }
      if (Date.now() >= deadline) return { result: 'already-running', pid: undefined };
      await new Promise((done) => setTimeout(done, 100));
    }
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
    const onSignal = (signal: NodeJS.Signals): void => this.stop(`received ${signal}`);
    for (const signal of signals) process.on(signal, onSignal);
    try {
      this.#token = randomBytes(24).toString('hex');
      await this.#writeToken();
      await log.info(
        `daemon started for ${files.socketPath} (pid ${process.pid}, a lap every ${this.#dependencies.pollMilliseconds} ms)`,
      );
      if (this.#dependencies.onLeaseTaken)
        await this.#dependencies
          .onLeaseTaken()
          .catch((error: unknown) => this.#recordError(messageOf(error)));
      while (this.#stopReason === undefined) {
        await this.#lap();
        if (this.#stopReason === undefined) await this.#sleep(this.#dependencies.pollMilliseconds);
      }
      await log.info(`daemon stopped: ${this.#stopReason}`);
      await this.#publishStopped();
      return { result: 'stopped', reason: this.#stopReason, serverReplaced: this.#serverReplaced };
    } finally {
      for (const signal of signals) process.off(signal, onSignal);
      clearTimeout(this.#timer);
      // The token is ours only while we hold the lease; a successor writes its own.
      if (this.#lease.isHeld()) await unlink(files.tokenPath).catch(() => undefined);
      await this.#lease.release();
    }
  }

  async #writeToken(): Promise<void> {
    const { tokenPath } = this.#dependencies.files;
    await ensurePrivateDirectory(dirname(tokenPath));
    await writeFileAtomically(tokenPath, `${this.#token}\n`);
  }

  /**
   * Nothing saves once this daemon is gone: the status line must not go on showing its last save
   * time as if it did (a daemon killed with SIGKILL cannot say so; `status` can).
   */
  async #publishStopped(): Promise<void> {
    if (this.#serverReplaced || this.#publishedStatus === '') return;
    await this.#dependencies.mux.run(['set-option', '-g', statusOption, stoppedStatus]).catch(() => '');
  }

  /**
   * The lease's socket file was deleted under a live daemon (logind's `rm -rf /run/user/UID` at
   * the last logout, a /tmp cleaner): nobody can reach it, but it still runs. It takes the same
   * name again, with a fresh token, unless another daemon took it meanwhile.
   */
  async #retakeLease(): Promise<boolean> {
    const { files, log } = this.#dependencies;
    if (this.#leaseOptions === undefined || (await probe(files.address)) !== 'gone') return false;
    let lease: Lease | undefined;
    try {
      lease = await tryAcquireLease(files.leaseKey, this.#leaseOptions);
    } catch (error) {
      this.stop(`its lease ${files.address} was removed and cannot be made again: ${messageOf(error)}`);
      return false;
    }
    if (lease === undefined) return false;
    const old = this.#lease;
    this.#lease = lease;
    await old?.release();
    await this.#writeToken();
    this.#unansweredPings = 0;
    await log.warn(`its lease ${files.address} was removed (by a logout or a cleaner?): took it again`);
    return true;
  }

  /** Ends the loop at the next await; safe to call from a signal handler or a request. */
  stop(reason: string): void {
    this.#stopReason ??= reason;
    clearTimeout(this.#timer);
    this.#wake?.();
  }

  #sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, milliseconds);
    });
  }

  async #lap(): Promise<void> {
    this.#laps += 1;
    if (!(await this.#stillTheHolder())) return;
    let fingerprint: ServerFingerprint;
    try {
      fingerprint = await this.#withoutStaleMarker(await readFingerprint(this.#dependencies.mux));
    } catch (error) {
      // Without its multiplexer (uninstalled, or a --mux that is gone) no server can be watched:
      // lapping on would only log the same error for ever. The next `init` or attach starts one.
      if (error instanceof MuxMissingError) {
        this.stop(error.message);
        return;
      }
      if (error instanceof NoServerError) {
        const grace = this.#dependencies.mux.dialect.idleServerGraceMilliseconds;
        const now = this.#monotonicNow();
        this.#noServerSince ??= now;
        if (now - this.#noServerSince >= grace) {
          this.stop(
            grace === 0
              ? `the tmux server on ${this.#dependencies.files.socketPath} is gone`
              : `the ${this.#dependencies.mux.describeServer()} has had no session for ${Math.round((now - this.#noServerSince) / 1000)} s`,
          );
          return;
        }
        await this.#setPaused({ kind: 'empty-namespace', server: this.#dependencies.mux.describeServer() });
        return;
      }
      if (this.#noServerSince !== undefined) {
        this.#noServerSince = undefined;
        await this.#setPaused(null);
      }
      // tmux 3.3 answers `list-panes -a` on a server without sessions (while its config loads, or
      // with exit-empty off) with "no current target": nothing to save, nothing wrong.
      if (error instanceof MuxCommandError && /no current target|no sessions/.test(error.stderr)) {
        await this.#setPaused({ kind: 'no-sessions' });
        return;
      }
      this.#serverUnreadable = true;
      await this.#recordError(`cannot read the server's structure: ${messageOf(error)}`);
      return;
    }
    if (!this.#sameServer(fingerprint)) return;
    if (this.#serverUnreadable) {
      this.#serverUnreadable = false;
      this.#lastError = null;
      await this.#dependencies.log.info('the server answers again');
    }
    await this.#logFingerprintWarnings(fingerprint);
    this.#intervalMinutes = saveIntervalMinutes(fingerprint.saveInterval);
    const hash = fingerprint.structureHash;
    const stable = hash === this.#previousLapHash;
    this.#previousLapHash = hash;
    if (this.#intervalMinutes === 0) {
      this.#handledHash = hash;
      this.#failedSave = null;
      await this.#setPaused({ kind: 'interval-off' });
      await this.#publishStatus();
      return;
    }
    if (this.#paused?.kind === 'interval-off') await this.#setPaused(null);
    const now = this.#monotonicNow();
    const fullDue =
      this.#lastFullSaveAt === undefined || now >= this.#lastFullSaveAt + this.#intervalMinutes * 60_000;
    const changed = hash !== this.#handledHash;
    this.#unsettledLaps = changed ? this.#unsettledLaps + 1 : 0;
    const changeDecision = decideChangeSave({
      lap: this.#laps,
      changed,
      stable,
      unsettledLaps: this.#unsettledLaps,
      credit: this.#changeSaveCredit,
    });
    if (fullDue) {
      this.#lastFullSaveAt = now;
      const reason = this.#laps === 1 ? 'first look at the server' : 'periodic save';
      await this.#save(fingerprint, { reason, change: false });
    } else if (changeDecision.save) {
      await this.#save(fingerprint, { reason: 'the structure changed', change: true });
    } else if (this.#failedSave !== null) {
      // The state a failed save held is still unsaved: try again now, not at the next change or
      // the next periodic save (the same message is logged once, see #recordError).
      await this.#save(fingerprint, this.#failedSave);
    }
    await this.#publishStatus();
  }

  /** Logged once per distinct text: the same odd pane is read again every lap. */
  async #logFingerprintWarnings(fingerprint: ServerFingerprint): Promise<void> {
    const text = fingerprint.warnings.join('; ');
    if (text === this.#lastFingerprintWarning) return;
    this.#lastFingerprintWarning = text;
    if (text !== '') await this.#dependencies.log.warn(text);
  }

  /**
   * A daemon serves one server lifetime. After a quick `kill-server` and a new server on the same
   * socket, nothing it knows (last save, error, hashes, the published status) is true of the new
   * one: it stops without touching it, and the caller starts a fresh daemon for it.
   */
  #sameServer(fingerprint: ServerFingerprint): boolean {
    const lifetime = { pid: fingerprint.serverPid, startTime: fingerprint.serverStartTime };
    if (lifetime.pid === 0) return true;
    if (this.#lifetime === null) {
      this.#lifetime = lifetime;
      return true;
    }
    if (sameLifetime(this.#lifetime, lifetime)) return true;
    this.#serverReplaced = true;
    this.stop(
      `the tmux server on ${this.#dependencies.files.socketPath} was replaced (${describeLifetime(this.#lifetime)}; now ${describeLifetime(lifetime)})`,
    );
    return false;
  }

  /**
   * Keeps `@continuum-status` (what `#{continuum_status}` shows) current, with one tmux command
   * only when the text changes. Saving never depends on it: it is the other way round.
   */
  async #publishStatus(): Promise<void> {
    const text = shortStatus({
      lastError: this.#lastError,
      saveIntervalMinutes: this.#intervalMinutes,
      lastSave: this.#lastSave,
      paused: this.#paused,
    });
    if (text === this.#publishedStatus) return;
    try {
      await this.#dependencies.mux.run(['set-option', '-g', statusOption, text]);
      this.#publishedStatus = text;
    } catch {
      // The next lap tries again; a server that is gone is noticed by the fingerprint.
    }
  }

  /** The lease is ours while our socket listens, and our own ping comes back to us. */
  async #stillTheHolder(): Promise<boolean> {
    const { files } = this.#dependencies;
    if (!this.#lease?.isHeld()) {
      this.stop('lost the daemon lease');
      return false;
    }
    let reply = await askDaemon(files.address, 'ping', this.#token, 2000);
    if (reply.result === 'none' && (await this.#retakeLease()))
      reply = await askDaemon(files.address, 'ping', this.#token, 2000);
    if (reply.result !== 'answered') {
      // A busy machine (or a flood) may delay one answer; three in a row means the address is not ours.
      this.#unansweredPings += 1;
      if (this.#unansweredPings >= 3) this.stop('its socket no longer answers');
      return this.#unansweredPings < 3;
    }
    this.#unansweredPings = 0;
    if ('daemon' in reply.answer && reply.answer.daemon.pid === process.pid) return true;
    this.stop('another daemon answers on its socket');
    return false;
  }

  /**
   * A restore killed half-way (SIGKILL, an old version) leaves `@continuum-restoring` set, which
   * would pause auto-save for the rest of the server's life: a marker whose process is gone or is
   * no longer continuum is unset (only while it still holds that value) and said once in the log.
   */
  async #withoutStaleMarker(fingerprint: ServerFingerprint): Promise<ServerFingerprint> {
    if (!fingerprint.restoring) return fingerprint;
    const state = await restoringMarkerState(fingerprint.restoringMarker);
    if (state.kind !== 'stale') return fingerprint;
    await clearRestoringMarkerIf(this.#dependencies.mux, state.value).catch(() => undefined);
    await this.#dependencies.log.info(
      `cleared @continuum-restoring (${state.value}) left by a restore that did not finish: ${state.reason}; auto-save goes on`,
    );
    return { ...fingerprint, restoring: false, restoringMarker: '' };
  }

  async #save(fingerprint: ServerFingerprint, attempt: SaveAttempt): Promise<void> {
    const dependencies = this.#dependencies;
    const { reason } = attempt;
    try {
      const captured = await captureServer(dependencies, saveOptionNames);
      for (const line of captured.warnings) await dependencies.log.warn(line);
      // Left-out sessions (`__` names, @resurrect-save-unnamed) are not saved: a server holding
      // only those has nothing to save, a pause like an empty server's, not a failure.
      const { capture, skipped } = captureToSave(captured, dependencies.mux.dialect);
      const directory = dependencies.resolveSaveDirectory(settingsFrom(capture.options).saveDirectory);
      this.#saveDirectory = directory;
      // Its own server's saves only: the newest of another server sharing the directory is no
      // reason to skip ("unchanged") or to pause (an "earlier lifetime").
      const store = new SaveStore(
        directory,
        dependencies.identity ?? serverIdentity(dependencies.files.socketPath),
      );
      const newest = await store.newestSaveName();
      const decision = decideAutoSave({
        snapshot: capture.snapshot,
        skippedSessions: skipped.length,
        restoring: fingerprint.restoring,
        autoRestoreResult: fingerprint.autoRestoreResult,
        newestSaveLifetime: newest === undefined ? undefined : parseSaveFileName(newest)?.serverLifetime,
      });
      if (!decision.save) {
        // A refused structure is dealt with: it is looked at again when it changes.
        this.#handledHash = fingerprint.structureHash;
        this.#failedSave = null;
        this.#unsettledLaps = 0;
        await this.#setPaused(decision.reason);
        return;
      }
      await this.#setPaused(null);
      // Contents go with every save when enabled: a save without them would become the newest
      // and hide the text the previous one kept.
      const warn = (line: string): void => void dependencies.log.warn(line);
      const outcome = await writeCapturedSave(
        {
          mux: dependencies.mux,
          now: dependencies.now,
          warn,
          ...(dependencies.paths ? { paths: dependencies.paths } : {}),
        },
        capture,
        store,
      );
      // Only now is the structure handled: a failed write leaves it due, for the next lap.
      this.#handledHash = fingerprint.structureHash;
      this.#failedSave = null;
      this.#unsettledLaps = 0;
      if (attempt.change && outcome.result === 'written')
        this.#changeSaveCredit = spendChangeSaveCredit(this.#changeSaveCredit, this.#laps);
      this.#lastSave = {
        at: dependencies.now().toISOString(),
        path: outcome.path,
        result: outcome.result,
        reason,
      };
      if (outcome.result === 'written') {
        const counts = countPanes(capture.snapshot);
        await dependencies.log.info(
          `saved ${describeCounts(counts)} to ${outcome.path} (${reason})` +
            (outcome.deleted.length > 0 ? `; removed ${plural(outcome.deleted.length, 'old save')}` : ''),
        );
      }
      if (this.#lastError !== null) {
        await dependencies.log.info('saving works again');
        this.#lastError = null;
      }
    } catch (error) {
      if (error instanceof NoServerError) {
        this.stop(`the tmux server on ${dependencies.files.socketPath} is gone`);
        return;
      }
      this.#failedSave = attempt;
      await this.#recordError(`save failed (${reason}): ${messageOf(error)}`);
    }
  }

  async #setPaused(reason: PauseReason | null): Promise<void> {
    if (samePauseReason(reason, this.#paused)) return;
    this.#paused = reason;
    // Expected states (a fresh server, a restore under way), not faults: INF, not WRN.
    if (reason !== null) await this.#dependencies.log.info(`not saving: ${describePauseReason(reason)}`);
  }

  /** Kept for `status` and logged once per distinct message, so a lasting failure does not flood the log. */
  async #recordError(message: string): Promise<void> {
    const repeated = this.#lastError?.message === message;
    this.#lastError = { at: this.#dependencies.now().toISOString(), message };
    if (!repeated) await this.#dependencies.log.error(message);
  }

  /** Only requests that proved they know the token get here (daemon-ipc checks the proof). */
  #answer(request: DaemonRequest): DaemonAnswer {
    if (request === 'ping') {
      return {
        ok: true,
        daemon: this.#identity(),
        lifetime: this.#lifetime,
        stopping: this.#stopReason !== undefined,
      };
    }
    if (request === 'stop') {
      // Answer first, stop after: the reply goes out before the socket closes.
      setImmediate(() => this.stop('asked to stop (`continuum daemon stop`)'));
      return { ok: true, stopping: true, daemon: this.#identity() };
    }
    return { ok: true, status: this.status() };
  }

  #identity(): DaemonIdentity {
    return {
      pid: process.pid,
      startTicks: this.#startTicks,
      socketPath: this.#dependencies.files.socketPath,
    };
  }

  /** An accept that failed (EMFILE): logged once per kind, and the daemon carries on. */
  async #logSocketError(error: Error): Promise<void> {
    const kind = errorCode(error) ?? error.message;
    if (this.#loggedSocketErrors.has(kind)) return;
    this.#loggedSocketErrors.add(kind);
    await this.#dependencies.log.warn(`its socket failed to accept a connection (${kind}); still running`);
  }

  status(): DaemonStatus {
    const now = this.#dependencies.now();
    const monotonic = this.#monotonicNow();
    // Shown on the wall clock, measured on the monotonic one: what is left of the interval, from now.
    const nextFull =
      this.#intervalMinutes === 0 || this.#lastFullSaveAt === undefined
        ? null
        : new Date(
            now.getTime() + Math.max(0, this.#lastFullSaveAt + this.#intervalMinutes * 60_000 - monotonic),
          ).toISOString();
    return {
      pid: process.pid,
      version: this.#dependencies.version,
      startedAt: this.#startedAt.toISOString(),
      uptimeSeconds: Math.round((monotonic - this.#startedAtMonotonic) / 1000),
      rssBytes: process.memoryUsage.rss(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      socketPath: this.#dependencies.files.socketPath,
      serverLifetime: this.#lifetime,
      logPath: this.#dependencies.log.path,
      saveDirectory: this.#saveDirectory,
      pollMilliseconds: this.#dependencies.pollMilliseconds,
      saveIntervalMinutes: this.#intervalMinutes,
      paused: this.#paused === null ? null : withDescription(this.#paused),
      laps: this.#laps,
      lastSave: this.#lastSave,
      nextFullSaveAt: nextFull,
      lastError: this.#lastError,
    };
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const hint = 'hint' in error && typeof error.hint === 'string' ? ` — ${error.hint}` : '';
    return `${error.message}${hint}`;
  }
  return String(error);
}
