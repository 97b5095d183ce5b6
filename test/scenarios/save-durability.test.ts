import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, statfs, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { namedServerIdentity } from '../../src/server/server-identity.js';
import { SaveStore } from '../../src/store/save-store.js';
import { run, spawn, TestServer } from '../support/tmux-server.js';

/** The pid of a process that has exited: no writer by that pid is alive. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.once('exit', done));
  return child.pid!;
}

async function makeOld(path: string): Promise<void> {
  const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
  await utimes(path, tenMinutesAgo, tenMinutesAgo);
}

describe('save durability', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.start('work');
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('a full disk fails the save with exit 7 and says so; the previous save stays whole and in use', async (t) => {
    const disk = join(server.root, 'small-disk');
    await mkdir(disk);
    const mounted = await run(
      'mount',
      ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', disk],
      process.env,
    );
    if (mounted.code !== 0) {
      t.skip(`cannot mount a tmpfs: ${mounted.stderr.trim() || `mount exited with code ${mounted.code}`}`);
      return;
    }
    try {
      const saves = join(disk, 'saves');
      const first = await server.cli('--dir', saves, 'save');
      assert.equal(first.code, 0, first.stderr);
      const [good] = await readdir(saves).then((names) => names.filter((name) => name.endsWith('.json')));
      assert.ok(good);

      // Leave 8 KiB free, then make the next save some 30 KiB.
      const { bavail, bsize } = await statfs(disk);
      await writeFile(join(disk, 'filler'), Buffer.alloc(bavail * bsize - 8 * 1024));
      const windows = Array.from({ length: 40 }, (_, index) => [
        'new-window',
        '-d',
        '-t',
        '=work:',
        '-n',
        `window ${index} ${'x'.repeat(300)}`,
      ]);
      await server.tmux(...windows.flatMap((command, index) => (index === 0 ? command : [';', ...command])));

      const full = await server.cli('--dir', saves, 'save');
      assert.equal(full.code, 7, `${full.stdout}${full.stderr}`);
      assert.match(
        full.stderr,
        /^continuum: cannot write to .*\/saves\/continuum-[^ ]*\.json: the disk holding it is full \(ENOSPC\) — free some space on that disk/,
      );
      assert.doesNotMatch(full.stderr, /permissions/);
      // Nothing truncated under a save's name, no temporary file, the previous save still the newest.
      assert.deepEqual(await readdir(saves), [good]);
      const loaded = await new SaveStore(saves, namedServerIdentity(server.socketName)).load();
      assert.equal(loaded.path, join(saves, good));
      assert.deepEqual(
        loaded.snapshot.sessions.map((session) => session.windows.length),
        [1],
      );

      // With space again, the same save goes through.
      await rm(join(disk, 'filler'));
      const again = await server.cli('--dir', saves, 'save');
      assert.equal(again.code, 0, again.stderr);
      assert.equal(
        (await new SaveStore(saves, namedServerIdentity(server.socketName)).load()).snapshot.sessions[0]!
          .windows.length,
        41,
      );
    } finally {
      const unmounted = await run('umount', [disk], process.env);
      assert.equal(unmounted.code, 0, unmounted.stderr);
    }
  });

  it('never writes through a symlinked last: the file it points to keeps its bytes', async () => {
    // A save directory shared with tmux-resurrect: its `last` is a symlink to its newest save.
    await mkdir(server.saveDirectory, { recursive: true, mode: 0o700 });
    const theirs = join(server.saveDirectory, 'tmux_resurrect_20261124T120000.txt');
    const content = 'pane\twork\t0\t:*\t0\t:/home/user\t1\tbash\t:\n';
    await writeFile(theirs, content);
    await symlink('tmux_resurrect_20261124T120000.txt', join(server.saveDirectory, 'last'));
    await server.cli('save');
    assert.equal(await readFile(theirs, 'utf8'), content);
    const names = await readdir(server.saveDirectory);
    assert.deepEqual(
      names.filter((name) => name.startsWith('.continuum-tmp-')),
      [],
    );
  });

  it('the next save removes temporary files that killed writers left, and nothing else', async () => {
    const saves = server.saveDirectory;
    const temporary = join(server.root, 'tmp');
    await mkdir(saves, { recursive: true, mode: 0o700 });
    await mkdir(temporary, { recursive: true }); // TestServer made it: the TMPDIR of its processes
    const dead = await deadPid();
    const oldSave = 'continuum-2026-11-24T12-00-00-000Z-server-1795522571-4242';
    const stale = [
      `${oldSave}.json.3141592653`, // write-file-atomic's names, ten minutes old
      'last.5678',
      `.continuum-tmp-${dead}-0123456789ab`, // ours, of a dead writer
    ];
    const kept = [
      `.continuum-tmp-${process.pid}-0123456789ab`, // ours, of a live writer, fresh
      'last.1234', // write-file-atomic's, fresh: an older continuum may be writing it now
      'tmux_resurrect_20261124T120000.txt',
      'pane_contents.tar.gz',
    ];
    for (const name of [...stale, ...kept]) await writeFile(join(saves, name), 'leftover');
    for (const name of stale.slice(0, 2)) await makeOld(join(saves, name));
    const scripts = {
      dead: `continuum-script-${dead}-AbC123`,
      old: 'continuum-k3J9qZ',
      live: `continuum-script-${process.pid}-AbC123`,
      unrelated: 'continuum-test-AbC123',
    };
    for (const name of Object.values(scripts)) {
      await mkdir(join(temporary, name));
      await writeFile(join(temporary, name, 'restore.tmux'), 'new-window\n');
    }
    await makeOld(join(temporary, scripts.old, 'restore.tmux'));
    await makeOld(join(temporary, scripts.old));

    const result = await server.cliRaw(['-L', server.socketName, 'save'], {
      ...server.environment,
      TMPDIR: temporary,
    });
    assert.equal(result.code, 0, result.stderr);
    const left = await readdir(saves);
    assert.deepEqual(
      left.filter((name) => stale.includes(name)),
      [],
    );
    assert.deepEqual(left.filter((name) => kept.includes(name)).sort(), [...kept].sort());
    assert.deepEqual((await readdir(temporary)).sort(), [scripts.live, scripts.unrelated].sort());
  });
});
