import { createHash, randomBytes } from 'node:crypto';
import { constants, lstatSync } from 'node:fs';
import { link, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { errorCode, UnsafeDirectoryError } from '../errors.js';
import { currentUser, privateDirectoryFaults } from '../files/ownership.js';
import { type PathEnvironment, stateDirectory } from './paths.js';
import { type WindowsUser, windowsPipeName, windowsUserOf } from './windows-pipe.js';

/**
 * A lease is a listening socket with a well-known name: the kernel answers connections only while
 * its holder lives, however it exits (SIGKILL included). On Windows it is a named pipe; elsewhere a
 * socket FILE in a directory only this user can create files in (0700, owned by the user, never
 * reached through a symlink). The Linux abstract namespace is not used: its names have no
 * permissions, so another user could take them first and switch off this user's daemon, block
 * restores and answer `status` with lies.
 */
export interface Lease {
  readonly address: string;
  /** The listening server: the daemon also answers `status` on it. */
  readonly server: Server;
  /** True while the kernel still holds the name for us. */
  isHeld(): boolean;
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** The private directory the socket files live in: `leaseDirectory(paths)`. */
  readonly runtimeDirectory: string;
  readonly platform?: NodeJS.Platform;
  /** Called for each connection, for leases that also serve requests. */
  readonly onConnection?: (socket: Socket) => void;
  /** Errors of the listening socket after it listens (EMFILE on accept): reported, never fatal. */
  readonly onError?: (error: Error) => void;
  /** On Windows, whose pipe names are global: the user and the server, named in the pipe. */
  readonly windowsPipe?: { readonly user: WindowsUser; readonly server: string };
}

/** The longest socket path the kernel accepts: sun_path is 108 bytes on Linux, 104 on the BSDs and macOS, NUL included. */
export function maximumSocketPathBytes(platform: NodeJS.Platform): number {
  return platform === 'linux' ? 107 : 103;
}

/** `.t-` + 16 hex + `.sock`, the temporary name a socket is bound at before it is linked into place. */
const longestNameBytes = 24;

/** A stable, short name for a lease: the directory is per user, so only purpose and identity count. */
export function leaseKey(purpose: string, identity: string): string {
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return `${purpose}-${digest}`;
}

/**
 * Where this user's lease sockets live: `$XDG_RUNTIME_DIR/continuum` when that directory is set
 * and private to the user (as the XDG spec requires), else `run` in the state directory, else
 * `/tmp/continuum-UID` when those paths are too long for a socket. Every caller with the same
 * environment picks the same directory.
 */
export function leaseDirectory(paths: PathEnvironment): string {
  if (paths.platform === 'win32') return stateDirectory(paths);
  const fits = (directory: string): boolean =>
    Buffer.byteLength(directory) + 1 + longestNameBytes <= maximumSocketPathBytes(paths.platform);
  const runtime = paths.environment.XDG_RUNTIME_DIR;
  if (runtime && isAbsolute(runtime) && isPrivateDirectorySync(runtime)) {
    const candidate = join(runtime, 'continuum');
    if (fits(candidate)) return candidate;
  }
  const state = join(stateDirectory(paths), 'run');
  if (fits(state)) return state;
  return `/tmp/continuum-${currentUser() ?? 'user'}`;
}

/**
 * Where the leases of one server live. For a server in tmux's own socket directory (`tmux-UID`,
 * which tmux itself refuses to use unless it is the user's with no access for others), a
 * `continuum` directory inside it: found from the socket path alone, so every continuum started
 * for that server (from cron or a unit without `XDG_RUNTIME_DIR`, under another `HOME` or
 * `TMUX_TMPDIR`) meets the same lease, and it lasts as long as the server's own socket (logind
 * removes `/run/user/UID` at the last logout while tmux runs on). Other servers (`-S` elsewhere,
 * psmux namespaces, Windows) fall back to the user's lease directory (`leaseDirectory`).
 */
export function serverLeaseDirectory(server: string, paths: PathEnvironment): string {
  const uid = currentUser();
  if (paths.platform !== 'win32' && uid !== undefined && isAbsolute(server)) {
    const socketDirectory = dirname(server);
    const candidate = join(socketDirectory, 'continuum');
    if (
      basename(socketDirectory) === `tmux-${uid}` &&
      Buffer.byteLength(candidate) + 1 + longestNameBytes <= maximumSocketPathBytes(paths.platform) &&
      isPrivateDirectorySync(socketDirectory)
    )
      return candidate;
  }
  return leaseDirectory(paths);
}

export function leaseAddress(key: string, options: LeaseOptions): string {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') {
    // Without a user and server given, the pipe name of earlier versions, `continuum-PURPOSE-0-HASH`.
    if (!options.windowsPipe) return `\\\\.\\pipe\\continuum-${key.replace(/-(?=[0-9a-f]{16}$)/, '-0-')}`;
    const purpose = key.replace(/-[0-9a-f]{16}$/, '');
    return windowsPipeName(purpose, options.windowsPipe.user, options.windowsPipe.server);
  }
  const plain = join(options.runtimeDirectory, `${key}.sock`);
  if (Buffer.byteLength(plain) <= maximumSocketPathBytes(platform)) return plain;
  // A long key (the directory was chosen to leave room for a short name) becomes its hash.
  return join(
    options.runtimeDirectory,
    `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.sock`,
  );
}

