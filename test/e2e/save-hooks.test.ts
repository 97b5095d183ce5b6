import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startWithConfig } from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/** Whether a process runs: present in /proc and not a zombie. */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** A tmux config line setting an option to a value, quoted for tmux's parser. */
const setOption = (name: string, value: string): string =>
  `set -g ${name} '${value.replaceAll("'", `'\\''`)}'`;

describe('hooks run at tmux-resurrect hook points', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('save and restore hooks run in order with the save path; a failing one is reported and not fatal', async () => {
    const log = join(server.root, 'hooks.log');
    const record = (point: string): string =>
      `printf '%s %s|%s\\n' ${point} "$CONTINUUM_SAVE_FILE" "$1" >> '${log}'`;
    await startWithConfig(server, [
      setOption('@resurrect-hook-post-save-layout', record('post-save-layout')),
      setOption('@resurrect-hook-post-save-all', record('post-save-all')),
    ]);
    await server.tmux('new-session', '-d', '-s', 'hooked');
    await server.tmux('kill-session', '-t', '=0');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const savePath = join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!);
    assert.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), [
      // post-save-layout gets the save file as $1, as with tmux-resurrect.
      `post-save-layout ${savePath}|${savePath}`,
      `post-save-all ${savePath}|`,
    ]);

    await server.kill();
    await startWithConfig(server, [
      setOption('@resurrect-hook-pre-restore-all', record('pre-restore-all')),
      setOption(
        '@resurrect-hook-pre-restore-pane-processes',
        `${record('pre-restore-pane-processes')}; exit 7`,
      ),
      setOption('@resurrect-hook-post-restore-all', record('post-restore-all')),
    ]);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stderr,
      /@resurrect-hook-pre-restore-pane-processes exited with code 7 \(the restore went on\)/,
    );
    assert.match(restored.stdout, /restored 1 session/);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').slice(2);
    assert.deepEqual(lines, [
      `pre-restore-all ${savePath}|`,
      `pre-restore-pane-processes ${savePath}|`,
      `post-restore-all ${savePath}|`,
    ]);
    assert.match(await server.tmux('list-sessions', '-F', '#{session_name}'), /^hooked$/m);
  });

  it('a post-save-layout hook ending in ";" runs only the user\'s command, never the save file', async () => {
    const marker = join(server.root, 'hook-ran');
    // Before the fix the text became `touch …; "$@"` and sh tried to run the save file (exit 126).
    await startWithConfig(server, [setOption('@resurrect-hook-post-save-layout', `touch '${marker}';`)]);
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(saved.stderr, '', 'no hook warning');
    await access(marker);
  });

  it('a hook that ignores SIGTERM is killed after the time limit and the grace period', {
    timeout: 60_000,
  }, async () => {
    const pids = join(server.root, 'hook-pids');
    await startWithConfig(server, [
      setOption('@resurrect-hook-post-save-all', `trap '' TERM; sleep 30 & echo "$$ $!" > '${pids}'; wait`),
    ]);
    const started = Date.now();
    const saved = await server.cliRaw(['-L', server.socketName, 'save'], {
      ...server.environment,
      CONTINUUM_HOOK_TIMEOUT_MS: '500',
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /saved 1 session/);
    assert.match(
      saved.stderr,
      /@resurrect-hook-post-save-all was still running after 0\.5 s, ignored SIGTERM and was killed with SIGKILL \(the save went on\)/,
    );
    // The limit (0.5 s) plus the 5 s grace, with room for a slow machine, but far from the 30 s sleep.
    assert.ok(seconds < 20, `the save took ${seconds} s`);
    const [shell, sleeper] = (await readFile(pids, 'utf8')).trim().split(' ').map(Number);
    assert.ok(shell && sleeper, 'the hook recorded its pids');
    await waitFor(
      async () => !(await isAlive(shell)) && !(await isAlive(sleeper)),
      5000,
      'the hook to be gone',
    );
  });
});
