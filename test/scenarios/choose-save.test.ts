import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { listed, redatedCopy, saveFiles, shownSessions, succeeded } from '../support/cli-saves.js';
import { TestServer } from '../support/tmux-server.js';

describe('choosing a save', () => {
  let server: TestServer;
  let newestName: string;
  let fiveHoursAgo: Date;
  let fiveHoursName: string;
  let thirtyHoursName: string;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.start();
    await server.newSession('now');
    succeeded(await server.cli('save'));
    newestName = (await saveFiles(server))[0]!;
    // Whole seconds, so an ISO time the test prints names the same instant.
    const base = Math.floor(Date.now() / 1000) * 1000;
    fiveHoursAgo = new Date(base - 5 * 3600_000);
    fiveHoursName = await redatedCopy(server, newestName, fiveHoursAgo, 'five-hours-ago');
    thirtyHoursName = await redatedCopy(
      server,
      newestName!,
      new Date(base - 30 * 3600_000),
      'thirty-hours-ago',
    );
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('takes the numbers of list', async () => {
    assert.deepEqual(
      (await listed(server)).map((save) => save.number),
      [1, 2, 3],
    );
    assert.deepEqual(await shownSessions(server, '1'), ['0', 'now']);
    assert.deepEqual(await shownSessions(server, '2'), ['five-hours-ago', 'now']);
    assert.deepEqual(await shownSessions(server, '3'), ['thirty-hours-ago', 'now']);
    const diff = await server.cli('diff', '3', '2');
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /thirty-hours-ago/);
    const planned = succeeded(await server.cli('restore', '--dry-run', '2'));
    // The renamed session is missing from the server: the plan creates it.
    assert.match(planned.split('\n')[0]!, /\(\d+ actions\):$/);
    assert.ok(planned.startsWith(`restore plan for ${join(server.saveDirectory, fiveHoursName)} (`), planned);

    const missing = await server.cli('show', '4');
    assert.equal(missing.code, 5);
    assert.match(missing.stderr, /^continuum: no save number 4: -L \S+ has saves 1 to 3 in /);
    assert.equal(missing.stderr.split('\n').filter(Boolean).length, 1);
  });

  it('takes --before TIME: the newest save strictly before it', async () => {
    assert.deepEqual(await shownSessions(server, '--before', '2h'), ['five-hours-ago', 'now']);
    assert.deepEqual(await shownSessions(server, '--before', '5h30m'), ['thirty-hours-ago', 'now']);
    assert.deepEqual(await shownSessions(server, '--before', fiveHoursAgo.toISOString()), [
      'thirty-hours-ago',
      'now',
    ]);
    assert.deepEqual(
      await shownSessions(server, '--before', new Date(fiveHoursAgo.getTime() + 1000).toISOString()),
      ['five-hours-ago', 'now'],
    );
    const planned = succeeded(await server.cli('restore', '--dry-run', '--before', '1d'));
    assert.match(
      planned.split('\n')[0]!,
      new RegExp(`^restore plan for ${join(server.saveDirectory, thirtyHoursName)} \\(`),
    );
    // diff --before TIME compares that save with the one given beside it.
    const diff = await server.cli('diff', '--before', '2h', '1');
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /five-hours-ago/);

    const none = await server.cli('show', '--before', '3d');
    assert.equal(none.code, 5, none.stderr);
    assert.match(none.stderr, /no save of -L \S+ older than .* \(--before 3d\): the oldest is from /);

    for (const command of ['show', 'restore', 'diff', 'delete']) {
      const bad = await server.cli(command, '--before', 'soon');
      assert.equal(bad.code, 2, `${command}: ${bad.stderr}`);
      assert.equal(bad.stderr.split('\n').filter(Boolean).length, 1, bad.stderr);
      assert.match(bad.stderr, /--before "soon" is not a time — use .*"2h".*"yesterday 18:00".*ISO time/);
    }
    assert.equal((await saveFiles(server)).length, 3);
  });
});
