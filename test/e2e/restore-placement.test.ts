import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { literalForFormat } from '../../src/mux/script.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { cliPath, newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

const sessionNames = async (server: TestServer): Promise<string[]> =>
  (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort();

const only = (snapshot: Snapshot, names: readonly string[]): Snapshot => ({
  ...snapshot,
  activeSession: null,
  alternateSession: null,
  sessions: snapshot.sessions.filter((session) => names.includes(session.name)),
});

const quote = (text: string): string => `'${text.replaceAll("'", `'"'"'`)}'`;

/** Types `continuum restore` into the only pane, as a user would after a reboot, and waits for it. */
async function typeRestore(server: TestServer): Promise<{ output: string; status: string }> {
  const output = join(server.root, 'restore.out');
  const status = join(server.root, 'restore.status');
  await rm(status, { force: true });
  // $TMUX in the pane names this server. The pane's login shell may reset PATH (Debian's
  // /etc/profile does), losing the tmux under test that the harness put first: a tmux of another
  // protocol cannot reach this server. A user's own tmux is on the PATH their profile makes.
  const path = server.environment.PATH ?? '';
  const line =
    `PATH=${quote(path)} ${quote(process.execPath)} ${quote(cliPath)} restore >${quote(output)} 2>&1; ` +
    `echo $? >${quote(`${status}.tmp`)}; mv ${quote(`${status}.tmp`)} ${quote(status)}`;
  await server.tmux('send-keys', '-t', '=0:', '-l', line);
  await server.tmux('send-keys', '-t', '=0:', 'Enter');
  await waitFor(
    async () =>
      readFile(status, 'utf8').then(
        () => true,
        () => false,
      ),
    20_000,
    'the restore typed into the pane to finish',
  );
  return { output: await readFile(output, 'utf8'), status: (await readFile(status, 'utf8')).trim() };
}

/** Session "0" with a two-pane window 0 and a window 1, saved; then a fresh server. */
async function saveZeroAndRestart(server: TestServer): Promise<Snapshot> {
  await server.start();
  await server.tmux('split-window', '-h', '-t', '=0:0', '-c', server.home);
  await server.tmux('new-window', '-d', '-t', '=0:1', '-n', 'logs', '-c', server.home);
  const built = await captureSnapshot(server);
  const saved = await server.cli('save');
  assert.equal(saved.code, 0, saved.stderr);
  await server.kill();
  await startWithConfig(server, []);
  return built;
}

describe('restore beside what the server holds', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('typed into the fresh server`s first shell: every saved window comes back, the shell is kept', async () => {
    const built = await saveZeroAndRestart(server);
    const shellPid = (await server.tmux('display-message', '-p', '-t', '=0:', '#{pane_pid}')).trim();
    const typed = await typeRestore(server);
    const printed = typed.output;
    assert.equal(typed.status, '0', printed);
    assert.match(printed, /moved session "0" aside to "0-1" \(kept\)/);

    assert.deepEqual(await sessionNames(server), ['0', '0-1']);
    // The shell the restore ran in lives on, in the session moved aside.
    assert.equal((await server.tmux('display-message', '-p', '-t', '=0-1:', '#{pane_pid}')).trim(), shellPid);
    const after = await captureSnapshot(server);
    assert.deepEqual(snapshotStructure(only(after, ['0'])), snapshotStructure(only(built, ['0'])));

    // Restoring again doubles nothing.
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^nothing to restore/);
    assert.deepEqual(await sessionNames(server), ['0', '0-1']);

    // Save, reboot, type the restore again: the new shell takes the moved one's place.
    const savedAgain = await server.cli('save');
    assert.equal(savedAgain.code, 0, savedAgain.stderr);
    await server.kill();
    await startWithConfig(server, []);
    const printedAgain = await typeRestore(server);
    assert.equal(printedAgain.status, '0', printedAgain.output);
    assert.match(printedAgain.output, /moved session "0" aside to "0-1" \(kept\)/);
    assert.deepEqual(await sessionNames(server), ['0', '0-1']);
    assert.deepEqual(
      snapshotStructure(only(await captureSnapshot(server), ['0'])),
      snapshotStructure(only(built, ['0'])),
    );
  });

  it('places the saved windows of a bigger live namesake at free indexes, once', async () => {
    await saveZeroAndRestart(server);
    await server.tmux('new-window', '-d', '-t', '=0:1', '-n', 'mine', '-c', server.home);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /placed saved window "0":0 "[^"]*" at index 2/);
    assert.match(restored.stdout, /placed saved window "0":1 "logs" at index 3/);
    const windows = await server.tmux('list-windows', '-t', '=0', '-F', '#{window_index} #{window_panes}');
    assert.equal(windows, '0 1\n1 1\n2 2\n3 1\n');
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^nothing to restore/);
  });

  it('keeps a lone session that has been used (scrollback)', async () => {
    await server.start('work');
    await server.tmux('split-window', '-t', '=work:0', '-c', server.home);
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    await server.kill();
    await startWithConfig(server, []);
    await server.tmux('send-keys', '-t', '=0:', 'seq 200', 'Enter');
    await waitFor(
      async () => Number(await server.tmux('display-message', '-p', '-t', '=0:', '#{history_size}')) > 0,
      5000,
      'the output to scroll',
    );
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.doesNotMatch(restored.stdout, /replaced/);
    assert.deepEqual(await sessionNames(server), ['0', 'work']);
  });

  it('keeps a lone session whose shell runs a job, even with a clean screen', async () => {
    await server.start('work');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    await server.kill();
    await startWithConfig(server, []);
    // A job in the background, then the screen and its history cleared (\e[3J): only the job shows use.
    await server.tmux('send-keys', '-t', '=0:', "sleep 600 & printf '\\033[H\\033[2J\\033[3J'", 'Enter');
    await waitFor(
      async () =>
        (await server.tmux('display-message', '-p', '-t', '=0:', '#{history_size} #{cursor_y}')) ===
          '0 0\n' &&
        (await server.tmux('capture-pane', '-p', '-t', '=0:'))
          .split('\n')
          .filter((line) => line.trim() !== '').length === 1,
      5000,
      'a clean screen with the job running',
    );
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.doesNotMatch(restored.stdout, /replaced/);
    assert.deepEqual(await sessionNames(server), ['0', 'work']);
  });

  it('kills nothing when every restored session fails to be created, and the server lives on', async () => {
    await server.start();
    await server.tmux('new-window', '-d', '-t', '=0:1');
    await server.newSession('work');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    // A width tmux refuses ("width too large"): every new-session of the restore fails.
    const last = await newestSaveIn(server.saveDirectory);
    assert.ok(last, 'the save was written');
    const path = join(server.saveDirectory, last);
    const document = JSON.parse(await readFile(path, 'utf8')) as Snapshot;
    for (const session of document.sessions) for (const window of session.windows) window.width = 70_000;
    await writeFile(path, JSON.stringify(document));
    await server.kill();
    await startWithConfig(server, []);
    const shellPid = await server.tmux('display-message', '-p', '-t', '=0:', '#{pane_pid}');

    const restored = await server.cli('restore');
    assert.ok(await server.isRunning(), 'the server is still running');
    assert.equal(restored.code, exitCodes.partialRestore, restored.stderr);
    assert.match(restored.stderr, /kept the new server's session "0"/);
    // Parked while "0" was being restored, it has its name back.
    assert.deepEqual(await sessionNames(server), ['0']);
    assert.equal(await server.tmux('display-message', '-p', '-t', '=0:', '#{pane_pid}'), shellPid);
    // Held through the removal step, the marker is unset again: auto-saves are not held off.
    assert.equal(await server.tmux('show-options', '-gqv', '@continuum-restoring'), '');
  });
});

