import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Which tmux server a save belongs to, across restarts. The pid and start time change with every
 * server lifetime; the socket does not. Several servers (`-L work`, `-L play`) sharing one save
 * directory must never restore, compare with or delete each other's saves.
 */
export type ServerIdentity =
  /** A socket in tmux's per-user directory (`tmux -L NAME`, or no option at all: `default`). */
  | { readonly kind: 'socket-name'; readonly name: string; readonly tag: string }
  /** Any other socket (`tmux -S PATH`): the path itself. */
  | { readonly kind: 'socket-path'; readonly path: string; readonly tag: string };

/** tmux puts `-L` sockets in `<TMUX_TMPDIR or /tmp>/tmux-<uid>/`. */
const perUserSocketDirectory = /^tmux-\d+$/;

/** What a save file name may carry: readable, and safe in every file system. */
const labelCharacters = /[^A-Za-z0-9_-]/g;
const maximumLabelLength = 32;

/**
 * The identity of the server listening on `socketPath` (absolute; resolved by the caller). A
 * socket in a `tmux-<uid>` directory is known by its name alone, so a changed TMUX_TMPDIR (or
 * /tmp resolved to /private/tmp) still finds the same server's saves.
 */
export function serverIdentity(socketPath: string): ServerIdentity {
  const parent = basename(dirname(socketPath));
  const name = basename(socketPath);
  if (perUserSocketDirectory.test(parent) && name !== '') return namedServerIdentity(name);
  return { kind: 'socket-path', path: socketPath, tag: serverTag(name, `path:${socketPath}`) };
}

/**
 * The identity of the server listening on `socketPath`, relative or not, after resolving the
 * links of its directory: the one way every command, the daemon and a save's recorded socket are
 * named, so they agree on whose saves are whose.
 */
export function socketIdentity(socketPath: string): ServerIdentity {
  return serverIdentity(canonicalSocketPath(socketPath));
}

/**
 * tmux resolves its socket directory with realpath (so /tmp may become /private/tmp on macOS);
 * `-L work` and `-S <that path>` must find the same daemon and the same saves, so both are named
 * after the resolved path.
 */
export function canonicalSocketPath(socketPath: string): string {
  try {
    return join(realpathSync(dirname(socketPath)), basename(socketPath));
  } catch {
    return resolve(socketPath);
  }
}

/** The identity of the server `tmux -L name` talks to. */
export function namedServerIdentity(name: string): ServerIdentity {
  return { kind: 'socket-name', name, tag: serverTag(name, `name:${name}`) };
}

/**
 * `work.1a2b3c4d`: the readable part for people listing the directory, the hash of the whole
 * identity so `-L a` and `-S /elsewhere/a` never share a tag. Never contains a `.` before the
 * hash, so names parse without ambiguity.
 */
function serverTag(readable: string, key: string): string {
  const label = readable.replace(labelCharacters, '_').slice(0, maximumLabelLength) || 'server';
  return `${label}.${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** Whether two identities name the same server. */
export function sameServer(a: ServerIdentity, b: ServerIdentity): boolean {
  return a.tag === b.tag;
}

/** The tmux/continuum options that reach this server: `-L NAME` or `-S PATH`. */
export function serverOptions(identity: ServerIdentity): string[] {
  return identity.kind === 'socket-name' ? ['-L', identity.name] : ['-S', identity.path];
}

/** The pattern a server tag matches inside a save file name. */
export const serverTagPattern = '[A-Za-z0-9_-]{1,32}\\.[0-9a-f]{8}';
