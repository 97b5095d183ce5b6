import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DaemonEffect,
  type DaemonObservation,
  type DaemonState,
  initialDaemonState,
  type SaveResult,
} from '../../../src/daemon/daemon-state.js';
import { stepDaemon } from '../../../src/daemon/daemon-step.js';
import type { ServerFingerprint } from '../../../src/daemon/fingerprint.js';
import type { RestoringMarkerState } from '../../../src/restore/restoring-marker.js';

const settings = {
  socketPath: '/tmp/tmux-1000/work',
  address: '/run/user/1000/continuum/daemon-work',
  pollMilliseconds: 5000,
  idleServerGraceMilliseconds: 0,
};

function fingerprint(overrides: Partial<ServerFingerprint> = {}): ServerFingerprint {
  return {
    structureHash: 'one',
    paneCount: 1,
    serverPid: 100,
    serverStartTime: 1_700_000_000,
    socketPath: settings.socketPath,
    warnings: [],
    saveInterval: '',
    restoring: false,
    restoringMarker: '',
    autoRestoreClaimed: false,
    autoRestoreResult: { kind: 'none' },
    ...overrides,
  };
}

const written: SaveResult = {
  kind: 'written',
  path: '/saves/continuum-work-1.json',
  deleted: 0,
  counts: { sessions: 1, windows: 1, panes: 1 },
};

/** Drives one lap: the step's own observations where the shell would make them, with these answers. */
function lap(
  state: DaemonState,
  answers: {
    readonly fingerprint?: ServerFingerprint;
    readonly reading?: Extract<DaemonObservation, { kind: 'server-read' }>['reading'];
    readonly marker?: RestoringMarkerState;
    readonly monotonic: number;
    readonly at?: string;
    readonly save?: SaveResult;
  },
): { state: DaemonState; effects: DaemonEffect[] } {
  const effects: DaemonEffect[] = [];
  const at = answers.at ?? '2026-12-04T10:00:00.000Z';
  const queue: DaemonObservation[] = [{ kind: 'lap-due' }];
  let current = state;
  for (let observation = queue.shift(); observation !== undefined; observation = queue.shift()) {
    const update = stepDaemon(current, observation);
    current = update.state;
    for (const effect of update.effects) {
      effects.push(effect);
      if (effect.kind === 'check-holder')
        queue.push({
          kind: 'holder-checked',
          holder: { kind: 'checked', retake: { kind: 'none' }, ping: { kind: 'answered', ours: true } },
        });
      if (effect.kind === 'read-server')
        queue.push({
          kind: 'server-read',
          reading: answers.reading ?? {
            kind: 'fingerprint',
            fingerprint: answers.fingerprint ?? fingerprint(),
            marker: answers.marker ?? { kind: 'unset' },
          },
          monotonic: answers.monotonic,
          at,
        });
      if (effect.kind === 'save')
        queue.push({
          kind: 'save-finished',
          attempt: effect.attempt,
          structureHash: effect.structureHash,
          directory: '/saves',
          result: answers.save ?? written,
          at,
        });
      if (effect.kind === 'set-status') queue.push({ kind: 'status-set', text: effect.text });
    }
    if (queue.length === 0 && !effects.some((effect) => effect.kind === 'sleep' || effect.kind === 'exit'))
      queue.push({ kind: 'lap-finished' });
  }
  return { state: current, effects };
}

const saves = (effects: readonly DaemonEffect[]) =>
  effects.flatMap((effect) => (effect.kind === 'save' ? [effect.attempt] : []));
const logs = (effects: readonly DaemonEffect[]) =>
  effects.flatMap((effect) => (effect.kind === 'log' ? [`${effect.level} ${effect.message}`] : []));

/** A daemon that has had its first lap (the full save) and a quiet one after it. */
function settled(): DaemonState {
  const first = lap(initialDaemonState(settings), { monotonic: 0 });
  return lap(first.state, { monotonic: 5000 }).state;
}

