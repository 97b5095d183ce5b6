import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  isDaemonCommandLine,
  startTicksOf,
  verifyDaemonProcess,
} from '../../../src/platform/process-identity.js';

const linux = process.platform === 'linux';

async function startedChild(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

async function ticksOf(pid: number): Promise<number> {
  return startTicksOf(await readFile(`/proc/${pid}/stat`, 'utf8'))!;
}

describe('process identity', () => {
  it('reads the start time (field 22) even when the command name holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, index) => String(index + 3));
    const stat = `123 (a) b (c) ${fields.join(' ')}`;
    assert.equal(startTicksOf(stat), 22);
  });

  it('recognises a daemon by its title or its `daemon run` arguments, nothing else', () => {
    assert.equal(isDaemonCommandLine(['continuum daemon -L work', '', '', '']), true);
    assert.equal(
      isDaemonCommandLine(['node', '/x/continuum.js', '-L', 'w', 'daemon', 'run', '--poll', '5']),
      true,
    );
    assert.equal(isDaemonCommandLine(['sleep', '1000']), false);
    assert.equal(isDaemonCommandLine(['node', 'continuum.js', 'daemon', 'stop']), false);
  });

  it('verifies a daemon process only with its command line, its start tick and its owner', {
    skip: !linux && 'needs /proc',
  }, async () => {
    const title =
      'process.title = "continuum daemon -L verify"; console.log("up"); setInterval(() => {}, 1000)';
    const daemon = await startedChild(['-e', title]);
    const decoy = await startedChild(['-e', 'console.log("up"); setInterval(() => {}, 1000)']);
    try {
      const ticks = await ticksOf(daemon.pid!);
      assert.deepEqual(await verifyDaemonProcess(daemon.pid!, ticks), { result: 'verified' });
      assert.equal(
        (await verifyDaemonProcess(daemon.pid!, ticks + 1)).result,
        'refused',
        'another start time',
      );
      assert.equal((await verifyDaemonProcess(daemon.pid!, null)).result, 'refused', 'no start time');
      const decoyTicks = await ticksOf(decoy.pid!);
      const verdict = await verifyDaemonProcess(decoy.pid!, decoyTicks);
      assert.equal(verdict.result, 'refused', 'a process that is not a daemon');
      assert.equal(
        (await verifyDaemonProcess(daemon.pid!, ticks, { platform: 'darwin' })).result,
        'refused',
        'nothing is verified without procfs',
      );
    } finally {
      daemon.kill('SIGKILL');
      decoy.kill('SIGKILL');
    }
  });
});
