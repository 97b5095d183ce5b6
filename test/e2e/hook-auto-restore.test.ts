import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runShellArgument } from '../../src/integration/tmux-integration.js';
import { scriptLine } from '../../src/mux/script.js';
import { sameStructure } from '../../src/snapshot/structure.js';
import { readSnapshotFile } from '../../src/store/save-store.js';
import { createDaemonTestServer, daemonFilesOf, daemonStatus, disposeWithDaemon } from '../support/daemon.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { cliPath, newestSaveIn, type TestServer, waitFor } from '../support/tmux-server.js';

const initLine = scriptLine(['run-shell', runShellArgument([process.execPath, cliPath, 'init'])]);

/** Two sessions, five windows, a split: something a doubled restore could not hide. */
async function buildEnvironment(server: TestServer): Promise<string> {
  await server.start('alpha');
  await server.tmux('new-window', '-t', '=alpha:', '-n', 'editor');
  await server.tmux('split-window', '-t', '=alpha:editor');
  await server.tmux('new-window', '-t', '=alpha:', '-n', 'logs');
  await server.tmux('new-session', '-d', '-s', 'beta', '-x', '120', '-y', '40');
  await server.tmux('new-window', '-t', '=beta:', '-n', 'build');
  const saved = await server.cli('save');
  assert.equal(saved.code, 0, saved.stderr);
  return (await newestSaveIn(server.saveDirectory))!;
}

/**
 * `session:index:name` of every window. An automatic name reads `(auto)`: it follows the pane's
 * program and is `tmux` for a moment while a new pane's shell starts, which made comparisons flaky.
 */
async function windowList(server: TestServer): Promise<string[]> {
  const name = '#{?#{automatic-rename},(auto),#{window_name}}';
  return (await server.tmux('list-windows', '-a', '-F', `#{session_name}:#{window_index}:${name}`))
    .trim()
    .split('\n')
    .sort();
}

describe('auto-restore', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('restores once for twenty simultaneous hook firings, and restore then save gives the same structure', async () => {
    const saveName = await buildEnvironment(server);
    const before = await windowList(server);
    const saved = await readSnapshotFile(join(server.saveDirectory, saveName));
    await server.kill();
    await startWithConfig(server, []);
    await server.tmux('set-option', '-g', '@continuum-restore', 'on');
    const firings = await Promise.all(
      Array.from({ length: 20 }, () => server.cli('hook', 'session-created')),
    );
    for (const firing of firings) assert.equal(firing.code, 0, firing.stderr);
    assert.deepEqual(await windowList(server), before, 'every window once, and the bootstrap session gone');
    assert.equal(await server.tmux('show-options', '-gv', '@continuum-auto-restore-result'), 'restored\n');
    const files = await daemonFilesOf(server);
    const log = await readFile(files.logPath, 'utf8');
    assert.equal(log.match(/auto-restore: restored/g)?.length, 1, log);
    assert.ok(sameStructure(await captureSnapshot(server), saved), 'the live server has the saved structure');
    const again = await server.cli('save');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing changed since the last save/);
  });

  it('runs from the hook `continuum init` sets, and the restore does not re-trigger it', async () => {
    await buildEnvironment(server);
    const before = await windowList(server);
    await server.kill();
    await startWithConfig(server, ['set -g @continuum-restore on', initLine]);
    await waitFor(
      async () =>
        (await server.tmuxResult('show-options', '-gv', '@continuum-auto-restore-result')).stdout !== '',
      10_000,
      'the auto-restore to finish',
    );
    assert.equal(await server.tmux('show-options', '-gv', '@continuum-auto-restore-result'), 'restored\n');
    // More sessions and more hook firings later change nothing that was restored.
    await server.tmux('new-session', '-d', '-s', 'later');
    await Promise.all(Array.from({ length: 5 }, () => server.cli('hook', 'session-created')));
    assert.deepEqual(
      (await windowList(server)).filter((window) => !window.startsWith('later:')),
      before,
    );
  });

  it('with auto-restore off, never lets the bootstrap session become the newest save', async () => {
    const saveName = await buildEnvironment(server);
    await server.kill();
    await startWithConfig(server, [initLine]);
    const files = await daemonFilesOf(server);
    await waitFor(async () => ((await daemonStatus(files))?.laps ?? 0) >= 5, 10_000, 'five daemon laps');
    const status = (await daemonStatus(files))!;
    assert.match(
      status.paused?.text ?? '',
      /only its first session "0" and the newest save comes from an earlier server/,
    );
    assert.equal((await newestSaveIn(server.saveDirectory))!, saveName);
    assert.equal((await server.cli('save')).code, 0, 'a save the user asks for is still made');
    // ...and the earlier lifetime's save stays for `continuum restore NAME`.
    await server.tmux('new-window', '-t', '=0:', '-n', 'real-work');
    await waitFor(
      async () => (await newestSaveIn(server.saveDirectory))! !== saveName,
      5000,
      'the daemon to save real work',
    );
    assert.ok((await readdir(server.saveDirectory)).includes(saveName), 'the earlier save is kept');
  });

  it('is skipped while ~/tmux_no_auto_restore exists', async () => {
    await buildEnvironment(server);
    await server.kill();
    await startWithConfig(server, []);
    await server.tmux('set-option', '-g', '@continuum-restore', 'on');
    await writeFile(join(server.home, 'tmux_no_auto_restore'), '');
    const firing = await server.cli('hook', 'session-created');
    assert.equal(firing.code, 0, firing.stderr);
    assert.deepEqual(await windowList(server), ['0:0:(auto)']);
    assert.match(
      await readFile((await daemonFilesOf(server)).logPath, 'utf8'),
      /auto-restore skipped: .*tmux_no_auto_restore exists/,
    );
  });
});
