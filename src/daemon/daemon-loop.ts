import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, MuxCommandError, MuxMissingError, NoServerError } from '../errors.js';
import { ensurePrivateDirectory, writeFileAtomically } from '../files/atomic-write.js';
import { type Lease, type LeaseOptions, probe, tryAcquireLease } from '../platform/lease.js';
import type { PathEnvironment } from '../platform/paths.js';
import { ownStartTicks } from '../platform/process-identity.js';
import { clearRestoringMarkerIf, restoringMarkerState } from '../restore/restoring-marker.js';
import { environmentSettings } from '../settings/settings.js';
import type { CaptureDependencies } from '../snapshot/capture.js';
import { countPanes } from '../snapshot/structure.js';
import { parseSaveFileName } from '../store/save-files.js';
import { saveServer } from '../store/save-server.js';
import type { SaveStore } from '../store/save-store.js';
import type { DaemonFiles } from './daemon-files.js';
import {
  askDaemon,
  type DaemonAnswer,
  type DaemonRequest,
  type DaemonStatus,
  daemonConnectionHandler,
  readDaemonToken,
} from './daemon-ipc.js';
import type { DaemonLog } from './daemon-log.js';
import {
  type DaemonEffect,
  type DaemonObservation,
  type DaemonState,
  daemonStatus,
  type HolderCheck,
  initialDaemonState,
  type SaveResult,
  type ServerReading,
} from './daemon-state.js';
import { stepDaemon } from './daemon-step.js';
import { readFingerprint } from './fingerprint.js';
import { decideAutoSave } from './save-policy.js';
import { statusOption } from './status-line.js';

/** Default time between two fingerprints: cheap enough to be invisible, quick enough for "within seconds". */
export const defaultPollMilliseconds = environmentSettings.daemonPoll.defaultValue;

