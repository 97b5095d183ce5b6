import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  alive,
  createDaemonTestServer,
  daemonFilesOf,
  daemonPid,
  daemonProcesses,
  disposeWithDaemon,
  stopDaemon,
} from '../support/daemon.js';
import { type TestServer, waitFor } from '../support/tmux-server.js';

const rounds = 20;
const startsPerRound = 20;

describe('daemon start under concurrency', () => {
  let server: TestServer;
  before(async () => {
    server = await createDaemonTestServer(500);
    await server.start('work');
  });
  after(async () => {
    await disposeWithDaemon(server);
  });

  it(`leaves exactly one daemon after ${startsPerRound} simultaneous starts, ${rounds} rounds, some after kill -9`, async () => {
    const files = await daemonFilesOf(server);
    const seen = new Set<number>();
    for (let round = 0; round < rounds; round += 1) {
      const holder = await daemonPid(files);
      // Most rounds start from nothing: every third a SIGKILLed holder (a stale lease the kernel
      // must have freed), every third a polite stop, and the rest with the daemon still running.
      if (holder !== undefined && round % 3 === 0) {
        process.kill(holder, 'SIGKILL');
        await waitFor(async () => !alive(holder), 5000, `pid ${holder} to die`);
      } else if (holder !== undefined && round % 3 === 1) {
        await stopDaemon(files);
      }
      const results = await Promise.all(
        Array.from({ length: startsPerRound }, () => server.cli('daemon', 'start')),
      );
      for (const result of results) assert.equal(result.code, 0, `daemon start failed: ${result.stderr}`);
      const answering = await daemonPid(files);
      assert.notEqual(answering, undefined, `round ${round}: a daemon answers`);
      // Every caller reports the same winner.
      const reported = new Set(results.map((result) => /pid (\d+)/.exec(result.stdout)?.[1]));
      assert.deepEqual([...reported], [String(answering)], `round ${round}: ${[...reported].join(', ')}`);
      // Losing daemons exit at once; within a few seconds only the holder is left.
      await waitFor(
        async () => (await daemonProcesses(server)).length === 1,
        10_000,
        `round ${round}: one daemon process`,
      );
      assert.deepEqual(await daemonProcesses(server), [answering]);
      if (holder !== undefined && round % 3 === 2)
        assert.equal(answering, holder, 'a running daemon is kept');
      seen.add(answering!);
    }
    assert.ok(seen.size >= rounds / 3, `new daemons were started (${seen.size})`);
  });
});
