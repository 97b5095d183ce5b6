import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { cliPath, type ProcessResult, TestServer } from '../support/tmux-server.js';

/**
 * The CLI with a hard limit: Node's recursive mkdir under /proc loops forever (mkdir answers
 * ENOENT although the parent exists), and a test must not leave such a process spinning.
 */
function cliWithLimit(server: TestServer, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, '-L', server.socketName, ...args],
      { env: server.environment, timeout: 15_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

describe('a save directory on a kernel file system', { skip: process.platform !== 'linux' }, () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('is refused at once with exit 7, naming the path, under /proc', async () => {
    await server.start('work');
    const result = await cliWithLimit(server, ['--dir', '/proc/self/continuum-test', 'save']);
    assert.equal(result.code, exitCodes.unwritable, `exit ${result.code}: ${result.stderr}`);
    assert.equal(
      result.stderr,
      'continuum: cannot write to /proc/self/continuum-test: it is on procfs, a kernel file system that holds no files — choose a directory on an ordinary file system with --dir or @resurrect-dir\n',
    );
  });

  it('is refused when @resurrect-dir points under /sys', async () => {
    await server.start('work');
    await server.tmux('set-option', '-g', '@resurrect-dir', '/sys/kernel/continuum-test/saves');
    const result = await cliWithLimit(server, ['save']);
    assert.equal(result.code, exitCodes.unwritable, `exit ${result.code}: ${result.stderr}`);
    assert.match(result.stderr, /cannot write to \/sys\/kernel\/continuum-test\/saves: it is on sysfs/);
  });
});
