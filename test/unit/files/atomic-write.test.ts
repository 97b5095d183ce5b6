import assert from 'node:assert/strict';
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exitCodes, UnwritableError } from '../../../src/errors.js';
import { ensurePrivateDirectory, writeFileAtomically } from '../../../src/files/atomic-write.js';

describe('writeFileAtomically', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes every byte to a 0600 file, replaces a regular file, and leaves no temporary file', async () => {
    const path = join(directory, 'save.json');
    await writeFile(path, 'old', { mode: 0o644 });
    const content = Buffer.alloc(3 * 1024 * 1024, 'x');
    await writeFileAtomically(path, content);
    assert.ok((await readFile(path)).equals(content));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(directory), ['save.json']);
  });

  it('never writes through a symlink at the destination: the target keeps its bytes', async () => {
    // tmux-resurrect's `last` is a symlink to its newest save; write-file-atomic followed it.
    const target = join(directory, 'tmux_resurrect_20261124T120000.txt');
    await writeFile(target, 'pane\twork\t0\n');
    const link = join(directory, 'last');
    await symlink('tmux_resurrect_20261124T120000.txt', link);
    await assert.rejects(writeFileAtomically(link, 'continuum-x.json\n'), (error: unknown) => {
      assert.ok(error instanceof UnwritableError);
      assert.equal(error.exitCode, exitCodes.unwritable);
      assert.match(error.message, /last: it is a symbolic link/);
      return true;
    });
    assert.equal(await readFile(target, 'utf8'), 'pane\twork\t0\n');
    assert.equal(await readlink(link), 'tmux_resurrect_20261124T120000.txt');
    assert.deepEqual((await readdir(directory)).sort(), ['last', 'tmux_resurrect_20261124T120000.txt']);
  });

  it('refuses a dangling symlink and creates nothing where it points', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const link = join(directory, 'last');
      await symlink(join(elsewhere, 'planted'), link);
      await assert.rejects(writeFileAtomically(link, 'data'), UnwritableError);
      assert.deepEqual(await readdir(elsewhere), []);
      assert.ok((await lstat(link)).isSymbolicLink());
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a directory at the destination', async () => {
    await mkdir(join(directory, 'last'));
    await assert.rejects(writeFileAtomically(join(directory, 'last'), 'data'), /it is a directory/);
    assert.deepEqual(await readdir(join(directory, 'last')), []);
    assert.deepEqual(await readdir(directory), ['last']);
  });
});

describe('ensurePrivateDirectory', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('tightens its own directory to 0700', async () => {
    const directory = join(root, 'saves');
    await mkdir(directory, { mode: 0o755 });
    await chmod(directory, 0o755);
    await ensurePrivateDirectory(directory);
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
  });

  it('uses a symlinked directory of the user but never chmods through the link', async () => {
    const target = join(root, 'shared');
    await mkdir(target);
    await chmod(target, 0o755);
    const link = join(root, 'saves');
    await symlink(target, link);
    await ensurePrivateDirectory(link);
    assert.equal((await stat(target)).mode & 0o777, 0o755);
    assert.ok((await lstat(link)).isSymbolicLink());
  });

  it('refuses a symlink to a directory another user owns', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to give a directory to another user');
      return;
    }
    const target = join(root, 'theirs');
    await mkdir(target);
    await chown(target, 65534, 65534);
    await chmod(target, 0o777);
    const link = join(root, 'saves');
    await symlink(target, link);
    await assert.rejects(ensurePrivateDirectory(link), /symbolic link to a directory you do not own/);
    assert.equal((await stat(target)).mode & 0o777, 0o777);
  });
});

describe('UnwritableError', () => {
  const cause = (code: string) => Object.assign(new Error(code), { code });

  it('says a full disk is full, and to free space, not to fix permissions', () => {
    const error = new UnwritableError('/saves/continuum-x.json', cause('ENOSPC'));
    assert.equal(error.exitCode, exitCodes.unwritable);
    assert.equal(
      error.message,
      'cannot write to /saves/continuum-x.json: the disk holding it is full (ENOSPC)',
    );
    assert.match(error.hint!, /^free some space on that disk/);
  });

  it('says a quota is full', () => {
    const error = new UnwritableError('/saves/last', cause('EDQUOT'));
    assert.equal(error.message, 'cannot write to /saves/last: your disk quota for it is full (EDQUOT)');
    assert.match(error.hint!, /^free some space within your quota/);
  });

  it('says a read-only file system is read-only', () => {
    const error = new UnwritableError('/saves/last', cause('EROFS'));
    assert.equal(error.message, 'cannot write to /saves/last: it is on a read-only file system (EROFS)');
    assert.match(error.hint!, /^remount that file system read-write/);
  });

  it('sends permission errors to the permissions, and EPERM to the file attributes', () => {
    const denied = new UnwritableError('/saves', cause('EACCES'));
    assert.equal(denied.message, 'cannot write to /saves: permission denied (EACCES)');
    assert.match(denied.hint!, /^give yourself write permission on it \(chmod u\+w\)/);
    // An immutable directory refuses with EPERM, root included: no mode bit would help.
    const refused = new UnwritableError('/saves', cause('EPERM'));
    assert.match(
      refused.message,
      /^cannot write to \/saves: the operation is not permitted \(EPERM: an immutable/,
    );
    assert.match(refused.hint!, /lsattr -d.*chattr -i/);
  });
});
