import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runShellArgument } from '../../src/integration/tmux-integration.js';
import { scriptLine } from '../../src/mux/script.js';
import { createDaemonTestServer, daemonFilesOf, daemonPid, disposeWithDaemon } from '../support/daemon.js';
import { startWithConfig } from '../support/live-server.js';
import { cliPath, prefixKeyLine, type TestServer, waitFor } from '../support/tmux-server.js';

const initWith = (cli: string): string =>
  scriptLine(['run-shell', runShellArgument([process.execPath, cli, 'init'])]);

async function ourHooks(server: TestServer): Promise<string[]> {
  return (await server.tmux('show-hooks', '-g'))
    .split('\n')
    .filter((line) => line.startsWith('session-created['));
}

describe('continuum init', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('binds keys, appends one hook beside other plugins, fills #{continuum_status}, and stays idempotent', async () => {
    const config = [
      "set-hook -ga session-created 'set -g @other-plugin-ran yes'",
      "set -g status-right 'load #{continuum_status} |'",
      "set -g @resurrect-save 'S'",
      initWith(cliPath),
    ];
    await startWithConfig(server, config);
    const hooks = await ourHooks(server);
    assert.equal(hooks.length, 2, hooks.join('\n'));
    assert.match(hooks[0]!, /@other-plugin-ran/);
    assert.match(hooks[1]!, /\bhook\W+session-created\b/);
    assert.equal(await server.tmux('show-options', '-gv', '@other-plugin-ran'), 'yes\n');
    const keys = await server.tmux('list-keys', '-T', 'prefix');
    assert.match(keys, /prefix +S +run-shell -b .*'hook' 'save'/);
    assert.match(keys, /prefix +C-r +run-shell -b .*'hook' 'restore'/);
    assert.equal(await server.tmux('show-options', '-gv', 'status-right'), 'load #{@continuum-status} |\n');
    // Reloading the config and running init again adds nothing.
    await server.tmux('source-file', join(server.root, 'tmux.conf'));
    assert.equal((await server.cli('init')).code, 0);
    const after = await ourHooks(server);
    assert.equal(after.filter((line) => /\bhook\W+session-created\b/.test(line)).length, 1, after.join('\n'));
    assert.ok(
      after.some((line) => line.includes('@other-plugin-ran')),
      'the other plugin keeps its hook',
    );
    await waitFor(
      async () => (await server.tmuxResult('show-options', '-gv', '@continuum-status')).stdout !== '',
      5000,
      'the daemon to publish its status',
    );
  });

  it("keeps another plugin's hook that mentions `hook session-created`, and installs its own once", async () => {
    const other = 'run-shell "true hook session-created other-plugin"';
    await startWithConfig(server, [`set-hook -ga session-created '${other}'`, initWith(cliPath)]);
    assert.equal((await server.cli('init')).code, 0);
    assert.equal((await server.cli('init')).code, 0);
    const hooks = await ourHooks(server);
    assert.deepEqual(
      hooks.filter((line) => line.includes('other-plugin')),
      [`session-created[0] ${other}`],
      hooks.join('\n'),
    );
    const continuums = hooks.filter((line) => line.includes('@continuum-auto-restore-claim'));
    assert.equal(continuums.length, 1, hooks.join('\n'));
    assert.equal(hooks.length, 2, hooks.join('\n'));
    assert.equal(
      `session-created[1] ${await server.tmux('show-options', '-gv', '@continuum-installed-hook-shown')}`,
      `${continuums[0]}\n`,
    );
  });

  it('works from a path with a space and a #, through the binding and the hook', async () => {
    const plugin = join(server.root, 'my plug#in');
    await mkdir(plugin, { recursive: true });
    await cp(dirname(cliPath), join(plugin, 'dist'), { recursive: true });
    const cli = join(plugin, 'dist', 'continuum.js');
    // Interval 0: the daemon saves nothing, so the save below is the binding's.
    await startWithConfig(server, [
      'set -g @continuum-restore on',
      'set -g @continuum-save-interval 0',
      initWith(cli),
    ]);
    // Run the key binding's command as tmux would when the key is pressed.
    const command = await prefixKeyLine(server, 'C-s');
    assert.match(command, /^run-shell -b /);
    const script = join(server.root, 'press-c-s.tmux');
    await writeFile(script, command.replace('run-shell -b', 'run-shell'));
    await server.tmux('source-file', script);
    await waitFor(
      async () => (await readdir(server.saveDirectory).catch(() => [])).length > 0,
      5000,
      'a save',
    );
    const files = await daemonFilesOf(server);
    await waitFor(
      async () => /save from the key binding: saved 1 session/.test(await readFile(files.logPath, 'utf8')),
      5000,
      'the binding to log its save',
    );
    // The hook ran the CLI from the same path (no save to restore yet: it says so).
    await waitFor(
      async () =>
        (await server.tmuxResult('show-options', '-gv', '@continuum-auto-restore-claim')).code === 0,
      5000,
      'the session-created hook to run',
    );
  });

  it('installs one hook when ten inits run at once', async () => {
    await server.start('work');
    const results = await Promise.all(Array.from({ length: 10 }, () => server.cli('init')));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const ours = (await ourHooks(server)).filter((line) => /\bhook\W+session-created\b/.test(line));
    assert.equal(ours.length, 1, ours.join('\n'));
  });

  it('is what the TPM entry continuum.tmux runs', async () => {
    await server.start('work');
    const entry = join(dirname(dirname(cliPath)), 'continuum.tmux');
    const result = await server.tmuxResult('run-shell', runShellArgument([entry]));
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const pid = await daemonPid(await daemonFilesOf(server));
    assert.notEqual(pid, undefined);
    // Started from tmux, it only knows the socket's path; `ps` still shows the -L name the user knows.
    const title = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
    assert.equal(title, `continuum daemon -L ${server.socketName}`);
    assert.match(await prefixKeyLine(server, 'C-s'), /'hook' 'save'/);
  });

  it('returns promptly under run-shell while the daemon it started keeps running', async () => {
    await server.start('work');
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      server.tmuxResult('run-shell', runShellArgument([process.execPath, cliPath, 'init'])),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), 15_000);
      }),
    ]);
    clearTimeout(timer);
    assert.ok(result, `run-shell did not return within 15 s (${Date.now() - started} ms)`);
    assert.equal(result.code, 0, result.stderr);
    assert.notEqual(await daemonPid(await daemonFilesOf(server)), undefined);
  });
});
