import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeDuration, describeStatus } from '../../../src/cli/commands/status.js';
import {
  type AutoRestoreResult,
  formatAutoRestoreResult,
  parseAutoRestoreResult,
} from '../../../src/daemon/auto-restore-result.js';
import type { DaemonStatus } from '../../../src/daemon/daemon-ipc.js';
import { parseFingerprint, saveIntervalMinutes } from '../../../src/daemon/fingerprint.js';
import { describePauseReason } from '../../../src/daemon/pause-reason.js';
import { decideAutoSave } from '../../../src/daemon/save-policy.js';
import { shortStatus } from '../../../src/daemon/status-line.js';
import { lifetimeText } from '../../../src/server/server-lifetime.js';
import { pane, session, snapshot, window } from '../../support/snapshots.js';

const fresh = snapshot();
const thisLifetime = lifetimeText(fresh.server);
const earlier = '1795000000-100';
const worked = snapshot({
  sessions: [session({ windows: [window(), window({ id: '@1', index: 1, active: false })] })],
});

describe('decideAutoSave', () => {
  const none: AutoRestoreResult = { kind: 'none' };
  const facts = { restoring: false, autoRestoreResult: none, newestSaveLifetime: earlier };

  it('never saves the bootstrap session over a save of an earlier server', () => {
    const decision = decideAutoSave({ ...facts, snapshot: fresh });
    assert.deepEqual(decision, { save: false, reason: { kind: 'bootstrap-guard', session: '0' } });
    assert.match(
      decision.save ? '' : describePauseReason(decision.reason),
      /first session "0".*earlier server/,
    );
    const results: AutoRestoreResult[] = [
      none,
      { kind: 'failed', message: 'tmux said no' },
      { kind: 'nothing-to-restore' },
    ];
    for (const result of results)
      assert.equal(decideAutoSave({ ...facts, snapshot: fresh, autoRestoreResult: result }).save, false);
  });

  it('saves the bootstrap session once the restore is done, or when there is nothing older', () => {
    assert.equal(
      decideAutoSave({ ...facts, snapshot: fresh, autoRestoreResult: { kind: 'restored' } }).save,
      true,
    );
    assert.equal(decideAutoSave({ ...facts, snapshot: fresh, newestSaveLifetime: undefined }).save, true);
    assert.equal(decideAutoSave({ ...facts, snapshot: fresh, newestSaveLifetime: thisLifetime }).save, true);
  });

  it('saves real work, a program in the first pane included', () => {
    assert.equal(decideAutoSave({ ...facts, snapshot: worked }).save, true);
    const withVim = snapshot({
      sessions: [session({ windows: [window({ panes: [pane({ program: { argv: ['vim', 'notes'] } })] })] })],
    });
    assert.equal(decideAutoSave({ ...facts, snapshot: withVim }).save, true);
  });

  it('pauses after a failed auto-restore until a save of this server exists', () => {
    const failed = {
      ...facts,
      snapshot: worked,
      autoRestoreResult: { kind: 'failed', message: 'restore incomplete' } as const,
    };
    const decision = decideAutoSave(failed);
    assert.deepEqual(decision, { save: false, reason: { kind: 'auto-restore-failed' } });
    assert.match(
      decision.save ? '' : describePauseReason(decision.reason),
      /auto-restore of this server failed/,
    );
    assert.equal(decideAutoSave({ ...failed, newestSaveLifetime: thisLifetime }).save, true);
  });

  it('never saves during a restore, nor an empty server', () => {
    assert.deepEqual(decideAutoSave({ ...facts, snapshot: worked, restoring: true }), {
      save: false,
      reason: { kind: 'restoring' },
    });
    assert.deepEqual(decideAutoSave({ ...facts, snapshot: snapshot({ sessions: [] }) }), {
      save: false,
      reason: { kind: 'no-sessions' },
    });
  });

  it('pauses, without an error, when every running session is one a save leaves out', () => {
    const decision = decideAutoSave({ ...facts, snapshot: snapshot({ sessions: [] }), skippedSessions: 1 });
    assert.deepEqual(decision, { save: false, reason: { kind: 'only-left-out-sessions' } });
    assert.match(describePauseReason({ kind: 'only-left-out-sessions' }), /@resurrect-save-unnamed/);
  });
});

describe('@continuum-auto-restore-result', () => {
  it('reads the values this and earlier versions stored', () => {
    assert.deepEqual(parseAutoRestoreResult(''), { kind: 'none' });
    assert.deepEqual(parseAutoRestoreResult('restored'), { kind: 'restored' });
    assert.deepEqual(parseAutoRestoreResult('nothing to restore'), { kind: 'nothing-to-restore' });
    assert.deepEqual(parseAutoRestoreResult('failed: tmux said no'), {
      kind: 'failed',
      message: 'tmux said no',
    });
    assert.deepEqual(parseAutoRestoreResult('something else'), { kind: 'none' });
  });

  it('stores the text earlier versions read', () => {
    assert.equal(formatAutoRestoreResult({ kind: 'restored' }), 'restored');
    assert.equal(formatAutoRestoreResult({ kind: 'nothing-to-restore' }), 'nothing to restore');
    assert.equal(
      formatAutoRestoreResult({ kind: 'failed', message: 'tmux said no' }),
      'failed: tmux said no',
    );
  });
});

