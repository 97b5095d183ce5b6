import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { matrixBinary, missingMatrixVersions } from '../support/tmux-matrix.js';
import { processExists, run, TestServer, waitFor } from '../support/tmux-server.js';

/**
 * A tmux 3.7 or later server drops a client of 3.5a or older at once, which then says "server
 * exited unexpectedly", as for a server that is exiting. A user with two tmux builds (the system's
 * and a newer one in ~/.local/bin or Homebrew) meets this; continuum must not say there is no
 * server (and suggest starting one) while one runs. The binaries come from the matrix's cache.
 */
const skip = await missingMatrixVersions(['3.5a', '3.8']);

describe('a server that runs another tmux version than the one continuum is given', { skip }, () => {
  let server: TestServer;
  let serverPid = 0;
  const newer = (...args: string[]) =>
    run(matrixBinary('3.8'), ['-u', '-L', server.socketName, '-f', '/dev/null', ...args], server.environment);

  beforeEach(async () => {
    server = await TestServer.create();
    const started = await newer('new-session', '-d', '-s', 'work');
    assert.equal(started.code, 0, started.stderr);
    serverPid = Number.parseInt((await newer('display-message', '-p', '#{pid}')).stdout, 10);
    assert.ok(serverPid > 0);
  });
  afterEach(async () => {
    await newer('kill-server');
    await waitFor(async () => !processExists(serverPid), 5000, `the tmux 3.8 server ${serverPid} to exit`);
    await server.dispose();
  });

  it('says that tmux cannot talk to it (exit 3), not that no server runs, and saves nothing', async () => {
    const older = matrixBinary('3.5a');
    const saved = await server.cli('--mux', older, 'save');
    assert.equal(saved.code, exitCodes.muxMissing, saved.stderr);
    assert.match(
      saved.stderr,
      new RegExp(
        `^continuum: ${older.replaceAll('.', '\\.')} cannot talk to the tmux server on socket -L ${server.socketName}: it runs, but as a tmux of another version`,
      ),
    );
    assert.match(saved.stderr, /put it first on PATH, or name it with --mux/);
    assert.doesNotMatch(saved.stderr, /no tmux server is running/);
    assert.deepEqual(await readdir(server.saveDirectory).catch(() => []), []);
    // The server and its session are untouched.
    assert.equal((await newer('list-sessions', '-F', '#{session_name}')).stdout, 'work\n');
  });

  it('still says no server runs once that server is gone', async () => {
    await newer('kill-server');
    await waitFor(async () => !processExists(serverPid), 5000, 'the tmux 3.8 server to exit');
    const saved = await server.cli('--mux', matrixBinary('3.5a'), 'save');
    assert.equal(saved.code, exitCodes.noServer, saved.stderr);
    assert.match(saved.stderr, /no tmux server is running on socket -L/);
  });
});