describe('names holding a tmux style start', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('round-trips #[, ##[, #{, # and a trailing # in session and window names', async () => {
    const names = ['a#[b', 'c##[d', '#[fg=red]e', 'f#{g}', 'h # i#'];
    await startWithConfig(server, []);
    // tmux 3.1 expands `##[` otherwise than later versions: the names are escaped for the one running.
    const tmux = { name: 'tmux', version: (await server.tmux('display-message', '-p', '#{version}')).trim() };
    for (const name of names) {
      await server.tmux(
        'new-session',
        '-d',
        '-s',
        literalForFormat(name, tmux),
        '-n',
        literalForFormat(`w ${name}`, tmux),
        '-x',
        '100',
        '-y',
        '30',
        '-c',
        server.home,
      );
    }
    await server.tmux('kill-session', '-t', '=0');
    const built = await captureSnapshot(server);
    // The builder made what it meant to (else the comparison below proves nothing).
    assert.deepEqual(built.sessions.map((session) => session.name).sort(), [...names].sort());
    assert.deepEqual(
      built.sessions.map((session) => session.windows[0]!.name).sort(),
      names.map((name) => `w ${name}`).sort(),
    );
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);

    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.stderr, '');
    assert.equal(restored.code, 0);
    assert.deepEqual(snapshotStructure(await captureSnapshot(server)), snapshotStructure(built));
    assert.equal(await server.tmux('show-options', '-gqv', '@continuum-restoring'), '');
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^nothing to restore/);
  });
});
