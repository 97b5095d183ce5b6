import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type MuxSelection, selectMux } from '../mux/dialect-selection.js';
import { type MuxClient, TmuxClient } from '../mux/mux-client.js';
import { PsmuxClient } from '../mux/psmux-client.js';
import { canonicalSocketPath, psmuxNamespaceOf, socketPathFor } from '../mux/socket-path.js';
import { inspectForegroundPrograms } from '../platform/foreground-process.js';
import {
  currentPathEnvironment,
  defaultSaveDirectory,
  expandUserPath,
  type PathEnvironment,
} from '../platform/paths.js';
import { namedServerIdentity, type ServerIdentity, serverIdentity } from '../server/server-identity.js';
import { resolveServerTarget, type ServerTarget } from '../server/server-target.js';
import type { CaptureDependencies } from '../snapshot/capture.js';

/** Options every command accepts, placed before the command name as with tmux itself. */
export interface GlobalOptions {
  readonly socketName?: string | undefined;
  readonly socketPath?: string | undefined;
  readonly dir?: string | undefined;
  readonly mux?: string | undefined;
}

/** Everything a command needs from the outside world, made in one place so tests can build their own. */
export interface CommandContext extends CaptureDependencies {
  readonly options: GlobalOptions;
  readonly paths: PathEnvironment;
  readonly print: (line: string) => void;
  readonly warn: (line: string) => void;
  readonly directoryExists: (path: string) => boolean;
}

export function createContext(options: GlobalOptions): CommandContext {
  const paths = currentPathEnvironment();
  const server = resolveServerTarget(options, paths.environment);
  const selection = selectMux(options.mux, paths.environment, paths.platform);
  return {
    options,
    paths,
    mux: createMuxClient(selection, server, paths.environment),
    inspectPrograms: inspectForegroundPrograms(),
    now: () => new Date(),
    print: (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`continuum: warning: ${line}\n`),
    directoryExists: (path) => {
      try {
        return existsSync(path) && statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/**
 * The client of the chosen dialect: the one place that knows there are two. Both honour
 * `CONTINUUM_MUX_TIMEOUT_MS` as the deadline of one call.
 */
export function createMuxClient(
  selection: MuxSelection,
  server: ServerTarget,
  environment: NodeJS.ProcessEnv,
): MuxClient {
  const options = { binary: selection.binary, server, environment };
  const clients = {
    tmux: () => new TmuxClient(options),
    psmux: () => new PsmuxClient(options),
  } satisfies Record<MuxSelection['dialect']['name'], () => MuxClient>;
  return clients[selection.dialect.name]();
}

/** The tmux options a command reads along with its capture, in the same invocation. */
export const storeOptionNames = ['@resurrect-dir', '@resurrect-delete-backup-after'] as const;

/**
 * The server whose saves a command uses by default, from the socket path alone: `list` and `show`
 * work with no server running, and `restore` knows it before it captures anything.
 */
export function serverIdentityOf(context: CommandContext): ServerIdentity {
  if (context.mux.dialect.identity === 'namespace')
    return namedServerIdentity(psmuxNamespaceOf(context.mux.server));
  return serverIdentity(canonicalSocketPath(socketPathFor(context.mux.server, context.paths.environment)));
}

/** --dir, else @resurrect-dir (with ~ and $HOME expanded), else the documented default. */
export function resolveSaveDirectory(context: CommandContext, resurrectDir: string | undefined): string {
  if (context.options.dir) return resolve(context.options.dir);
  if (resurrectDir && resurrectDir.trim() !== '')
    return resolve(expandUserPath(resurrectDir.trim(), context.paths));
  return defaultSaveDirectory(context.paths);
}
