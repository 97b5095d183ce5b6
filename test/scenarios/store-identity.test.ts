import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, readlink, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createDaemonTestServer, daemonFilesOf, daemonStatus, disposeWithDaemon } from '../support/daemon.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

async function sessionNames(server: TestServer): Promise<string[]> {
  return (await server.tmux('list-sessions', '-F', '#{session_name}')).trim().split('\n').sort();
}

/** Sessions of this name, each with two windows; the bootstrap session "0" removed. */
async function buildSessions(server: TestServer, names: readonly string[]): Promise<void> {
  await server.start();
  for (const name of names) {
    await server.newSession(name);
    await server.tmux('new-window', '-d', '-t', `=${name}:`, '-n', `${name}-two`);
  }
  await server.tmux('kill-session', '-t', '=0');
}

/** The server killed and started again with only the bootstrap session "0", as after a reboot. */
async function restartFresh(server: TestServer): Promise<void> {
  await server.kill();
  await waitFor(
    async () => (await server.tmuxResult('new-session', '-d', '-s', '0', '-x', '120', '-y', '40')).code === 0,
    5000,
    'a fresh server',
  );
}

async function cliOrFail(server: TestServer, ...args: string[]): Promise<string> {
  const result = await server.cli(...args);
  assert.equal(result.code, 0, `continuum ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The save names `continuum list --json` prints (without `.json`), in its order. */
function listedNames(stdout: string): string[] {
  return (JSON.parse(stdout) as { saves: { name: string }[] }).saves.map((save) =>
    save.name.replace(/\.json$/, ''),
  );
}

describe('saves belong to their server', () => {
  let alpha: TestServer;
  let beta: TestServer;
  beforeEach(async () => {
    alpha = await TestServer.create();
    // Same HOME and TMUX_TMPDIR: one user, two servers, one default save directory.
    beta = TestServer.beside(alpha, `${alpha.socketName}-b`);
  });
  afterEach(async () => {
    await beta.dispose();
    await alpha.dispose();
  });

  it('restore, list and the unchanged check use the server’s own saves in a shared directory', async () => {
    await buildSessions(alpha, ['alpha']);
    await buildSessions(beta, ['beta']);
    const savedAlpha = await cliOrFail(alpha, 'save');
    assert.match(savedAlpha, /^saved 1 session/);
    assert.match(await cliOrFail(beta, 'save'), /^saved 1 session/);
    assert.equal(alpha.saveDirectory, beta.saveDirectory);
    const files = (await readdir(alpha.saveDirectory)).filter((name) => name.endsWith('.json'));
    assert.equal(files.length, 2, files.join(' '));

    // The "nothing changed" check compares with alpha's newest save, not beta's newer one.
    const again = await cliOrFail(alpha, 'save');
    assert.match(again, /^nothing changed since the last save/);
    assert.equal((await readdir(alpha.saveDirectory)).filter((name) => name.endsWith('.json')).length, 2);

    const ownList = await cliOrFail(alpha, 'list', '--json');
    assert.equal(listedNames(ownList).length, 1, ownList);
    assert.ok(savedAlpha.includes(listedNames(ownList)[0]!), ownList);
    assert.equal(listedNames(await cliOrFail(alpha, 'list', '--all', '--json')).length, 2);
    // Only this server's saves have a number; another server's is marked with its own.
    const allList = await cliOrFail(alpha, 'list', '--all');
    assert.match(allList, /^\* {2}1 {2}/m);
    assert.match(allList, /^ {3}- {2}.* \[-L continuum-/m);
    assert.match(allList, new RegExp(`^— server -L ${beta.socketName} started .* —$`, 'm'));
    assert.doesNotMatch(allList, new RegExp(`\\[-L ${alpha.socketName}\\]`));

    // With the server down, -L alone still tells whose saves to list and show.
    await alpha.kill();
    assert.deepEqual(listedNames(await cliOrFail(alpha, 'list', '--json')), listedNames(ownList));
    assert.match(await cliOrFail(alpha, 'show'), /session "alpha"/);

    await restartFresh(alpha);
    const restored = await alpha.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await sessionNames(alpha), ['alpha']);
    assert.deepEqual(await sessionNames(beta), ['beta']);
  });

  it('lists and restores saves named before names carried a server, by the socket inside them', async () => {
    await buildSessions(alpha, ['alpha']);
    await buildSessions(beta, ['beta']);
    await cliOrFail(alpha, 'save');
    await cliOrFail(beta, 'save');
    // Rename both into the names older versions wrote: `continuum-<time>-server-<start>-<pid>.json`
    // (no server tag, no sequence number).
    const legacy: string[] = [];
    for (const name of (await readdir(alpha.saveDirectory)).filter((file) => file.endsWith('.json'))) {
      const old = name
        .replace(/^continuum-[A-Za-z0-9_-]+\.[0-9a-f]{8}-/, 'continuum-')
        .replace(/-n\d+\.json$/, '.json');
      if (old !== name) await rename(join(alpha.saveDirectory, name), join(alpha.saveDirectory, old));
      legacy.push(old);
    }
    assert.ok(legacy.every((name) => /^continuum-\d{4}-\d\d-\d\dT[\d-]+Z-server-\d+-\d+\.json$/.test(name)));

    const ownList = await cliOrFail(alpha, 'list', '--json');
    assert.equal(listedNames(ownList).length, 1, ownList);
    const shown = await cliOrFail(alpha, 'show');
    assert.match(shown, /session "alpha"/);
    assert.doesNotMatch(shown, /session "beta"/);

    await restartFresh(alpha);
    assert.equal((await alpha.cli('restore')).code, 0);
    assert.deepEqual(await sessionNames(alpha), ['alpha']);
    await restartFresh(beta);
    assert.equal((await beta.cli('restore')).code, 0);
    assert.deepEqual(await sessionNames(beta), ['beta']);
  });
});

describe('the daemon in a save directory shared by two servers', () => {
  let alpha: TestServer;
  let beta: TestServer;
  beforeEach(async () => {
    alpha = await createDaemonTestServer();
    beta = TestServer.beside(alpha, `${alpha.socketName}-b`);
  });
  afterEach(async () => {
    await beta.dispose();
    await disposeWithDaemon(alpha);
  });

  it('judges "unchanged" and "an earlier server" by its own server’s newest save', async () => {
    // A fresh server whose lone session the user saved on purpose, in this lifetime...
    await alpha.start();
    assert.match(await cliOrFail(alpha, 'save'), /^saved 1 session/);
    // ...then another server's save, newer and of another lifetime.
    await buildSessions(beta, ['beta']);
    assert.match(await cliOrFail(beta, 'save'), /^saved 1 session/);

    await cliOrFail(alpha, 'daemon', 'start');
    const files = await daemonFilesOf(alpha);
    await waitFor(async () => ((await daemonStatus(files))?.laps ?? 0) >= 2, 10_000, 'two laps');
    const status = (await daemonStatus(files))!;
    assert.equal(status.paused, null, `paused: ${status.paused?.text}`);
    assert.equal(status.lastSave?.result, 'unchanged', JSON.stringify(status.lastSave));
    assert.equal((await readdir(alpha.saveDirectory)).filter((name) => name.endsWith('.json')).length, 2);
  });
});

describe('beside tmux-resurrect in @resurrect-dir', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('never writes through its `last` symlink nor touches any of its files', async () => {
    const directory = join(server.home, '.tmux', 'resurrect');
    await mkdir(join(directory, 'restore'), { recursive: true, mode: 0o700 });
    const theirs = new Map<string, Buffer>([
      ['tmux_resurrect_20250101T120000.txt', Buffer.from('pane\t0\t1\t:*\t1\t:/home\t1\tbash\t:\n')],
      ['pane_contents.tar.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00])],
    ]);
    for (const [name, text] of theirs) await writeFile(join(directory, name), text);
    await symlink('tmux_resurrect_20250101T120000.txt', join(directory, 'last'));
    const before = new Set(await readdir(directory));

    await buildSessions(server, ['alpha', 'beta']);
    await server.tmux('set-option', '-g', '@resurrect-dir', directory);
    await server.tmux('set-option', '-g', '@resurrect-capture-pane-contents', 'on');
    await cliOrFail(server, 'save');
    await server.tmux('new-window', '-d', '-t', '=alpha:', '-n', 'more');
    await cliOrFail(server, 'save');
    await restartFresh(server);
    await server.tmux('set-option', '-g', '@resurrect-dir', directory);
    await cliOrFail(server, 'restore');
    assert.deepEqual(await sessionNames(server), ['alpha', 'beta']);
    await cliOrFail(server, 'list');

    assert.ok((await lstat(join(directory, 'last'))).isSymbolicLink(), 'last is still a symlink');
    assert.equal(await readlink(join(directory, 'last')), 'tmux_resurrect_20250101T120000.txt');
    for (const [name, text] of theirs) assert.deepEqual(await readFile(join(directory, name)), text, name);
    assert.deepEqual(await readdir(join(directory, 'restore')), []);
    const added = (await readdir(directory)).filter((name) => !before.has(name));
    assert.ok(added.length >= 2, added.join(' '));
    for (const name of added) assert.match(name, /^continuum-/, `continuum created ${name}`);
  });
});

describe('restore on a server that already matches its newest save', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('names the save of the previous server lifetime and the command that restores it', async () => {
    await buildSessions(server, ['alpha', 'beta', 'gamma']);
    const first = await cliOrFail(server, 'save');
    const previous = first.match(/(continuum-[^/\s]+)\.json/)?.[1];
    assert.ok(previous, first);
    // After a reboot without auto-restore, one window opened, and saved (by the daemon or a key).
    await restartFresh(server);
    await server.newSession('fresh');
    await cliOrFail(server, 'save');
    assert.notEqual(await newestSaveIn(server.saveDirectory), `${previous}.json`);

    const result = await server.cli('restore');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^nothing to restore/);
    assert.ok(result.stdout.includes(previous), result.stdout);
    assert.match(result.stdout, /3 sessions, 6 windows/);
    const command = result.stdout.match(/to restore it: (continuum .*)$/m)?.[1];
    assert.equal(command, `continuum -L ${server.socketName} restore ${previous}`);

    const rerun = await server.cliRaw(command.split(' ').slice(1));
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(await sessionNames(server), ['0', 'alpha', 'beta', 'fresh', 'gamma']);
  });
});

describe('save names', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('a prefix of several saves is an error listing them, not the newest picked silently', async () => {
    await buildSessions(server, ['alpha']);
    await cliOrFail(server, 'save');
    await server.tmux('new-window', '-d', '-t', '=alpha:', '-n', 'more');
    await cliOrFail(server, 'save');
    const names = listedNames(await cliOrFail(server, 'list', '--json'));
    assert.equal(names.length, 2);

    for (const command of ['show', 'restore']) {
      const result = await server.cli(command, 'continuum-');
      assert.equal(result.code, 2, `${command}: ${result.stdout}${result.stderr}`);
      assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
      assert.match(result.stderr, /ambiguous/);
      for (const name of names) assert.ok(result.stderr.includes(name), result.stderr);
    }
    // A unique prefix still works.
    const unique = await server.cli('show', names[1]!.slice(0, -2));
    assert.equal(unique.code, 0, unique.stderr);
  });
});