describe('fingerprint', () => {
  const markers = { start: '<n0nce', field: '|n0nce', end: '>n0nce', quoted: false };
  const line = (tag: string, values: readonly string[]): string =>
    `${markers.start}${tag}${values.map((value) => markers.field + value).join('')}${markers.end}\n`;
  const paneLine = (name: string, layout: string, path = '/home/u', command = 'sh'): string =>
    line('P', [name, '', '0', 'sh', layout, '0', '1', '0', '1', path, 'host', command]);
  const serverLine = (interval: string, restoring: string): string =>
    line('S', ['4242', '1795522571', '/tmp/tmux-0/default', interval, restoring, '', '']);

  it('hashes structure lines, and reads the options and the server', () => {
    const one = parseFingerprint(paneLine('work', 'b25f,80x24,0,0,0') + serverLine('', ''), markers);
    const same = parseFingerprint(paneLine('work', 'b25f,80x24,0,0,0') + serverLine('5', '99'), markers);
    const moved = parseFingerprint(
      paneLine('work', 'c3a1,80x24,0,0{40x24,0,0,0}') + serverLine('', ''),
      markers,
    );
    assert.equal(one.structureHash, same.structureHash);
    assert.notEqual(one.structureHash, moved.structureHash);
    assert.equal(one.paneCount, 1);
    assert.equal(one.serverPid, 4242);
    assert.equal(one.serverStartTime, 1795522571);
    assert.equal(one.restoring, false);
    assert.equal(same.restoring, true);
    assert.equal(same.saveInterval, '5');
  });

  it('tells apart values that differ only in where a separator byte sits', () => {
    const one = parseFingerprint(paneLine('work', 'l', '/a\x1f', 'b') + serverLine('', ''), markers);
    const other = parseFingerprint(paneLine('work', 'l', '/a', '\x1fb') + serverLine('', ''), markers);
    assert.equal(one.paneCount, 1);
    assert.equal(other.paneCount, 1);
    assert.notEqual(one.structureHash, other.structureHash);
  });

  it('leaves an unreadable pane out of the hash with a warning, and still reads the server', () => {
    const broken = line('P', ['work', 'too few']);
    const fingerprint = parseFingerprint(paneLine('work', 'l') + broken + serverLine('5', ''), markers);
    const clean = parseFingerprint(paneLine('work', 'l') + serverLine('5', ''), markers);
    assert.equal(fingerprint.paneCount, 1);
    assert.equal(fingerprint.structureHash, clean.structureHash);
    assert.equal(fingerprint.saveInterval, '5');
    assert.equal(fingerprint.warnings.length, 1);
    assert.deepEqual(clean.warnings, []);
  });

  it('reads @continuum-save-interval as tmux-continuum does', () => {
    assert.equal(saveIntervalMinutes(''), 15);
    assert.equal(saveIntervalMinutes('0'), 0);
    assert.equal(saveIntervalMinutes('5'), 5);
    assert.equal(saveIntervalMinutes('0.5'), 0.5);
    assert.equal(saveIntervalMinutes('soon'), 15);
    assert.equal(saveIntervalMinutes('-3'), 15);
  });
});

describe('status text', () => {
  const status: DaemonStatus = {
    pid: 1234,
    version: '0.1.0',
    startedAt: '2026-11-24T10:00:00.000Z',
    uptimeSeconds: 3725,
    rssBytes: 50 * 1024 * 1024,
    heapUsedBytes: 20 * 1024 * 1024,
    socketPath: '/tmp/tmux-0/work',
    serverLifetime: { pid: 4321, startTime: 1795600000 },
    logPath: '/state/daemon-work.log',
    saveDirectory: '/data/saves',
    pollMilliseconds: 5000,
    saveIntervalMinutes: 15,
    paused: null,
    laps: 745,
    lastSave: {
      at: '2026-11-24T11:00:00.000Z',
      path: '/data/saves/x.json',
      result: 'written',
      reason: 'periodic save',
    },
    nextFullSaveAt: '2026-11-24T11:15:00.000Z',
    lastError: null,
  };

  it('names every field a user asks about', () => {
    const text = describeStatus(status).join('\n');
    for (const part of [
      'pid 1234',
      'up 1h 2m',
      '50.0 MiB',
      '/tmp/tmux-0/work',
      'tmux pid 4321',
      '/data/saves/x.json',
      'every 15 min',
      'last error  none',
      '/state/daemon-work.log',
    ])
      assert.ok(text.includes(part), `${part} in\n${text}`);
    const failing = describeStatus({
      ...status,
      lastError: { at: status.startedAt, message: 'cannot write' },
    });
    assert.match(failing.join('\n'), /last error .*cannot write/);
    const paused = describeStatus({ ...status, paused: { kind: 'interval-off', text: 'from the daemon' } });
    assert.match(paused.join('\n'), /not saving {2}auto-save is off \(@continuum-save-interval is 0\)/);
  });

  it('is short for the status line', () => {
    assert.match(shortStatus(status), /^saved \d\d:\d\d$/);
    assert.equal(shortStatus({ ...status, lastError: { at: '', message: 'x' } }), 'continuum: error');
    assert.equal(shortStatus({ ...status, saveIntervalMinutes: 0 }), 'continuum: off');
    assert.equal(shortStatus({ ...status, lastSave: null }), 'continuum: on');
    assert.equal(shortStatus({ ...status, paused: { kind: 'auto-restore-failed' } }), 'continuum: paused');
    assert.match(shortStatus({ ...status, paused: { kind: 'bootstrap-guard', session: '0' } }), /^saved /);
  });

  it('describes durations', () => {
    assert.equal(describeDuration(59), '0m 59s');
    assert.equal(describeDuration(3600 * 26 + 60), '1d 2h 1m');
  });
});
