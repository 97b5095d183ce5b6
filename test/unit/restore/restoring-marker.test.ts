import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { restoringMarkerState } from '../../../src/restore/restoring-marker.js';

/** A /proc/PID of our own making: stat (start time in field 22) and a NUL-separated cmdline. */
async function fakeProc(root: string, pid: number, ticks: number, argv: readonly string[]): Promise<void> {
  await mkdir(join(root, String(pid)), { recursive: true });
  const fields = ['S', ...Array.from({ length: 18 }, () => '0'), String(ticks)];
  await writeFile(join(root, String(pid), 'stat'), `${pid} (node) ${fields.join(' ')} 0 0\n`);
  await writeFile(join(root, String(pid), 'cmdline'), `${argv.join('\0')}\0`);
}

describe('restoringMarkerState', () => {
  it('counts a marker only while its process is the continuum that set it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    const child = spawn('sleep', ['30']);
    const pid = child.pid!;
    try {
      const options = { platform: 'linux' as const, procRoot: root };
      assert.deepEqual(await restoringMarkerState('', options), { kind: 'unset' });
      assert.equal((await restoringMarkerState('junk', options)).kind, 'stale');
      await fakeProc(root, pid, 4242, ['node', '/opt/continuum/dist/continuum.js', 'restore']);
      assert.deepEqual(await restoringMarkerState(`${pid} 4242`, options), { kind: 'running', pid });
      // A marker of an older version (the pid alone) is checked by the command line.
      assert.deepEqual(await restoringMarkerState(String(pid), options), { kind: 'running', pid });
      const reused = await restoringMarkerState(`${pid} 1`, options);
      assert.equal(reused.kind, 'stale');
      assert.match(reused.kind === 'stale' ? reused.reason : '', /now another process/);
      await fakeProc(root, pid, 4242, ['sleep', '30']);
      const other = await restoringMarkerState(`${pid} 4242`, options);
      assert.match(other.kind === 'stale' ? other.reason : '', /no longer continuum/);
    } finally {
      child.kill();
      await new Promise((resolve) => child.on('exit', resolve));
      await rm(root, { recursive: true, force: true });
    }
    const gone = await restoringMarkerState(String(pid), { platform: 'linux' });
    assert.match(gone.kind === 'stale' ? gone.reason : '', /is gone/);
  });
});
