import { createHash } from 'node:crypto';
import { mkdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { errorCode } from '../errors.js';

/**
 * A lease is a listening socket with a well-known name. Binding is atomic in the kernel and the
 * kernel releases it when the holder exits, however it exits (SIGKILL included), so there is no
 * check-then-write window and no stale PID file. Linux uses the abstract namespace (no file),
 * Windows a named pipe; other systems a socket file in the state directory, whose stale copy is
 * reclaimed under a short mkdir lock.
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
  /** Where socket files live on systems without an abstract namespace or named pipes. */
  readonly runtimeDirectory: string;
  readonly platform?: NodeJS.Platform;
  /** Called for each connection, for leases that also serve requests. */
  readonly onConnection?: (socket: Socket) => void;
}

/** A stable, short name for a lease: socket path limits are ~100 bytes. */
export function leaseKey(purpose: string, identity: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return `continuum-${purpose}-${uid}-${digest}`;
}

export function leaseAddress(key: string, options: LeaseOptions): string {
  const platform = options.platform ?? process.platform;
  if (platform === 'linux') return `\0${key}`;
  if (platform === 'win32') return `\\\\.\\pipe\\${key}`;
  return join(options.runtimeDirectory, `${key}.sock`);
}

/** Takes the lease, or returns undefined when another live process holds it. */
export async function tryAcquireLease(key: string, options: LeaseOptions): Promise<Lease | undefined> {
  const address = leaseAddress(key, options);
  const usesFile = !address.startsWith('\0') && !address.startsWith('\\\\.\\pipe\\');
  if (usesFile) await mkdir(options.runtimeDirectory, { recursive: true, mode: 0o700 });
  const server = await listen(address, options.onConnection);
  if (server) return makeLease(address, server, usesFile);
  if (!usesFile || (await answers(address))) return undefined;
  return reclaimStaleSocketFile(address, options.onConnection);
}

/** Waits for the lease up to `timeoutMilliseconds`, polling; undefined when it stays taken. */
export async function acquireLease(
  key: string,
  options: LeaseOptions & { timeoutMilliseconds: number },
): Promise<Lease | undefined> {
  const deadline = Date.now() + options.timeoutMilliseconds;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const lease = await tryAcquireLease(key, options);
    if (lease || Date.now() >= deadline) return lease;
    await new Promise((done) => setTimeout(done, delay));
  }
}

function makeLease(address: string, server: Server, usesFile: boolean): Lease {
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
      await new Promise<void>((done) => server.close(() => done()));
      if (usesFile) await unlink(address).catch(() => undefined);
    },
  };
}

function listen(
  address: string,
  onConnection: ((socket: Socket) => void) | undefined,
): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection ?? ((socket) => socket.destroy()));
    server.once('error', (error) => {
      if (errorCode(error) === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    server.listen({ path: address, exclusive: true }, () => resolve(server));
  });
}

/** True when something accepts connections at the address. */
export function answers(address: string, timeoutMilliseconds = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: address });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(true);
    }, timeoutMilliseconds);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function reclaimStaleSocketFile(
  address: string,
  onConnection: ((socket: Socket) => void) | undefined,
): Promise<Lease | undefined> {
  // Two reclaimers must not both unlink and bind: the mkdir lock lets one in at a time, and a
  // lock left by a reclaimer that died is itself reclaimed after a few seconds.
  const lock = `${address}.reclaim`;
  try {
    await mkdir(lock);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 5000) await rmdir(lock).catch(() => undefined);
    return undefined;
  }
  try {
    if (await answers(address)) return undefined;
    await rename(address, `${address}.stale-${process.pid}`).catch(() => undefined);
    await unlink(`${address}.stale-${process.pid}`).catch(() => undefined);
    const server = await listen(address, onConnection);
    return server ? makeLease(address, server, true) : undefined;
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