/**
 * The options of every lease of one server: this user's lease directory, and on Windows, whose
 * pipe names are global, the user and the server to name in the pipe.
 */
export function leaseOptionsFor(paths: PathEnvironment, server: string): LeaseOptions {
  return {
    runtimeDirectory: serverLeaseDirectory(server, paths),
    platform: paths.platform,
    ...(paths.platform === 'win32'
      ? { windowsPipe: { user: windowsUserOf(paths.environment), server } }
      : {}),
  };
}

/** Takes the lease, or returns undefined when another live process holds it. */
export async function tryAcquireLease(key: string, options: LeaseOptions): Promise<Lease | undefined> {
  const address = leaseAddress(key, options);
  if ((options.platform ?? process.platform) === 'win32') {
    const server = await listen(address, options);
    return server ? makeLease(address, server, undefined) : undefined;
  }
  await ensureLeaseDirectory(options.runtimeDirectory);
  return acquireSocketFile(address, options);
}

/** Waits for the lease up to `timeoutMilliseconds`, polling; undefined when it stays taken. */
export async function acquireLease(
  key: string,
  options: LeaseOptions & { timeoutMilliseconds: number },
): Promise<Lease | undefined> {
  // The monotonic clock: a wall clock stepped back (by NTP, by hand, by faketime) would put a
  // Date.now() deadline hours or a year away, and the wait would never end.
  const deadline = performance.now() + options.timeoutMilliseconds;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const lease = await tryAcquireLease(key, options);
    if (lease || performance.now() >= deadline) return lease;
    await new Promise((done) => setTimeout(done, delay));
  }
}

/**
 * Makes the directory if needed and checks it without following a symlink: a directory, owned by
 * this user, with no group or other bits (tightened when it is ours but looser). Anything else is
 * refused, since whoever owns it could put a socket of theirs at our names.
 */
export async function ensureLeaseDirectory(directory: string): Promise<void> {
  // tmux's own socket directory (`tmux-UID`, serverLeaseDirectory) is never made by continuum: gone,
  // its server is gone too, and a daemon on its last lap must not make it again (it would outlive
  // a test's or a user's cleanup). The mkdir below then fails with ENOENT.
  if (!/^tmux-\d+$/.test(basename(dirname(directory))))
    await mkdir(dirname(directory), { recursive: true, mode: 0o700 });
  await mkdir(directory, { mode: 0o700 }).catch((error: unknown) => {
    if (errorCode(error) !== 'EEXIST') throw error;
  });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP' || code === 'ENOTDIR')
      throw new UnsafeDirectoryError(directory, 'it is not a directory (a symlink?)');
    throw new UnsafeDirectoryError(directory, code ?? String(error));
  }
  try {
    const info = await handle.stat();
    const uid = currentUser();
    const faults = privateDirectoryFaults(info, uid);
    if (faults.includes('other-owner')) {
      throw new UnsafeDirectoryError(directory, `it belongs to uid ${info.uid}, not to you (uid ${uid})`);
    }
    // Through the open handle: the directory checked is the one changed.
    if (faults.includes('open-to-others')) await handle.chmod(0o700);
  } finally {
    await handle.close();
  }
}

/**
 * For clients: throws when the lease directory exists but is not this user's private one, so a
 * command says what is wrong with it instead of "no daemon" (a missing one is fine: nothing
 * listens there yet).
 */
export function assertPrivateOrMissing(
  directory: string,
  platform: NodeJS.Platform = process.platform,
): void {
  if (platform === 'win32') return;
  let info: ReturnType<typeof lstatSync>;
  try {
    info = lstatSync(directory, { throwIfNoEntry: false });
  } catch (error) {
    throw new UnsafeDirectoryError(directory, errorCode(error) ?? String(error));
  }
  if (info === undefined) return;
  const uid = currentUser();
  switch (privateDirectoryFaults(info, uid)[0]) {
    case 'symbolic-link':
    case 'not-directory':
      throw new UnsafeDirectoryError(directory, 'it is not a directory (a symlink?)');
    case 'other-owner':
      throw new UnsafeDirectoryError(directory, `it belongs to uid ${info.uid}, not to you (uid ${uid})`);
    case 'open-to-others':
      throw new UnsafeDirectoryError(directory, `its mode is ${(info.mode & 0o777).toString(8)}, not 700`);
    case undefined:
      return;
  }
}