describe('the daemon step', () => {
  it('saves the first look at the server, then nothing while the structure holds still', () => {
    const first = lap(initialDaemonState(settings), { monotonic: 0 });
    assert.deepEqual(saves(first.effects), [{ reason: 'first look at the server', change: false }]);
    assert.deepEqual(first.effects.at(-1), { kind: 'sleep', milliseconds: 5000 });
    assert.ok(first.effects.some((effect) => effect.kind === 'set-status'));
    const second = lap(first.state, { monotonic: 5000 });
    assert.deepEqual(saves(second.effects), []);
    assert.deepEqual(second.effects, [
      { kind: 'check-holder' },
      { kind: 'read-server' },
      { kind: 'sleep', milliseconds: 5000 },
    ]);
  });

  it('saves a structural change once it held for a lap, and spends change-save credit on it', () => {
    const before = settled();
    const changing = lap(before, { monotonic: 10_000, fingerprint: fingerprint({ structureHash: 'two' }) });
    assert.deepEqual(saves(changing.effects), [], 'a change that has not held still for a lap waits');
    const held = lap(changing.state, {
      monotonic: 15_000,
      fingerprint: fingerprint({ structureHash: 'two' }),
    });
    assert.deepEqual(saves(held.effects), [{ reason: 'the structure changed', change: true }]);
    assert.equal(held.state.handledHash, 'two');
    assert.ok(
      held.state.changeSaveCredit.laps < before.changeSaveCredit.laps,
      `credit ${held.state.changeSaveCredit.laps} after, ${before.changeSaveCredit.laps} before`,
    );
    assert.deepEqual(logs(held.effects), [
      'INF saved 1 session, 1 window, 1 pane to /saves/continuum-work-1.json (the structure changed)',
    ]);
  });

  it('does not save while a restore runs (the save is refused and the pause logged)', () => {
    const restoring = fingerprint({ structureHash: 'two', restoring: true, restoringMarker: '4242 77' });
    const marker: RestoringMarkerState = { kind: 'running', pid: 4242 };
    const first = lap(settled(), { monotonic: 10_000, fingerprint: restoring, marker });
    const second = lap(first.state, {
      monotonic: 15_000,
      fingerprint: restoring,
      marker,
      save: { kind: 'refused', reason: { kind: 'restoring' } },
    });
    const [save] = second.effects.filter((effect) => effect.kind === 'save');
    assert.equal(save?.kind === 'save' && save.restoring, true, 'the save policy is told a restore runs');
    assert.deepEqual(logs(second.effects), ['INF not saving: a restore is running']);
    assert.deepEqual(second.state.paused, { kind: 'restoring' });
    assert.equal(second.state.lastSave?.reason, 'first look at the server', 'no save was recorded');
    assert.equal(second.state.handledHash, 'two', 'the refused structure is not tried every lap');
    const third = lap(second.state, { monotonic: 20_000, fingerprint: restoring, marker });
    assert.deepEqual(saves(third.effects), []);
  });

  it('clears a marker left by a dead restore, says so once, and saves as usual', () => {
    const stale = fingerprint({ structureHash: 'two', restoring: true, restoringMarker: '4242 77' });
    const marker: RestoringMarkerState = {
      kind: 'stale',
      value: '4242 77',
      reason: 'its process 4242 is gone',
    };
    const first = lap(settled(), { monotonic: 10_000, fingerprint: stale, marker });
    assert.deepEqual(
      first.effects.filter((effect) => effect.kind === 'clear-restoring-marker'),
      [{ kind: 'clear-restoring-marker', value: '4242 77' }],
    );
    assert.deepEqual(logs(first.effects), [
      'INF cleared @continuum-restoring (4242 77) left by a restore that did not finish: its process 4242 is gone; auto-save goes on',
    ]);
    // tmux no longer holds the marker: the next lap says nothing of it, and the change is saved.
    const second = lap(first.state, {
      monotonic: 15_000,
      fingerprint: fingerprint({ structureHash: 'two' }),
    });
    assert.deepEqual(
      second.effects.filter((effect) => effect.kind === 'clear-restoring-marker'),
      [],
    );
    assert.ok(logs(second.effects).every((line) => !line.includes('@continuum-restoring')));
    assert.deepEqual(saves(second.effects), [{ reason: 'the structure changed', change: true }]);
    const [save] = second.effects.filter((effect) => effect.kind === 'save');
    assert.equal(save?.kind === 'save' && save.restoring, false);
  });

  it('measures the full-save interval on the monotonic clock, whatever the wall clock does', () => {
    const start = settled();
    // The wall clock jumps a year ahead: no full save is due, 15 s of monotonic time passed.
    const jumped = lap(start, { monotonic: 20_000, at: '2027-12-04T10:00:00.000Z' });
    assert.deepEqual(saves(jumped.effects), []);
    // ... and back, 15 minutes (monotonic) after the first save: the periodic save is due.
    const due = lap(jumped.state, { monotonic: 15 * 60_000, at: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual(saves(due.effects), [{ reason: 'periodic save', change: false }]);
    assert.equal(due.state.lastFullSaveAt, 15 * 60_000);
    const early = lap(due.state, { monotonic: 15 * 60_000 + 14 * 60_000 });
    assert.deepEqual(saves(early.effects), []);
  });

  it('exits when the server is gone, leaving "stopped" in the status line', () => {
    const gone = lap(settled(), { monotonic: 10_000, reading: { kind: 'no-server', server: 'x' } });
    assert.deepEqual(gone.effects.slice(-3), [
      {
        kind: 'log',
        level: 'INF',
        message: `daemon stopped: the tmux server on ${settings.socketPath} is gone`,
      },
      { kind: 'set-status', text: 'continuum: stopped' },
      { kind: 'exit', reason: `the tmux server on ${settings.socketPath} is gone`, serverReplaced: false },
    ]);
    assert.deepEqual(saves(gone.effects), []);
  });

  it('exits without touching a server that replaced its own on the socket', () => {
    const replaced = lap(settled(), {
      monotonic: 10_000,
      fingerprint: fingerprint({ serverPid: 200, structureHash: 'two' }),
    });
    const exit = replaced.effects.at(-1);
    assert.equal(exit?.kind, 'exit');
    assert.equal(exit?.kind === 'exit' && exit.serverReplaced, true);
    assert.deepEqual(
      replaced.effects.filter((effect) => effect.kind === 'save' || effect.kind === 'set-status'),
      [],
    );
  });

  it('tries a failed save again on the next lap and logs the same failure once', () => {
    const failed: SaveResult = { kind: 'failed', message: 'disk full', admitted: true };
    const one = lap(settled(), { monotonic: 10_000, fingerprint: fingerprint({ structureHash: 'two' }) });
    const two = lap(one.state, {
      monotonic: 15_000,
      fingerprint: fingerprint({ structureHash: 'two' }),
      save: failed,
    });
    const three = lap(two.state, {
      monotonic: 20_000,
      fingerprint: fingerprint({ structureHash: 'two' }),
      save: failed,
    });
    assert.deepEqual(saves(three.effects), [{ reason: 'the structure changed', change: true }]);
    assert.deepEqual(logs(two.effects), ['ERR save failed (the structure changed): disk full']);
    assert.deepEqual(logs(three.effects), []);
    assert.equal(three.state.publishedStatus, 'continuum: error');
  });
});
