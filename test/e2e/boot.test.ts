import assert from 'node:assert/strict';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runShellArgument } from '../../src/integration/tmux-integration.js';
import { scriptLine } from '../../src/mux/script.js';
import { createDaemonTestServer, daemonFilesOf, disposeWithDaemon } from '../support/daemon.js';
import { startWithConfig } from '../support/live-server.js';
import { cliPath, type TestServer, waitFor } from '../support/tmux-server.js';

const initWith = (cli: string): string =>
  scriptLine(['run-shell', runShellArgument([process.execPath, cli, 'init'])]);

describe('continuum boot', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('enables start at login with @continuum-boot on (systemd unit in XDG_CONFIG_HOME)', async () => {
    await startWithConfig(server, ['set -g @continuum-boot on', initWith(cliPath)]);
    const unitDirectory = join(server.environment.XDG_CONFIG_HOME!, 'systemd', 'user');
    const units = async (): Promise<string[]> =>
      (await readdir(unitDirectory).catch(() => [])).filter((name) => name.endsWith('.service'));
    await waitFor(async () => (await units()).length === 1, 5000, 'the unit file');
    const [name] = await units();
    assert.match(
      name!,
      /^continuum-tmux-[0-9a-f]{10}\.service$/,
      'a socket outside /tmp/tmux-UID is named by a hash',
    );
    const unit = join(unitDirectory, name!);
    const socketPath = (await daemonFilesOf(server)).socketPath;
    const text = await readFile(unit, 'utf8');
    assert.ok(text.includes(`"-S" "${socketPath}" "new-session" "-d"`), text);
    assert.match(text, /^ExecStart="\/.*\/tmux" /m);
    const link = join(unitDirectory, 'default.target.wants', name!);
    assert.ok((await lstat(link)).isSymbolicLink());
    const disabled = await server.cli('boot', 'disable');
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal(
      await lstat(unit).then(
        () => true,
        () => false,
      ),
      false,
    );
    assert.equal(
      await lstat(link).then(
        () => true,
        () => false,
      ),
      false,
    );
    assert.match((await server.cli('boot', 'status')).stdout, /not enabled/);
  });
});
