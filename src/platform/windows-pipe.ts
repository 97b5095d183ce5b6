import { createHash } from 'node:crypto';

export interface WindowsUser {
  readonly domain?: string;
  readonly name: string;
}

/**
 * The named pipe of a lease (`daemon`, `restore`, `init`) of one Windows user for one server:
 * `\\.\pipe\continuum-<purpose>-<user>-<server>-<digest>`, the server being the psmux namespace
 * (`psmux:work`) or the socket. Windows has no uid (Node's `process.getuid` is absent there), so
 * the user is named by `USERDOMAIN\USERNAME`; pipe names are global to the machine, and without
 * the user two users' daemons would take each other's pipe. The readable parts are for people
 * reading `Get-ChildItem \\.\pipe\`; the digest keeps apart names that differ only in characters
 * replaced. The user is compared case-blind, as Windows does; the psmux namespace is NOT: psmux's
 * `ls` keeps a namespace's sessions apart by a case-sensitive prefix of their registry files
 * (main.rs, the `ls` arm), so `-L Work` and `-L work` are two namespaces with two daemons although
 * NTFS would take their file names for one. The kernel frees the pipe when its holder exits, so it
 * is the lease itself.
 */
export function windowsPipeName(purpose: string, user: WindowsUser, server: string): string {
  const readable = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32) || '_';
  const identity = `${purpose}\0${`${user.domain ?? ''}\\${user.name}`.toLowerCase()}\0${server}`;
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  const label =
    server
      .replace(/^psmux:/, '')
      .split(/[\\/]/)
      .at(-1) ?? server;
  return `\\\\.\\pipe\\continuum-${readable(purpose)}-${readable(user.name.toLowerCase())}-${readable(label.toLowerCase())}-${digest}`;
}

/** The daemon's pipe for one psmux namespace. */
export function psmuxDaemonPipeName(user: WindowsUser, namespace: string): string {
  return windowsPipeName('daemon', user, `psmux:${namespace}`);
}

/** The Windows user from the environment every logon session sets. */
export function windowsUserOf(environment: NodeJS.ProcessEnv): WindowsUser {
  return {
    ...(environment.USERDOMAIN ? { domain: environment.USERDOMAIN } : {}),
    name: environment.USERNAME || 'user',
  };
}
