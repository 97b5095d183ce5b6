import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MuxMissingError, MuxTimeoutError } from '../../../src/errors.js';
import { killGraceMilliseconds, runWithDeadline, unansweredError } from '../../../src/mux/process-runner.js';

/** Whether a process with this pid still exists (the runner's child is reaped before it answers). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runWithDeadline: the one deadline-and-kill rule', () => {
  it('kills a process that ignores SIGTERM with SIGKILL once the deadline and the grace have passed', {
    timeout: 30_000,
  }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-runner-'));
    try {
      const pidFile = join(directory, 'pid');
      const termFile = join(directory, 'term');
      // A real process: writes its pid once it ignores SIGTERM, notes every SIGTERM, never exits.
      const program = [
        "const { writeFileSync, appendFileSync } = require('node:fs');",
        `process.on('SIGTERM', () => appendFileSync(${JSON.stringify(termFile)}, 'TERM\\n'));`,
        `writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));`,
        'setInterval(() => {}, 1000);',
      ].join(' ');
      const deadline = 3000;
      const started = Date.now();
      const outcome = await runWithDeadline(process.execPath, ['-e', program], process.env, deadline);
      const elapsed = Date.now() - started;
      const pid = Number(await readFile(pidFile, 'utf8'));
      assert.equal(outcome.timedOut, true, 'the outcome says the deadline passed');
      assert.equal(await readFile(termFile, 'utf8'), 'TERM\n', 'SIGTERM came first, and was ignored');
      assert.ok(elapsed >= deadline + killGraceMilliseconds, `SIGKILL only after the grace (${elapsed} ms)`);
      assert.equal(alive(pid), false, 'the process is gone');
      assert.ok(
        unansweredError(outcome, {
          binary: 'tmux',
          server: 'socket -L x',
          args: ['ls'],
          timeoutMilliseconds: deadline,
        }) instanceof MuxTimeoutError,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('answers as soon as the process exits, with its output and exit code', async () => {
    const outcome = await runWithDeadline(
      process.execPath,
      ['-e', "process.stdout.write('out'); process.stderr.write('err'); process.exit(3)"],
      process.env,
      10_000,
    );
    assert.deepEqual(
      { stdout: outcome.stdout, stderr: outcome.stderr, code: outcome.code, timedOut: outcome.timedOut },
      { stdout: 'out', stderr: 'err', code: 3, timedOut: false },
    );
    assert.equal(
      unansweredError(outcome, { binary: 'x', server: 's', args: [], timeoutMilliseconds: 1 }),
      undefined,
    );
  });

  it('a program that does not exist is MuxMissingError, naming it', async () => {
    const missing = join(tmpdir(), `continuum-no-such-program-${process.pid}`);
    const outcome = await runWithDeadline(missing, [], process.env, 10_000);
    const error = unansweredError(outcome, {
      binary: missing,
      server: 's',
      args: ['ls'],
      timeoutMilliseconds: 1,
    });
    assert.ok(error instanceof MuxMissingError);
    assert.match(error.message, /is not installed/);
  });
});
