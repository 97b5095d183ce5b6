import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { type DaemonFiles, daemonFiles, serverFileStem } from '../../daemon/daemon-files.js';
import { pickMenuFile } from '../../integration/tmux-integration.js';
import { canonicalSocketPath, psmuxNamespaceOf, socketPathFor } from '../../mux/socket-path.js';
import { stateDirectory } from '../../platform/paths.js';
import { stateSettings } from '../../settings/settings.js';
import type { CommandContext } from '../context.js';

/** The file `pick --menu` writes this server's menu of saves into, for the binding to source. */
export function pickMenuFileFor(context: CommandContext): string {
  return pickMenuFile(stateDirectory(context.paths), serverFileStem(daemonServerKey(context)));
}

/** The daemon files of the server this command talks to. */
export function daemonFilesFor(context: CommandContext): DaemonFiles {
  return daemonFiles(daemonServerKey(context), context.paths);
}

/**
 * What one daemon watches, as the key its files are named after: tmux's socket path, or for psmux
 * `psmux:NAMESPACE`, since a psmux server is one session and the daemon watches the namespace.
 */
export function daemonServerKey(context: CommandContext): string {
  if (context.mux.dialect.identity === 'namespace') return `psmux:${psmuxNamespaceOf(context.mux.server)}`;
  return canonicalSocketPath(socketPathFor(context.mux.server, context.paths.environment));
}

/**
 * The global options that make another continuum process (the daemon, a hook, a key binding) talk
 * to the same server and save directory as this one. An inherited $TMUX server is named by its
 * socket path, so the child does not depend on the environment it is started from.
 */
export function globalArgumentsFor(context: CommandContext): string[] {
  const server = context.mux.server;
  const args: string[] = [];
  if (server.kind === 'socket-name') args.push('-L', server.name);
  else if (server.kind === 'socket-path') args.push('-S', server.path);
  // psmux has no socket paths (-S is ignored): inside a pane it finds its session from $TMUX, and
  // outside one, no -L is the default namespace (`-L default` would be another one, `default__…`).
  else if (server.tmuxEnvironment && context.mux.dialect.identity === 'socket')
    args.push('-S', socketPathFor(server, context.paths.environment));
  if (context.options.dir) args.push('--dir', resolve(context.options.dir));
  if (context.options.mux) args.push('--mux', context.options.mux);
  return args;
}

/**
 * A command line to show in a hint, with the options that select this server and directory, so
 * that a user who ran `continuum -L work status` is told `continuum -L work daemon start`.
 */
export function continuumCommand(context: CommandContext, ...words: string[]): string {
  const quote = (word: string): string =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
  return ['continuum', ...globalArgumentsFor(context), ...words].map(quote).join(' ');
}

/**
 * How to run this very CLI again: the node binary and the script it was started as, both absolute,
 * so that hooks, bindings and the daemon do not depend on the PATH of the tmux server (a login
 * profile that resets PATH left tmux unable to find `continuum`). `npm install -g` runs the script
 * through a symlink in its bin directory: the link is resolved, so the command names the installed
 * script itself, which an upgrade in place keeps at the same path.
 */
export function cliInvocation(): string[] {
  const script = resolve(process.argv[1] ?? 'continuum');
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    // Gone since it started: the path it was started by is the best there is.
  }
  return [process.execPath, real];
}

/** The tmux option `init` records the CLI in (a JSON array: node, script), for doctor to check. */
export const recordedCliOption = stateSettings.recordedCli.name;

/** Pure: the CLI `init` recorded, or undefined when the value is not one. */
export function parseRecordedCli(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((word) => typeof word === 'string' && word !== '')
      ? (parsed as string[])
      : undefined;
  } catch {
    return undefined;
  }
}
