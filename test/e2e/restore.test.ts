import assert from 'node:assert/strict';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { readSnapshotFile } from '../../src/store/save-store.js';
import {
  attachControlClient,
  type ControlClient,
  captureSnapshot,
  clientSessions,
  listIds,
} from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/** Three sessions with split, named windows; the bootstrap session "0" removed. */
async function buildSmallEnvironment(server: TestServer): Promise<void> {
  await server.start();
  for (const name of ['alpha', 'beta', 'gamma']) {
    await server.tmux('new-session', '-d', '-s', name, '-n', `${name} one`, '-x', '100', '-y', '30');
    await server.tmux('split-window', '-h', '-t', `=${name}:0`);
    await server.tmux('new-window', '-d', '-t', `=${name}:`, '-n', `${name} two`);
    await server.tmux('split-window', '-v', '-t', `=${name}:1`);
    await server.tmux('split-window', '-h', '-t', `=${name}:1`);
  }
  await server.tmux('kill-session', '-t', '=0');
}

async function restartFresh(server: TestServer): Promise<void> {
  await server.kill();
  await waitFor(async () => !(await server.isRunning()), 5000, 'the old server to exit');
  await waitFor(
    async () => (await server.tmuxResult('new-session', '-d', '-s', '0')).code === 0,
    5000,
    'a fresh server',
  );
}

async function saveOrFail(server: TestServer): Promise<void> {
  const saved = await server.cli('save');
  assert.equal(saved.code, 0, saved.stderr);
}

describe('restore', () => {
  let server: TestServer;
  const clients: ControlClient[] = [];
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await server.dispose();
  });

  it('brings back the active and alternate session of the most recent client', async () => {
    await buildSmallEnvironment(server);
    const client = await attachControlClient(server, '=alpha');
    clients.push(client);
    client.send('switch-client -t =gamma');
    client.send('switch-client -t =beta');
    await waitFor(
      async () => (await clientSessions(server, client.name)).join() === 'beta,gamma',
      5000,
      'the client to be on beta after gamma',
    );
    await saveOrFail(server);
    const last = (await newestSaveIn(server.saveDirectory))!;
    const saved = await readSnapshotFile(join(server.saveDirectory, last));
    assert.equal(saved.activeSession, 'beta');
    assert.equal(saved.alternateSession, 'gamma');
    await client.close();

    // A plain attach after the restore lands in the saved active session.
    await restartFresh(server);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const plain = await attachControlClient(server);
    clients.push(plain);
    assert.equal((await clientSessions(server, plain.name))[0], 'beta');
    await plain.close();

    // A client attached during the restore ends on the active session, the alternate as its last.
    await restartFresh(server);
    const during = await attachControlClient(server, '=0');
    clients.push(during);
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await clientSessions(server, during.name), ['beta', 'gamma']);
    assert.ok(!(await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').includes('0'));
  });

  it('changes nothing the second time: same structure, same window and pane ids', async () => {
    await buildSmallEnvironment(server);
    await saveOrFail(server);
    await restartFresh(server);
    const first = await server.cli('restore');
    assert.equal(first.code, 0, first.stderr);
    const structure = snapshotStructure(await captureSnapshot(server));
    const ids = await listIds(server);

    const second = await server.cli('restore');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, '');
    assert.match(second.stdout, /^nothing to restore/);
    assert.equal(await listIds(server), ids);
    assert.deepEqual(snapshotStructure(await captureSnapshot(server)), structure);
  });

  it('creates every window exactly once when five restores run at the same time', async () => {
    await buildSmallEnvironment(server);
    const built = await captureSnapshot(server);
    await saveOrFail(server);
    await restartFresh(server);
    const results = await Promise.all(Array.from({ length: 5 }, () => server.cli('restore')));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.equal(results.filter((result) => /^restored /.test(result.stdout)).length, 1);
    assert.equal(results.filter((result) => /^nothing to restore/.test(result.stdout)).length, 4);
    const windows = (await server.tmux('list-windows', '-a', '-F', '#{session_name}:#{window_index}'))
      .split('\n')
      .filter(Boolean);
    assert.equal(new Set(windows).size, windows.length);
    assert.equal(windows.length, 6);
    assert.deepEqual(snapshotStructure(await captureSnapshot(server)), snapshotStructure(built));
  });

  it('replaces the bootstrap session even when it runs the moment the server starts', async () => {
    await buildSmallEnvironment(server);
    await saveOrFail(server);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await server.kill();
      await waitFor(async () => !(await server.isRunning()), 5000, 'the old server to exit');
      // As an auto-restore would: the server is barely up, its pane's shell may not have started.
      const started = await server.tmuxResult('new-session', '-d', '-s', '0', ';', 'run-shell', 'true');
      assert.equal(started.code, 0, started.stderr);
      const restored = await server.cli('restore');
      assert.equal(restored.code, 0, restored.stderr);
      const sessions = (await server.tmux('list-sessions', '-F', '#{session_name}'))
        .split('\n')
        .filter(Boolean);
      assert.deepEqual(sessions.sort(), ['alpha', 'beta', 'gamma'], `attempt ${attempt}`);
    }
  });

  it('starts a pane whose directory is gone in the home directory, with a warning naming the pane', async () => {
    const doomed = join(server.home, 'soon gone');
    await mkdir(doomed);
    await server.start();
    await server.tmux('new-session', '-d', '-s', 'work', '-n', 'edit', '-x', '100', '-y', '30');
    await server.tmux('split-window', '-h', '-t', '=work:0', '-c', doomed);
    await server.tmux('kill-session', '-t', '=0');
    await saveOrFail(server);
    await rm(doomed, { recursive: true });
    await restartFresh(server);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const warnings = restored.stderr.split('\n').filter(Boolean);
    assert.equal(warnings.length, 1, restored.stderr);
    assert.match(
      warnings[0]!,
      /warning: pane "work":0\.1: directory ".*soon gone" no longer exists; it starts in /,
    );
    assert.ok(warnings[0]!.includes(server.home));
    const paths = await server.tmux(
      'list-panes',
      '-t',
      '=work:0',
      '-F',
      '#{pane_index} #{pane_current_path}',
    );
    assert.ok(paths.includes(`1 ${server.home}\n`), paths);
  });

  it('--dry-run prints the plan and changes neither tmux nor the saves', async () => {
    await buildSmallEnvironment(server);
    await saveOrFail(server);
    await restartFresh(server);
    const before = await listIds(server);
    const files = async () =>
      Promise.all(
        (await readdir(server.saveDirectory)).sort().map(async (name) => {
          const info = await stat(join(server.saveDirectory, name));
          return `${name} ${info.size} ${info.mtimeMs}`;
        }),
      );
    const savesBefore = await files();
    const planned = await server.cli('restore', '--dry-run');
    assert.equal(planned.code, 0, planned.stderr);
    const lines = planned.stdout.split('\n').filter(Boolean);
    assert.match(lines[0]!, /^restore plan for .*continuum-.*\.json \(\d+ actions?\):$/);
    assert.ok(
      lines.some((line) =>
        /^ {2}create session "alpha" \(100x30\) with window 0 "alpha one" in \//.test(line),
      ),
      planned.stdout,
    );
    assert.ok(lines.some((line) => /^ {2}split pane "beta":1\.\d, new pane in /.test(line)));
    assert.ok(lines.some((line) => line === '  remove session "0"'));
    assert.equal(await listIds(server), before);
    assert.deepEqual(await files(), savesBefore);
  });
});
