import assert from 'node:assert/strict';
import { chmod, chown, lstat, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UnsafeDirectoryError } from '../../../src/errors.js';
import { privateDirectoryFaults, privateDirectoryProblem } from '../../../src/files/ownership.js';
import {
  assertPrivateOrMissing,
  ensureLeaseDirectory,
  isPrivateDirectorySync,
} from '../../../src/platform/lease.js';

/** Another user's uid (nobody): directories are given to it with chown, which needs root. */
const stranger = 65534;
const user = process.getuid?.();
const noUids = user === undefined ? 'this platform has no uids' : false;
const notRoot = user !== 0 ? 'chown to another user needs root' : false;

/**
 * Real directories for every case the one private-directory rule tells apart: each site that
 * checks a directory (files/, platform/) is run on them, with the messages it gave before the
 * rule was shared. ensurePrivateDirectory's cases are in atomic-write.test.ts.
 */
describe('the private-directory check', { skip: noUids }, () => {
  let root: string;
  let privateDirectory: string;
  let openDirectory: string;
  let link: string;
  let file: string;
  let strangers: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuum-private-directory-'));
    privateDirectory = join(root, 'private');
    await mkdir(privateDirectory, { mode: 0o700 });
    openDirectory = join(root, 'open');
    await mkdir(openDirectory);
    await chmod(openDirectory, 0o755);
    link = join(root, 'link');
    await symlink(privateDirectory, link);
    file = join(root, 'file');
    await writeFile(file, '', { mode: 0o600 });
    strangers = join(root, 'strangers');
    await mkdir(strangers, { mode: 0o700 });
    if (!notRoot) await chown(strangers, stranger, stranger);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('privateDirectoryFaults', () => {
    it('finds nothing wrong with a 0700 directory of the user', async () => {
      assert.deepEqual(privateDirectoryFaults(await lstat(privateDirectory), user), []);
    });

    it('finds a 0755 directory open to others', async () => {
      assert.deepEqual(privateDirectoryFaults(await lstat(openDirectory), user), ['open-to-others']);
    });

    it('finds a symbolic link, even to a private directory, and that it is no directory', async () => {
      assert.deepEqual(privateDirectoryFaults(await lstat(link), user).slice(0, 2), [
        'symbolic-link',
        'not-directory',
      ]);
    });

    it('finds a regular file is no directory', async () => {
      assert.deepEqual(privateDirectoryFaults(await lstat(file), user), ['not-directory']);
    });

    it('finds a 0700 directory of another user', { skip: notRoot }, async () => {
      assert.deepEqual(privateDirectoryFaults(await lstat(strangers), user), ['other-owner']);
    });

    it('checks no owner where there are no uids', { skip: notRoot }, async () => {
      assert.deepEqual(privateDirectoryFaults(await lstat(strangers), undefined), []);
    });
  });

  describe('privateDirectoryProblem (the pane directory)', () => {
    it('names each fault with its path', async () => {
      assert.equal(await privateDirectoryProblem(privateDirectory), undefined);
      assert.equal(
        await privateDirectoryProblem(openDirectory),
        `${openDirectory} is open to other users (mode 0755)`,
      );
      assert.equal(await privateDirectoryProblem(link), `${link} is a symbolic link`);
      assert.equal(await privateDirectoryProblem(file), `${file} is not a directory`);
    });

    it('names another owner', { skip: notRoot }, async () => {
      assert.equal(
        await privateDirectoryProblem(strangers),
        `${strangers} belongs to another user (uid ${stranger})`,
      );
    });
  });

  describe('the lease directory', () => {
    it('assertPrivateOrMissing accepts a private or missing directory and refuses the rest', async () => {
      assertPrivateOrMissing(privateDirectory);
      assertPrivateOrMissing(join(root, 'missing'));
      const refusal = (path: string, reason: string) => () =>
        assert.throws(
          () => assertPrivateOrMissing(path),
          (error: unknown) =>
            error instanceof UnsafeDirectoryError && error.message === `refusing to use ${path}: ${reason}`,
        );
      refusal(openDirectory, 'its mode is 755, not 700')();
      refusal(link, 'it is not a directory (a symlink?)')();
      refusal(file, 'it is not a directory (a symlink?)')();
      if (!notRoot) refusal(strangers, `it belongs to uid ${stranger}, not to you (uid ${user})`)();
    });

    it('isPrivateDirectorySync says yes only to a private directory', async () => {
      assert.equal(isPrivateDirectorySync(privateDirectory), true);
      for (const path of [openDirectory, link, file, join(root, 'missing')])
        assert.equal(isPrivateDirectorySync(path), false, path);
      if (!notRoot) assert.equal(isPrivateDirectorySync(strangers), false, strangers);
    });

    it('ensureLeaseDirectory tightens a directory of the user to 0700', async () => {
      const loose = join(root, 'loose-lease');
      await mkdir(loose);
      await chmod(loose, 0o755);
      await ensureLeaseDirectory(loose);
      assert.equal((await stat(loose)).mode & 0o777, 0o700);
    });

    it('ensureLeaseDirectory refuses a symlink', async () => {
      await assert.rejects(ensureLeaseDirectory(link), {
        message: `refusing to use ${link}: it is not a directory (a symlink?)`,
      });
    });

    it('ensureLeaseDirectory refuses another user’s directory and leaves its mode', {
      skip: notRoot,
    }, async () => {
      const theirs = join(root, 'their-lease');
      await mkdir(theirs);
      await chmod(theirs, 0o755);
      await chown(theirs, stranger, stranger);
      await assert.rejects(ensureLeaseDirectory(theirs), {
        message: `refusing to use ${theirs}: it belongs to uid ${stranger}, not to you (uid ${user})`,
      });
      assert.equal((await stat(theirs)).mode & 0o777, 0o755);
    });
  });
});
