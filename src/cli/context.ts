import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type MuxSelection, selectMux } from '../mux/dialect-selection.js';
import { type MuxClient, TmuxClient } from '../mux/mux-client.js';
import { PsmuxClient } from '../mux/psmux-client.js';
import { psmuxNamespaceOf, socketPathFor } from '../mux/socket-path.js';
import { inspectForegroundPrograms } from '../platform/foreground-process.js';
import {
  currentPathEnvironment,
  defaultSaveDirectory,
  expandUserPath,
  type PathEnvironment,
} from '../platform/paths.js';
import { namedServerIdentity, type ServerIdentity, socketIdentity } from '../server/server-identity.js';
import { resolveServerTarget, type ServerTarget } from '../server/server-target.js';
import { settingsFrom } from '../settings/settings.js';
import type { CaptureDependencies } from '../snapshot/capture.js';
import { SaveStore } from '../store/save-store.js';
import { readStoreSettings } from './commands/store-options.js';

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
  /**
   * The saves of the server this command talks to: in --dir, else @resurrect-dir, else the
   * default directory, as {@link resolveSaveDirectory} says, and owned by {@link serverIdentityOf}.
   * `options` are the server's options when the command has read them already (with its
   * capture); without them the store options are asked for, and tmux being down is no error.
   */
  readonly store: (options?: ReadonlyMap<string, string>) => Promise<SaveStore>;
}

export function createContext(options: GlobalOptions): CommandContext {
  const paths = currentPathEnvironment();
  const server = resolveServerTarget(options, paths.environment);
  const selection = selectMux(options.mux, paths.environment, paths.platform);
  const context: CommandContext = {
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
    // A copy made with `...` (another print) keeps this store: it reads none of what copies change.
    store: (known) => storeOf(context, known),
  };
  return context;
}

async function storeOf(
  context: CommandContext,
  known: ReadonlyMap<string, string> | undefined,
): Promise<SaveStore> {
  const settings = known ? settingsFrom(known) : await readStoreSettings(context);
  return new SaveStore(resolveSaveDirectory(context, settings.saveDirectory), serverIdentityOf(context));
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

/**
 * The server whose saves a command uses by default, from the socket path alone: `list` and `show`
 * work with no server running, and `restore` knows it before it captures anything.
 */
export function serverIdentityOf(context: CommandContext): ServerIdentity {
  if (context.mux.dialect.identity === 'namespace')
    return namedServerIdentity(psmuxNamespaceOf(context.mux.server));
  return socketIdentity(socketPathFor(context.mux.server, context.paths.environment));
}

/** --dir, else @resurrect-dir (with ~ and $HOME expanded), else the documented default. */
export function resolveSaveDirectory(context: CommandContext, resurrectDir: string | undefined): string {
  if (context.options.dir) return resolve(context.options.dir);
  if (resurrectDir && resurrectDir.trim() !== '')
    return resolve(expandUserPath(resurrectDir.trim(), context.paths));
  return defaultSaveDirectory(context.paths);
}