export interface DaemonDependencies extends CaptureDependencies {
  readonly files: DaemonFiles;
  readonly log: DaemonLog;
  readonly pollMilliseconds: number;
  readonly version: string;
  /** This server's saves, given its options: the same store as `continuum save` writes to. */
  readonly store: (options: ReadonlyMap<string, string>) => Promise<SaveStore>;
  /** Where the shell integration's pane records are read from (src/shell/pane-directory.ts). */
  readonly paths?: PathEnvironment;
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

/**
 * The auto-save daemon of one tmux server lifetime: the shell around `stepDaemon`. It holds the
 * server's daemon lease for its whole life (the kernel frees it on any exit), answers
 * `status`/`stop` on it, and performs the effects the step asks for: one tmux invocation per lap,
 * a save only when something changed or the full save is due, a sleep between laps. Everything it
 * knows is the one `DaemonState` value; the fields here are its resources (lease, token, timer).
 */
export class AutoSaveDaemon {
  readonly #dependencies: DaemonDependencies;
  readonly #startedAt = new Date();
  readonly #monotonicNow: () => number;
  readonly #startedAtMonotonic: number;
  #state: DaemonState;
  #lease: Lease | undefined;
  #leaseOptions: LeaseOptions | undefined;
  #token = '';
  #startTicks: number | null = null;
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(dependencies: DaemonDependencies) {
    this.#dependencies = dependencies;
    this.#monotonicNow = dependencies.monotonicNow ?? (() => performance.now());
    this.#startedAtMonotonic = this.#monotonicNow();
    this.#state = initialDaemonState({
      socketPath: dependencies.files.socketPath,
      address: dependencies.files.address,
      pollMilliseconds: dependencies.pollMilliseconds,
      idleServerGraceMilliseconds: dependencies.mux.dialect.idleServerGraceMilliseconds,
    });
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
      onError: (error: Error) =>
        void this.#execute(this.#step({ kind: 'socket-error', code: errorCode(error) ?? error.message })),
    };
    // A loser waits for the winner to answer (it may still be writing its token, or reclaiming a
    // dead holder's socket file) so that `daemon start` sees a daemon, not a start that failed.
    this.#leaseOptions = leaseOptions;
    const deadline = performance.now() + 5000;
    for (;;) {
      this.#lease = await tryAcquireLease(files.leaseKey, leaseOptions);
      if (this.#lease) break;
      const reply = await askDaemon(files.address, 'ping', await readDaemonToken(files.tokenPath), 1000);
      if (reply.result === 'answered' && reply.answer.kind === 'ping') {
        return { result: 'already-running', pid: reply.answer.daemon.pid };
      }
      if (performance.now() >= deadline) return { result: 'already-running', pid: undefined };
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
        await this.#dependencies.onLeaseTaken().catch(async (error: unknown) => {
          const at = this.#dependencies.now().toISOString();
          await this.#execute(this.#step({ kind: 'failed', message: messageOf(error), at }));
        });
      let observation: DaemonObservation = { kind: 'lap-due' };
      for (;;) {
        const end = await this.#execute(this.#step(observation));
        if (end?.kind === 'exit')
          return { result: 'stopped', reason: end.reason, serverReplaced: end.serverReplaced };
        if (end?.kind === 'sleep') {
          await this.#sleep(end.milliseconds);
          observation = { kind: 'lap-due' };
        } else observation = { kind: 'lap-finished' };
      }
    } finally {
      for (const signal of signals) process.off(signal, onSignal);
      clearTimeout(this.#timer);
      // The token is ours only while we hold the lease; a successor writes its own.
      if (this.#lease.isHeld()) await unlink(files.tokenPath).catch(() => undefined);
      await this.#lease.release();
    }
  }

  /** Ends the loop after the lap under way; safe to call from a signal handler or a request. */
  stop(reason: string): void {
    this.#step({ kind: 'stop-requested', reason });
    clearTimeout(this.#timer);
    this.#wake?.();
  }

  #step(observation: DaemonObservation): readonly DaemonEffect[] {
    const update = stepDaemon(this.#state, observation);
    this.#state = update.state;
    return update.effects;
  }

  /** Performs effects in order, and those of what they observe; returns at a sleep or the exit. */
  async #execute(effects: readonly DaemonEffect[]): Promise<LapEnd | undefined> {
    const queue = [...effects];
    for (let effect = queue.shift(); effect !== undefined; effect = queue.shift()) {
      if (effect.kind === 'sleep' || effect.kind === 'exit') return effect;
      const observation = await this.#perform(effect);
      if (observation !== undefined) queue.push(...this.#step(observation));
    }
    return undefined;
  }

  async #perform(effect: Exclude<DaemonEffect, LapEnd>): Promise<DaemonObservation | undefined> {
    const { mux, log } = this.#dependencies;
    switch (effect.kind) {
      case 'check-holder':
        return { kind: 'holder-checked', holder: await this.#checkHolder() };
      case 'read-server':
        return this.#readServer();
      case 'log':
        await log.write(effect.level, effect.message);
        return undefined;
      case 'clear-restoring-marker':
        await clearRestoringMarkerIf(mux, effect.value).catch(() => undefined);
        return undefined;
      case 'save':
        return this.#save(effect);
      case 'set-status':
        try {
          await mux.run(['set-option', '-g', statusOption, effect.text]);
          return { kind: 'status-set', text: effect.text };
        } catch {
          // The next lap tries again; a server that is gone is noticed by the fingerprint.
          return undefined;
        }
    }
  }

  async #writeToken(): Promise<void> {
    const { tokenPath } = this.#dependencies.files;
    await ensurePrivateDirectory(dirname(tokenPath));
    await writeFileAtomically(tokenPath, `${this.#token}\n`);
  }

  /**
   * The lease's socket file was deleted under a live daemon (logind's `rm -rf /run/user/UID` at
   * the last logout, a /tmp cleaner): nobody can reach it, but it still runs. It takes the same
   * name again, with a fresh token, unless another daemon took it meanwhile.
   */
  async #retakeLease(): Promise<Retake> {
    const { files } = this.#dependencies;
    if (this.#leaseOptions === undefined || (await probe(files.address)) !== 'gone') return { kind: 'none' };
    let lease: Lease | undefined;
    try {
      lease = await tryAcquireLease(files.leaseKey, this.#leaseOptions);
    } catch (error) {
      return { kind: 'failed', message: messageOf(error) };
    }
    if (lease === undefined) return { kind: 'none' };
    const old = this.#lease;
    this.#lease = lease;
    await old?.release();
    await this.#writeToken();
    return { kind: 'retaken' };
  }

  /** Whether the lease is still ours: our socket listens, and our own ping comes back to us. */
  async #checkHolder(): Promise<HolderCheck> {
    const { files } = this.#dependencies;
    if (!this.#lease?.isHeld()) return { kind: 'lease-lost' };
    let retake: Retake = { kind: 'none' };
    let reply = await askDaemon(files.address, 'ping', this.#token, 2000);
    if (reply.result === 'none') {
      retake = await this.#retakeLease();
      if (retake.kind === 'retaken') reply = await askDaemon(files.address, 'ping', this.#token, 2000);
    }
    if (reply.result !== 'answered') return { kind: 'checked', retake, ping: { kind: 'unanswered' } };
    const ours = reply.answer.kind === 'ping' && reply.answer.daemon.pid === process.pid;
    return { kind: 'checked', retake, ping: { kind: 'answered', ours } };
  }

  async #readServer(): Promise<DaemonObservation> {
    const { mux, now } = this.#dependencies;
    let reading: ServerReading;
    try {
      const fingerprint = await readFingerprint(mux);
      const marker = fingerprint.restoring
        ? await restoringMarkerState(fingerprint.restoringMarker)
        : { kind: 'unset' as const };
      reading = { kind: 'fingerprint', fingerprint, marker };
    } catch (error) {
      if (error instanceof MuxMissingError) reading = { kind: 'mux-missing', message: error.message };
      else if (error instanceof NoServerError) reading = { kind: 'no-server', server: mux.describeServer() };
      // tmux 3.3 answers `list-panes -a` on a server without sessions (while its config loads, or
      // with exit-empty off) with "no current target": nothing to save, nothing wrong.
      else if (error instanceof MuxCommandError && /no current target|no sessions/.test(error.stderr))
        reading = { kind: 'no-sessions' };
      else reading = { kind: 'unreadable', message: messageOf(error) };
    }
    return { kind: 'server-read', reading, monotonic: this.#monotonicNow(), at: now().toISOString() };
  }

  /** The same save as `continuum save`, refused where the save policy says so (decideAutoSave). */
  async #save(effect: Extract<DaemonEffect, { kind: 'save' }>): Promise<DaemonObservation> {
    const dependencies = this.#dependencies;
    let directory: string | undefined;
    let admitted = false;
    let result: SaveResult;
    try {
      const outcome = await saveServer(
        {
          ...dependencies,
          warn: (line) => dependencies.log.warn(line),
          // Its own server's saves only: the newest of another server sharing the directory is no
          // reason to skip ("unchanged") or to pause (an "earlier lifetime").
          store: async (options) => {
            const store = await dependencies.store(options);
            directory = store.directory;
            return store;
          },
        },
        async ({ capture, skipped, store }) => {
          const newest = await store.newestSaveName();
          const decision = decideAutoSave({
            snapshot: capture.snapshot,
            skippedSessions: skipped.length,
            restoring: effect.restoring,
            autoRestoreResult: effect.autoRestoreResult,
            newestSaveLifetime: newest === undefined ? undefined : parseSaveFileName(newest)?.serverLifetime,
          });
          if (!decision.save) return decision.reason;
          admitted = true;
          return undefined;
        },
      );
      if (outcome.kind === 'refused') result = { kind: 'refused', reason: outcome.refusal };
      else {
        const { write } = outcome;
        result = {
          kind: write.result,
          path: write.path,
          deleted: write.result === 'written' ? write.deleted.length : 0,
          counts: countPanes(outcome.capture.snapshot),
        };
      }
    } catch (error) {
      result =
        error instanceof NoServerError
          ? { kind: 'server-gone' }
          : { kind: 'failed', message: messageOf(error), admitted };
    }
    return {
      kind: 'save-finished',
      attempt: effect.attempt,
      structureHash: effect.structureHash,
      directory,
      result,
      at: dependencies.now().toISOString(),
    };
  }

  #sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, milliseconds);
    });
  }

  /** Only requests that proved they know the token get here (daemon-ipc checks the proof). */
  #answer(request: DaemonRequest): DaemonAnswer {
    const daemon = {
      pid: process.pid,
      startTicks: this.#startTicks,
      socketPath: this.#dependencies.files.socketPath,
    };
    if (request === 'ping') {
      const { lifetime, stopReason } = this.#state;
      return { kind: 'ping', ok: true, daemon, lifetime, stopping: stopReason !== undefined };
    }
    if (request === 'stop') {
      // Answer first, stop after: the reply goes out before the socket closes.
      setImmediate(() => this.stop('asked to stop (`continuum daemon stop`)'));
      return { kind: 'stopping', ok: true, stopping: true, daemon };
    }
    return { kind: 'status', ok: true, status: this.status() };
  }

  status(): DaemonStatus {
    const monotonic = this.#monotonicNow();
    return daemonStatus(this.#state, {
      pid: process.pid,
      version: this.#dependencies.version,
      startedAt: this.#startedAt.toISOString(),
      uptimeSeconds: Math.round((monotonic - this.#startedAtMonotonic) / 1000),
      rssBytes: process.memoryUsage.rss(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      logPath: this.#dependencies.log.path,
      now: this.#dependencies.now(),
      monotonic,
    });
  }
}

type LapEnd = Extract<DaemonEffect, { kind: 'sleep' | 'exit' }>;
type Retake = Extract<HolderCheck, { kind: 'checked' }>['retake'];

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const hint = 'hint' in error && typeof error.hint === 'string' ? ` — ${error.hint}` : '';
    return `${error.message}${hint}`;
  }
  return String(error);
}
