import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { daemonFiles } from '../../../src/daemon/daemon-files.js';
import { DaemonLog } from '../../../src/daemon/daemon-log.js';
import { AutoSaveDaemon } from '../../../src/daemon/daemon-loop.js';
import { NoServerError } from '../../../src/errors.js';
import type { MuxDialect } from '../../../src/mux/dialect.js';
import type { MuxClient } from '../../../src/mux/mux-client.js';
import { psmuxDialect } from '../../../src/mux/psmux-dialect.js';
import { tmuxDialect } from '../../../src/mux/tmux-dialect.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { SaveStore } from '../../../src/store/save-store.js';

/** A multiplexer with nothing running: every question is answered with "no server". */
function emptyMux(dialect: MuxDialect): MuxClient {
  const none = async (): Promise<never> => {
    throw new NoServerError('namespace -L work', 'start one');
  };
  return {
    binary: dialect.name,
    server: { kind: 'socket-name', name: 'work' },
    dialect,
    invocationCount: 0,
    describeServer: () => 'psmux namespace -L work',
    run: none,
    runCommands: none,
    runScript: none,
    applyActions: none,
    readGlobalOptions: none,
    readRecords: none,
    readServerLifetime: none,
  };
}

async function runUntilStopped(dialect: MuxDialect): Promise<{ reason: string; laps: number; log: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'continuum-daemon-namespace-'));
  try {
    const files = daemonFiles(`psmux:test-${process.pid}-${dialect.name}`, {
      environment: { XDG_STATE_HOME: directory },
      platform: process.platform,
      home: directory,
    });
    const log = new DaemonLog({ path: files.logPath, rotates: false });
    // Each lap reads the monotonic clock once or twice; 25 s a reading makes the grace pass in a few laps.
    let time = Date.UTC(2026, 0, 1);
    let readings = 0;
    const daemon = new AutoSaveDaemon({
      mux: emptyMux(dialect),
      inspectPrograms: async () => ({ programs: new Map(), shells: new Map() }),
      now: () => new Date(time),
      // The grace period is measured on the monotonic clock.
      monotonicNow: () => {
        readings += 1;
        time += 25_000;
        return time;
      },
      files,
      log,
      pollMilliseconds: 5,
      version: 'test',
      store: async () => new SaveStore(join(directory, 'saves'), namedServerIdentity('work')),
    });
    // Only the laps' readings count, not the one the daemon takes as it is made.
    readings = 0;
    const outcome = await daemon.run();
    assert.equal(outcome.result, 'stopped');
    return {
      reason: outcome.result === 'stopped' ? outcome.reason : '',
      laps: readings,
      log: await readFile(files.logPath, 'utf8'),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe('the daemon of a psmux namespace', () => {
  it('keeps watching an empty namespace for a while, then exits and logs why', async () => {
    const { reason, laps, log } = await runUntilStopped(psmuxDialect);
    assert.match(reason, /^the psmux namespace -L work has had no session for \d+ s$/);
    assert.ok(laps >= 3, `it waited ${laps} clock readings`);
    assert.match(log, /not saving: no session in psmux namespace -L work/);
    assert.match(log, /daemon stopped: the psmux namespace -L work has had no session for \d+ s/);
  });

  it('a tmux daemon still stops at once when its server is gone', async () => {
    const { reason, laps } = await runUntilStopped(tmuxDialect);
    assert.match(reason, /is gone$/);
    assert.equal(laps, 1);
  });
});
