import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runHook } from '../../../src/hooks/run-hook.js';
import { waitFor } from '../../support/tmux-server.js';

/** Whether a process runs: present in /proc and not a zombie. */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

describe('hooks', () => {
  it('passes the save path as $1 and in CONTINUUM_SAVE_FILE, never inside the command text', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const output = join(directory, 'out');
      const savePath = join(directory, `it's $(touch pwned) "x".json`);
      const outcome = await runHook('post-save-layout', {
        command: `printf '%s|%s' "$CONTINUUM_SAVE_FILE" "$1" > '${output}'`,
        arguments: [savePath],
        savePath,
      });
      assert.deepEqual(outcome, { result: 'ran' });
      // $1 holds the path, unexpanded, as tmux-resurrect's post-save-layout hooks read it.
      assert.equal(await readFile(output, 'utf8'), `${savePath}|${savePath}`);
      await assert.rejects(readFile(join(directory, 'pwned')));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a failing hook with its exit code and last error line', async () => {
    const outcome = await runHook('post-restore-all', {
      command: 'echo "no such thing" >&2; exit 3',
      arguments: [],
      savePath: undefined,
    });
    assert.equal(outcome.result, 'failed');
    assert.match(
      outcome.result === 'failed' ? outcome.warning : '',
      /@resurrect-hook-post-restore-all exited with code 3: no such thing/,
    );
  });

  // Before the fix the text was `COMMAND "$@"`: each of these endings made the shell run "$@",
  // the save file, as a program. The last two are incomplete commands and now fail as such.
  for (const [ending, completes] of [
    [';', true],
    [' &', true],
    ['\n', true],
    [' &&', false],
    [' |', false],
  ] as const) {
    it(`never runs the save file when the command ends in ${JSON.stringify(ending)}`, async () => {
      const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
      try {
        const marker = join(directory, 'marker');
        const executed = join(directory, 'save-file-was-executed');
        // A save path that would leave a trace if anything ran it as a program.
        const savePath = join(directory, 'continuum-save.json');
        await writeFile(savePath, `#!/bin/sh\ntouch '${executed}'\n`, { mode: 0o700 });
        const outcome = await runHook('post-save-layout', {
          command: `touch '${marker}'${ending}`,
          arguments: [savePath],
          savePath,
        });
        if (completes) {
          assert.deepEqual(outcome, { result: 'ran' });
          // `touch … &` may finish just after the shell.
          await waitFor(
            async () =>
              access(marker).then(
                () => true,
                () => false,
              ),
            5000,
            'the marker',
          );
        } else {
          assert.equal(outcome.result, 'failed');
        }
        await assert.rejects(access(executed), 'the save file was run as a program');
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  }

  it('stops a hook that runs too long with SIGTERM and says so', async () => {
    const outcome = await runHook('pre-restore-all', {
      command: 'sleep 30',
      arguments: [],
      savePath: undefined,
      timeoutMilliseconds: 200,
      graceMilliseconds: 10_000,
    });
    assert.equal(outcome.result, 'failed');
    assert.deepEqual(outcome.result === 'failed' ? outcome.ending : undefined, {
      kind: 'timed-out',
      seconds: 0.2,
      signal: 'SIGTERM',
    });
    assert.match(
      outcome.result === 'failed' ? outcome.warning : '',
      /^@resurrect-hook-pre-restore-all was still running after 0\.2 s and was stopped with SIGTERM \(the restore went on\)$/,
    );
  });

  it('kills a hook that ignores SIGTERM, and everything it started, after the grace period', {
    timeout: 20_000,
  }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const pids = join(directory, 'pids');
      const outcome = await runHook('post-save-all', {
        command: `trap '' TERM; sleep 30 & echo "$$ $!" > '${pids}'; wait`,
        arguments: [],
        savePath: undefined,
        timeoutMilliseconds: 300,
        graceMilliseconds: 300,
      });
      assert.deepEqual(outcome.result === 'failed' ? outcome.ending : outcome, {
        kind: 'timed-out',
        seconds: 0.3,
        signal: 'SIGKILL',
      });
      assert.match(
        outcome.result === 'failed' ? outcome.warning : '',
        /post-save-all was still running after 0\.3 s, ignored SIGTERM and was killed with SIGKILL \(the save went on\)/,
      );
      const [shell, sleeper] = (await readFile(pids, 'utf8')).trim().split(' ').map(Number);
      assert.ok(shell && sleeper, 'the hook recorded its pids');
      // The shell and its background sleep are gone (or, at most, a zombie waiting for init).
      await waitFor(
        async () => !(await isAlive(shell)) && !(await isAlive(sleeper)),
        5000,
        'the hook to be gone',
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('does not wait for a program the hook left running in the background', { timeout: 20_000 }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    const pidFile = join(directory, 'pid');
    try {
      // The background sleep keeps the hook's error output open for 30 s.
      const outcome = await runHook('post-restore-all', {
        command: `sleep 30 & echo $! > '${pidFile}'`,
        arguments: [],
        savePath: undefined,
      });
      assert.deepEqual(outcome, { result: 'ran' });
    } finally {
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      if (pid > 0) process.kill(pid, 'SIGKILL');
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('does nothing for an unset hook', async () => {
    assert.deepEqual(await runHook('post-save-all', { command: '  ', arguments: [], savePath: undefined }), {
      result: 'not-set',
    });
  });
});
