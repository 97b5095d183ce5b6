import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createDaemonTestServer, daemonFilesOf, daemonStatus, disposeWithDaemon } from '../support/daemon.js';
import { cliPath, spawn, type TestServer, waitFor } from '../support/tmux-server.js';

describe('continuum logs', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('shows its log, and follows it with logs -f', async () => {
    await server.start('work');
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    const files = await daemonFilesOf(server);
    await waitFor(async () => (await daemonStatus(files))?.lastSave != null, 5000, 'the first save');
    const logs = await server.cli('logs', '-n', '5');
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] \[INF\] \[PID \d+\] daemon started for /m);
    const follower = spawn(process.execPath, [cliPath, '-L', server.socketName, 'logs', '-f', '-n', '1'], {
      env: server.environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      follower.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      // The change must come after the follower is reading, or the save is logged before the
      // point it follows from: its first line (the log's last) says it is there.
      await waitFor(async () => output.includes('\n'), 15_000, 'logs -f to print the last line');
      await server.tmux('new-window', '-t', '=work:', '-n', 'followed');
      await waitFor(
        async () => /saved .*the structure changed/.test(output),
        15_000,
        'logs -f to print the save',
      );
    } finally {
      follower.kill('SIGTERM');
    }
  });
});
