import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { attachControlClient, type ControlClient, clientSessions } from '../support/live-server.js';
import { cliPath, TestServer, waitFor } from '../support/tmux-server.js';

const sessionNames = Array.from({ length: 12 }, (_, index) => `s${index}`);
/** Neither the first nor the last session created: the plan's order alone would not put it first. */
const landing = 's7';
const seenOption = '@continuum-test-seen';

/** Twelve sessions of two windows of two panes, saved with a client on `landing`. */
async function buildAndSave(server: TestServer): Promise<void> {
  await server.start();
  for (const name of sessionNames) {
    await server.tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30');
    await server.tmux('split-window', '-h', '-t', `=${name}:0`);
    await server.tmux('new-window', '-d', '-t', `=${name}:`);
    await server.tmux('split-window', '-v', '-t', `=${name}:1`);
  }
  await server.tmux('kill-session', '-t', '=0');
  const client = await attachControlClient(server, `=${landing}`);
  try {
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
  } finally {
    await client.close();
  }
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

/**
 * Records, each time a client changes session, the session, its panes per window, one `.` per
 * session on the server, and the status option: what the client found when it landed.
 */
async function recordLandings(server: TestServer): Promise<void> {
  await server.tmux(
    'set-hook',
    '-g',
    'client-session-changed',
    `set-option -gaF ${seenOption} "#{session_name}|#{W:#{window_panes} }|#{S:.}|#{@continuum-status};"`,
  );
}

async function landings(server: TestServer): Promise<string[][]> {
  const value = (await server.tmux('show-options', '-gqv', seenOption)).trim();
  return value
    .split(';')
    .filter(Boolean)
    .map((entry) => entry.split('|'));
}

function runInTerminal(server: TestServer, args: readonly string[]): Promise<string> {
  const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, cliPath, '-L', server.socketName, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { env: { ...server.environment, COLUMNS: '200' }, timeout: 30_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

describe('a restore usable at once', () => {
  let server: TestServer;
  const clients: ControlClient[] = [];
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await server.dispose();
  });

  it('builds the session the client lands in completely and switches to it before the others exist', async () => {
    await buildAndSave(server);
    await restartFresh(server);
    const client = await attachControlClient(server, '=0');
    clients.push(client);
    await recordLandings(server);

    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);

    const [first] = await landings(server);
    assert.ok(first, 'the client changed session');
    const [session, panes, sessions] = first;
    assert.equal(session, landing);
    assert.equal(panes, '2 2 ', 'both windows with both panes were there when the client arrived');
    // The fresh server's own session and the landing one: no other saved session yet.
    assert.equal(sessions, '..');
    const listed = (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean);
    assert.deepEqual(listed.sort(), [...sessionNames].sort());
    assert.equal((await clientSessions(server, client.name))[0], landing);
  });

  it('shows progress on a terminal, only the summary into a pipe, nothing with -q', async () => {
    await buildAndSave(server);

    await restartFresh(server);
    const terminal = await runInTerminal(server, ['restore']);
    assert.match(terminal, /restoring: \d+\/12 sessions, \d+\/48 panes, now "s\d+"/);
    // The progress line is erased, and one summary line stays.
    assert.match(terminal, /\r\x1b\[2Krestored 12 sessions and 24 windows from .* in \d+\.\d\d s\r?\n$/);

    await restartFresh(server);
    const piped = await server.cli('restore');
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stderr, '');
    assert.match(piped.stdout, /^restored 12 sessions and 24 windows from .* in \d+\.\d\d s\n$/);

    await restartFresh(server);
    const quiet = await runInTerminal(server, ['restore', '-q']);
    assert.equal(quiet, '');
    assert.equal(
      (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).length,
      12,
    );
  });

  it('from tmux, shows progress in the status option and puts back what it held', async () => {
    await buildAndSave(server);
    await restartFresh(server);
    const client = await attachControlClient(server, '=0');
    clients.push(client);
    await recordLandings(server);
    await server.tmux('set-option', '-g', '@continuum-status', 'saved 10:00');

    const hook = await server.cli('hook', 'restore');
    assert.equal(hook.code, 0, hook.stderr);

    const [first] = await landings(server);
    assert.ok(first, 'the client changed session');
    assert.equal(first[0], landing);
    assert.match(first[3] ?? '', /^restoring 0\/12$/);
    assert.equal(await server.tmux('show-options', '-gqv', '@continuum-status'), 'saved 10:00\n');
  });
});
