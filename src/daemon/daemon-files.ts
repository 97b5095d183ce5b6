import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import {
  type LeaseOptions,
  leaseAddress,
  leaseDirectory,
  leaseKey,
  leaseOptionsFor,
} from '../platform/lease.js';
import { type PathEnvironment, stateDirectory } from '../platform/paths.js';

/**
 * Where one server's daemon lives: its lease (which is also its status socket, a socket file in
 * the server's private lease directory), the token that proves a client and the daemon to each
 * other (beside the lease) and its log. All are derived from the server's socket path (and, for
 * the log and servers outside tmux's socket directory, the user's directories), so
 * every caller (hook, key binding, `status`) finds the same daemon without asking tmux, and
 * `-L work` and `-L play` never share anything.
 */
export interface DaemonFiles {
  readonly socketPath: string;
  readonly leaseKey: string;
  readonly address: string;
  readonly logPath: string;
  readonly tokenPath: string;
  readonly leaseOptions: LeaseOptions;
}

/** `work-1a2b3c4d`: readable in a directory listing, unique per socket path. */
export function serverFileStem(socketPath: string): string {
  const readable =
    basename(socketPath)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'server';
  const digest = createHash('sha256').update(socketPath).digest('hex').slice(0, 8);
  return `${readable}-${digest}`;
}

export function daemonFiles(socketPath: string, paths: PathEnvironment): DaemonFiles {
  const key = leaseKey('daemon', socketPath);
  const leaseOptions: LeaseOptions = leaseOptionsFor(paths, socketPath);
  const state = stateDirectory(paths);
  const stem = serverFileStem(socketPath);
  return {
    socketPath,
    leaseKey: key,
    address: leaseAddress(key, leaseOptions),
    logPath: join(state, `daemon-${stem}.log`),
    // Beside the lease, in the same private directory: whoever finds the lease finds the token,
    // whatever its HOME or XDG_STATE_HOME.
    tokenPath: join(leaseOptions.runtimeDirectory, `daemon-${stem}.token`),
    leaseOptions,
  };
}

/**
 * Where a daemon of an earlier version of continuum, which kept every lease in the user's lease
 * directory and the token in the state directory, would answer for this server; undefined when
 * that is where this version looks too.
 */
export function earlierDaemonFiles(files: DaemonFiles, paths: PathEnvironment): DaemonFiles | undefined {
  const runtimeDirectory = leaseDirectory(paths);
  if (runtimeDirectory === files.leaseOptions.runtimeDirectory || paths.platform === 'win32')
    return undefined;
  const leaseOptions: LeaseOptions = { ...files.leaseOptions, runtimeDirectory };
  return {
    ...files,
    address: leaseAddress(files.leaseKey, leaseOptions),
    tokenPath: join(stateDirectory(paths), `daemon-${serverFileStem(files.socketPath)}.token`),
    leaseOptions,
  };
}
