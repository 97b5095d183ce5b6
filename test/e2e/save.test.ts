import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readSnapshotFile } from '../../src/store/save-store.js';
import { cliPath, newestSaveIn, TestServer } from '../support/tmux-server.js';

/**
 * Every file in the save directory that claims to be a save (each must read and validate), and
 * the newest, which `restore` uses. No pointer file is written: `last` may be tmux-resurrect's.
 */
async function checkSaveDirectory(
  directory: string,
): Promise<{ saves: string[]; newest: string | undefined }> {
  const names = await readdir(directory).catch(() => [] as string[]);
  assert.ok(!names.includes('last'), 'continuum wrote a file named last');
  const saves = names.filter((name) => /^continuum-.*\.json$/.test(name));
  for (const name of saves) await readSnapshotFile(join(directory, name)); // throws on a bad one
  const newest = await newestSaveIn(directory);
  if (newest !== undefined) await readSnapshotFile(join(directory, newest));
  return { saves, newest };
}

describe('save', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.start('work');
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('writes a private file, and skips a save that changes nothing', async () => {
    const first = await server.cli('save');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^saved 1 session, 1 window, 1 pane to .*continuum-.*\.json\n$/);
    const { saves, newest } = await checkSaveDirectory(server.saveDirectory);
    assert.deepEqual(saves, [newest]);
    assert.equal((await stat(join(server.saveDirectory, newest!))).mode & 0o777, 0o600);
    assert.equal((await stat(server.saveDirectory)).mode & 0o777, 0o700);

    const unchanged = await server.cli('save');
    assert.equal(unchanged.code, 0, unchanged.stderr);
    assert.match(unchanged.stdout, /^nothing changed since the last save/);
    assert.deepEqual((await checkSaveDirectory(server.saveDirectory)).saves, saves);

    await server.tmux('new-window', '-t', '=work:', '-n', 'more');
    const changed = await server.cli('save');
    assert.equal(changed.code, 0, changed.stderr);
    const after = await checkSaveDirectory(server.saveDirectory);
    assert.equal(after.saves.length, 2);
    assert.notEqual(after.newest, newest);
  });

  it('never leaves the newest save or any save file invalid when killed at a random instant', async () => {
    // How long a whole save takes here: half the kills land in its last 60 ms (capture and the
    // writes), the other half in its first 60 ms.
    const started = Date.now();
    await server.cli('save');
    const duration = Date.now() - started;
    let killedEarly = 0;
    for (let iteration = 0; iteration < 32; iteration += 1) {
      // A structural change each time, so every save has something to write.
      if (iteration % 2 === 0) await server.tmux('new-window', '-d', '-t', '=work:', '-n', `w${iteration}`);
      else await server.tmux('rename-window', '-t', '=work:0', `renamed ${iteration}`);
      const child = spawn(process.execPath, [cliPath, '-L', server.socketName, 'save'], {
        env: server.environment,
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      const offset = iteration % 2 === 0 ? 0 : Math.max(0, duration - 60);
      const timer = setTimeout(() => child.kill('SIGKILL'), offset + Math.floor(Math.random() * 61));
      const code = await exited;
      clearTimeout(timer);
      if (code === null) killedEarly += 1;
      await checkSaveDirectory(server.saveDirectory);
      if (iteration % 8 === 7) {
        const listed = await server.cli('list');
        assert.equal(listed.code, 0, listed.stderr);
        const planned = await server.cli('restore', '--dry-run');
        assert.equal(planned.code, 0, planned.stderr);
      }
    }
    assert.ok(killedEarly >= 16, `only ${killedEarly} of 32 saves were killed`);
    const listed = await server.cli('list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const rows = (JSON.parse(listed.stdout) as { saves: { name: string; error?: string }[] }).saves;
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((row) => row.error === undefined && /^continuum-.*\.json$/.test(row.name)));
    // And a save after all that still works.
    const final = await server.cli('save');
    assert.equal(final.code, 0, final.stderr);
    await checkSaveDirectory(server.saveDirectory);
    // And it removed what the killed saves left half-written: only saves remain.
    const leftovers = (await readdir(server.saveDirectory)).filter(
      (name) => !/^continuum-.*\.json$/.test(name),
    );
    assert.deepEqual(leftovers, []);
  });
});

describe('server selection', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.start('picked');
  });
  afterEach(async () => {
    await server.dispose();
  });

  const socketPath = (target: TestServer) =>
    join(target.environment.TMUX_TMPDIR!, `tmux-${process.getuid!()}`, target.socketName);

  async function savedSessions(directory: string): Promise<string[]> {
    const { newest } = await checkSaveDirectory(directory);
    return (await readSnapshotFile(join(directory, newest!))).sessions.map((session) => session.name);
  }

  it('takes global options before the command, as tmux does: -L and --dir', async () => {
    const directory = join(server.root, 'elsewhere');
    const result = await server.cliRaw(['-L', server.socketName, '--dir', directory, 'save']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await savedSessions(directory), ['picked']);
  });

  it('-S talks to the server on that socket path', async () => {
    const result = await server.cliRaw(['-S', socketPath(server), 'save']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await savedSessions(server.saveDirectory), ['picked']);
  });

  it('inside tmux, $TMUX selects the server when neither -L nor -S is given', async () => {
    const environment: NodeJS.ProcessEnv = { ...server.environment, TMUX: `${socketPath(server)},12345,0` };
    // TMUX_TMPDIR points elsewhere, so only $TMUX can lead to the server.
    environment.TMUX_TMPDIR = join(server.root, 'no-such-directory');
    const result = await server.cliRaw(['save'], environment);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await savedSessions(server.saveDirectory), ['picked']);
  });
});