/** True when the directory is this user's own, not a symlink, with no group or other bits. */
export function isPrivateDirectorySync(directory: string): boolean {
  try {
    return privateDirectoryFaults(lstatSync(directory), currentUser()).length === 0;
  } catch {
    return false;
  }
}

interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly birthtimeMs: number;
}

/** Same file: an inode number is reused at once after a delete, its birth time is not. */
const sameFile = (one: FileIdentity, other: FileIdentity): boolean =>
  one.dev === other.dev && one.ino === other.ino && one.birthtimeMs === other.birthtimeMs;

/** A reclaim takes milliseconds; a claim this old was left by a process that died in the middle. */
const staleClaimMilliseconds = 10_000;

/**
 * The socket is bound at a temporary name, then hard-linked to the lease's name: `link` fails when
 * the name exists, so of any number of racers exactly one gets it. A name left by a holder that
 * died (connect refused) is deleted only by whoever claims that very file, see `removeDeadSocket`.
 */
async function acquireSocketFile(address: string, options: LeaseOptions): Promise<Lease | undefined> {
  const directory = dirname(address);
  const temporary = join(directory, `.t-${randomBytes(8).toString('hex')}.sock`);
  const server = await listen(temporary, options);
  if (!server) return undefined;
  try {
    const ours = await lstat(temporary);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        await link(temporary, address);
        await unlink(temporary).catch(() => undefined);
        return makeLease(address, server, ours);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const found = await lstat(address).catch(() => undefined);
      if (!found) continue;
      const state = await probe(address);
      if (state === 'live') break;
      if (state === 'dead') await removeDeadSocket(address, found);
    }
  } catch (error) {
    await closeServer(server);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await closeServer(server);
  await unlink(temporary).catch(() => undefined);
  return undefined;
}

/**
 * Deletes the dead socket file `dead` from `address`, if it is still there, without ever deleting
 * a live one. The claim `.c-INODE`, a hard link made from the name, lets one racer at a time deal
 * with that file; while it stands, the name can only stop being the dead file by the claimer's
 * hand (a `link` never replaces), so a second probe under the claim and the delete see the same
 * file. Everyone else only ever adds the name with `link`.
 */
async function removeDeadSocket(address: string, dead: FileIdentity): Promise<void> {
  const claim = join(dirname(address), `.c-${dead.ino}`);
  try {
    await link(address, claim);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') {
      const info = await lstat(claim).catch(() => undefined);
      // ctime, not mtime: the claim shares the dead file's inode, and `link` sets its ctime.
      if (info && Date.now() - info.ctimeMs > staleClaimMilliseconds)
        await unlink(claim).catch(() => undefined);
      return;
    }
    if (code === 'ENOENT') return;
    throw error;
  }
  try {
    const claimed = await lstat(claim);
    // The name had already changed to another file when the claim was made: nothing of ours.
    if (!sameFile(claimed, dead)) return;
    if ((await probe(address)) !== 'dead') return;
    const current = await lstat(address).catch(() => undefined);
    if (current && sameFile(current, dead)) await unlink(address).catch(() => undefined);
  } finally {
    await unlink(claim).catch(() => undefined);
  }
}

function makeLease(address: string, server: Server, identity: FileIdentity | undefined): Lease {
  let held = true;
  server.on('close', () => {
    held = false;
  });
  return {
    address,
    server,
    isHeld: () => held && server.listening,
    release: async () => {
      if (!held) return;
      held = false;
      // The name goes first, and only if it still is our socket: a successor may hold it already.
      if (identity) {
        const current = await lstat(address).catch(() => undefined);
        if (current && sameFile(current, identity)) await unlink(address).catch(() => undefined);
      }
      await closeServer(server);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => server.close(() => done()));
}

function listen(address: string, options: LeaseOptions): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer(options.onConnection ?? ((socket) => socket.destroy()));
    const onListenError = (error: Error): void => {
      if (errorCode(error) === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    };
    server.once('error', onListenError);
    server.listen({ path: address, exclusive: true }, () => {
      server.off('error', onListenError);
      // An accept that fails (EMFILE under a flood) is an 'error' event: without a listener it
      // would end the process without a word.
      server.on('error', (error) => options.onError?.(error));
      resolve(server);
    });
  });
}

/**
 * What listens at a socket file: `live` when a connection is accepted, `dead` when the kernel
 * refuses it (nobody listens: the holder died), `gone` when there is no file. Anything else (a
 * full backlog under load, a timeout) counts as live: a holder must never be replaced by mistake.
 */
export function probe(address: string, timeoutMilliseconds = 1000): Promise<'live' | 'dead' | 'gone'> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: address });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('live');
    }, timeoutMilliseconds);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      const code = errorCode(error);
      resolve(code === 'ECONNREFUSED' ? 'dead' : code === 'ENOENT' ? 'gone' : 'live');
    });
  });
}
