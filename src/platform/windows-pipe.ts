import { createHash } from 'node:crypto';

/**
 * The named pipe of the daemon that watches one psmux namespace for one Windows user:
 * `\\.\pipe\continuum-daemon-<user>-<namespace>-<digest>`. Windows has no uid (Node's
 * `process.getuid` is absent there), so the user is named by `USERDOMAIN\USERNAME`; pipe names are
 * global to the machine, and without the user two users' daemons would take each other's pipe.
 * The readable parts are for people reading `Get-ChildItem \\.\pipe\`; the digest keeps names
 * apart that differ only in characters replaced. Everything is compared case-blind, as Windows
 * does: user names, pipe names and psmux's registry files (one file per session, on NTFS) all are.
 * The pipe is freed by the kernel when its holder exits, so it is the lease itself.
 */
export function psmuxDaemonPipeName(
  user: { readonly domain?: string; readonly name: string },
  namespace: string,
): string {
  const readable = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32) || '_';
  const identity = `${user.domain ?? ''}\\${user.name}\0${namespace}`.toLowerCase();
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return `\\\\.\\pipe\\continuum-daemon-${readable(user.name.toLowerCase())}-${readable(namespace.toLowerCase())}-${digest}`;
}

/** The Windows user from the environment every logon session sets. */
export function windowsUserOf(environment: NodeJS.ProcessEnv): {
  readonly domain?: string;
  readonly name: string;
} {
  return {
    ...(environment.USERDOMAIN ? { domain: environment.USERDOMAIN } : {}),
    name: environment.USERNAME || 'user',
  };
}
