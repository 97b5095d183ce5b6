import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { daemonFiles } from '../../../src/daemon/daemon-files.js';
import { UnsafeDirectoryError } from '../../../src/errors.js';
import {
  acquireLease,
  assertPrivateOrMissing,
  ensureLeaseDirectory,
  type Lease,
  leaseAddress,
  leaseDirectory,
  leaseKey,
  maximumSocketPathBytes,
  probe,
  tryAcquireLease,
} from '../../../src/platform/lease.js';
import type { PathEnvironment } from '../../../src/platform/paths.js';
import { waitFor } from '../../support/tmux-server.js';

const uid = process.getuid!();

function pathsWith(environment: NodeJS.ProcessEnv, platform: NodeJS.Platform = 'linux'): PathEnvironment {
  return { environment, platform, home: '/home/someone' };
}

/** A socket file whose listener was SIGKILLed: the file stays, nobody accepts on it. */
async function staleSocketFile(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', 'require("net").createServer().listen(process.argv[1], () => console.log("up"))', path],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal((await lstat(path)).isSocket(), true, 'the dead holder left its socket file');
}

describe('leases', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuum-lease-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives up waiting for a taken lease on time while the wall clock steps back', {
    timeout: 10_000,
  }, async () => {
    const directory = join(root, 'clock-back');
    const options = { runtimeDirectory: directory, platform: 'linux' as const };
    const held = await tryAcquireLease('held', options);
    assert.ok(held, 'the first holder takes it');
    // A wall clock going back a second at every reading: a Date.now() deadline is never reached.
    let wall = Date.now();
    const stepping = mock.method(Date, 'now', () => {
      wall -= 1000;
      return wall;
    });
    try {
      const started = performance.now();
      const second = await acquireLease('held', { ...options, timeoutMilliseconds: 300 });
      assert.equal(second, undefined);
      assert.ok(performance.now() - started < 5000, 'gave up within its deadline');
    } finally {
      stepping.mock.restore();
      await held.release();
    }
  });

  it('names a socket file in the private directory, never an abstract name, and a pipe on Windows', () => {
    const key = leaseKey('daemon', '/tmp/tmux-1000/default');
    const digest = createHash('sha256').update('/tmp/tmux-1000/default').digest('hex').slice(0, 16);
    assert.equal(key, `daemon-${digest}`);
    const linux = leaseAddress(key, { runtimeDirectory: '/run/user/1000/continuum', platform: 'linux' });
    assert.equal(linux, `/run/user/1000/continuum/${key}.sock`);
    const windows = leaseAddress(key, { runtimeDirectory: 'C:\\state', platform: 'win32' });
    // The pipe name of earlier versions: Windows keeps it.
    assert.equal(windows, `\\\\.\\pipe\\continuum-daemon-0-${digest}`);
    // A long key in a long directory is hashed to fit sun_path.
    const directory = `/${'d'.repeat(70)}`;
    const long = leaseAddress(`restore-${'k'.repeat(60)}`, {
      runtimeDirectory: directory,
      platform: 'darwin',
    });
    assert.ok(long.startsWith(`${directory}/`));
    assert.ok(Buffer.byteLength(long) <= 103, long);
    assert.equal(maximumSocketPathBytes('darwin'), 103);
    assert.equal(maximumSocketPathBytes('linux'), 107);
  });

  it('gives a Windows daemon its named pipe and its files in LOCALAPPDATA', () => {
    const files = daemonFiles('psmux:work', pathsWith({ LOCALAPPDATA: 'C:\\L', USERNAME: 'ana' }, 'win32'));
    // Pipe names are global on Windows: the user and the namespace are in it.
    assert.match(files.address, /^\\\\\.\\pipe\\continuum-daemon-ana-work-[0-9a-f]{12}$/);
    assert.equal(files.leaseOptions.platform, 'win32');
    // The state directory on Windows is %LOCALAPPDATA%\continuum itself (issue 9: logs there).
    assert.ok(files.tokenPath.startsWith('C:\\L\\continuum'), files.tokenPath);
  });

  it('puts the directory in a private XDG_RUNTIME_DIR, else the state directory, else /tmp/continuum-UID', async () => {
    const runtime = join(root, 'runtime');
    await mkdir(runtime, { mode: 0o700 });
    const state = join(root, 'state');
    assert.equal(
      leaseDirectory(pathsWith({ XDG_RUNTIME_DIR: runtime, XDG_STATE_HOME: state })),
      join(runtime, 'continuum'),
    );
    await chmod(runtime, 0o755);
    assert.equal(
      leaseDirectory(pathsWith({ XDG_RUNTIME_DIR: runtime, XDG_STATE_HOME: state })),
      join(state, 'continuum', 'run'),
      'a runtime directory others can read is not used',
    );
    const longState = `/${'s'.repeat(90)}`;
    assert.equal(leaseDirectory(pathsWith({ XDG_STATE_HOME: longState })), `/tmp/continuum-${uid}`);
    assert.equal(
      leaseDirectory(pathsWith({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32')),
      'C:\\Users\\me\\AppData\\Local\\continuum',
    );
  });

  it("never makes tmux's own socket directory again once it is gone (its server is gone with it)", async () => {
    const socketDirectory = join(root, 'gone', `tmux-${process.getuid!()}`);
    await assert.rejects(ensureLeaseDirectory(join(socketDirectory, 'continuum')), { code: 'ENOENT' });
    assert.equal(await stat(join(root, 'gone')).catch(() => undefined), undefined);
    await mkdir(socketDirectory, { recursive: true, mode: 0o700 });
    await ensureLeaseDirectory(join(socketDirectory, 'continuum'));
    assert.equal((await stat(join(socketDirectory, 'continuum'))).mode & 0o777, 0o700);
  });

  it('refuses a symlink or a directory of another user, and tightens its own loose directory', async () => {
    const loose = join(root, 'loose');
    await mkdir(loose, { mode: 0o755 });
    await chmod(loose, 0o755);
    await ensureLeaseDirectory(loose);
    assert.equal((await stat(loose)).mode & 0o777, 0o700);

    const target = join(root, 'target');
    await mkdir(target, { mode: 0o700 });
    const link = join(root, 'link');
    await symlink(target, link);
    await assert.rejects(ensureLeaseDirectory(link), UnsafeDirectoryError);

    // Clients say what is wrong with the directory rather than "no daemon"; a missing one is fine.
    assert.throws(() => assertPrivateOrMissing(link, 'linux'), /not a directory/);
    const open = join(root, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    assert.throws(() => assertPrivateOrMissing(open, 'linux'), /mode is 777/);
    assert.doesNotThrow(() => assertPrivateOrMissing(join(root, 'missing'), 'linux'));
    assert.doesNotThrow(() => assertPrivateOrMissing(target, 'linux'));

    if (uid !== 0) return;
    const foreign = join(root, 'foreign');
    await mkdir(foreign, { mode: 0o700 });
    await chown(foreign, 65534, 65534);
    await assert.rejects(ensureLeaseDirectory(foreign), /belongs to uid 65534/);
    await assert.rejects(tryAcquireLease('daemon-x', { runtimeDirectory: foreign }), UnsafeDirectoryError);
  });

  it('gives the lease to exactly one of many racers, and to the next after release', async () => {
    const runtimeDirectory = join(root, 'race');
    const key = leaseKey('daemon', 'race');
    const leases = await Promise.all(
      Array.from({ length: 20 }, () => tryAcquireLease(key, { runtimeDirectory })),
    );
    const held = leases.filter((lease): lease is Lease => lease !== undefined);
    assert.equal(held.length, 1);
    assert.equal(await probe(held[0]!.address), 'live');
    await held[0]!.release();
    assert.equal(await probe(held[0]!.address), 'gone');
    const next = await tryAcquireLease(key, { runtimeDirectory });
    assert.ok(next);
    await next.release();
    // No temporary or grave files are left behind.
    assert.deepEqual(await readdir(runtimeDirectory), []);
  });

  it('takes over the socket file of a holder that died, once, whoever races for it', async () => {
    const runtimeDirectory = join(root, 'stale');
    await ensureLeaseDirectory(runtimeDirectory);
    const key = leaseKey('daemon', 'stale');
    const address = leaseAddress(key, { runtimeDirectory });
    for (let round = 0; round < 20; round += 1) {
      await staleSocketFile(address);
      assert.equal(await probe(address), 'dead');
      // Each racer knows which one it is: the one that reads the marker is the one at the address.
      const reached = new Set<number>();
      const leases = await Promise.all(
        Array.from({ length: 20 }, (_, racer) =>
          tryAcquireLease(key, {
            runtimeDirectory,
            onConnection: (socket) =>
              socket.on('data', (data) => {
                if (data.toString() === 'marker') reached.add(racer);
              }),
          }),
        ),
      );
      try {
        const holders = leases.flatMap((lease, racer) => (lease ? [racer] : []));
        assert.equal(holders.length, 1, `round ${round}: exactly one holder, not ${holders.length}`);
        await new Promise<void>((resolve, reject) => {
          const socket = createConnection({ path: address }, () => socket.end('marker', () => resolve()));
          socket.once('error', reject);
        });
        await waitFor(async () => reached.size > 0, 2000, 'the holder to read the marker');
        assert.deepEqual([...reached], holders, `round ${round}: the holder answers at the address`);
      } finally {
        // A failed round must not leave a listening server keeping the test process alive.
        for (const lease of leases) await lease?.release();
      }
      assert.equal(await probe(address), 'gone');
    }
    assert.deepEqual(await readdir(runtimeDirectory), [], 'no temporary or claim file is left');
  });
});
