import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, constants, lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { summariseAgents } from '../../agents/agent-summary.js';
import { askDaemon, type DaemonStatus, readDaemonToken } from '../../daemon/daemon-ipc.js';
import { ContinuumError, errorCode, UnsupportedMuxError } from '../../errors.js';
import { refuseKernelFileSystem } from '../../files/kernel-file-systems.js';
import { describeCounts, localTime } from '../../human-text.js';
import { findInstalledHooks, sessionCreatedEntries } from '../../integration/tmux-integration.js';
import { runProgram } from '../../platform/boot-service.js';
import { restoringMarkerOption, restoringMarkerState } from '../../restore/restoring-marker.js';
import { countPanes } from '../../snapshot/structure.js';
import { readSaveFile, SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { applyBoot, bootSettingsFor } from './boot.js';
import {
  cliInvocation,
  continuumCommand,
  daemonFilesFor,
  globalArgumentsFor,
  parseRecordedCli,
  recordedCliOption,
} from './daemon-target.js';
import { describeShellIntegration, readShellIntegration } from './status.js';

/** One check's outcome: `fail` makes doctor exit 1, `warn` does not. */
export interface DoctorCheck {
  readonly result: 'ok' | 'warn' | 'fail';
  readonly what: string;
  readonly detail: string;
  /** What to do about a warning or a failure. */
  readonly action?: string;
}

const marks = { ok: '✔', warn: '!', fail: '✘' } as const;

/** The lowest Node continuum runs on (package.json `engines`). */
const minimumNodeMajor = 20;

const doctorOptions = [
  '@resurrect-dir',
  '@resurrect-save',
  '@resurrect-restore',
  '@continuum-boot',
  '@continuum-installed-hook-shown',
  restoringMarkerOption,
  recordedCliOption,
] as const;

/**
 * `continuum doctor`: one line per check with ✔, ! (a warning) or ✘ and what to do. Returns
 * whether every check passed; the CLI exits 1 when one failed.
 */
export async function runDoctor(context: CommandContext): Promise<'healthy' | 'failed'> {
  const checks = await doctorChecks(context);
  for (const check of checks)
    context.print(
      `${marks[check.result]} ${check.what}: ${check.detail}${check.action ? ` — ${check.action}` : ''}`,
    );
  return checks.some((check) => check.result === 'fail') ? 'failed' : 'healthy';
}

export async function doctorChecks(context: CommandContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [nodeCheck()];
  const server = await readServer(context);
  checks.push(await tmuxCheck(context, server));
  const options = server?.options ?? new Map<string, string>();
  const directory = resolveSaveDirectory(context, options.get('@resurrect-dir'));
  checks.push(await saveDirectoryCheck(directory, context.paths.platform));
  if (server)
    checks.push(await cliReachCheck(context, options), ...(await integrationChecks(context, options)));
  const marker = await restoringMarkerCheck(context, options.get(restoringMarkerOption) ?? '');
  if (marker) checks.push(marker);
  checks.push(await daemonCheck(context));
  checks.push(await newestSaveCheck(new SaveStore(directory, serverIdentityOf(context))));
  const agents = await agentsCheck(new SaveStore(directory, serverIdentityOf(context)));
  if (agents) checks.push(agents);
  checks.push(await bootCheck(context, options.get('@continuum-boot') === 'on'));
  // The shell integration is the user's choice (continuum installs none): reported, never a warning.
  const shells = server ? await readShellIntegration(context) : undefined;
  if (shells)
    checks.push({ result: 'ok', what: 'shell integration', detail: describeShellIntegration(shells) });
  return checks;
}

/**
 * `@continuum-restoring` pauses every auto-save while it is set: a restore that is running says
 * so; one whose process is gone left it behind, and the server may be half-restored.
 */
async function restoringMarkerCheck(
  context: CommandContext,
  value: string,
): Promise<DoctorCheck | undefined> {
  const state = await restoringMarkerState(value);
  if (state.kind === 'unset') return undefined;
  if (state.kind === 'running')
    return {
      result: 'ok',
      what: 'restore',
      detail: `a restore is running (pid ${state.pid}); auto-save waits for it`,
    };
  return {
    result: 'fail',
    what: 'restore',
    detail: `@continuum-restoring is set by a restore that did not finish (${state.reason}); auto-save is paused and the server may be half-restored`,
    action: `run \`${continuumCommand(context, 'restore')}\` to complete it (the daemon also unsets the marker at its next lap)`,
  };
}

function nodeCheck(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= minimumNodeMajor
    ? { result: 'ok', what: 'node', detail: process.versions.node }
    : {
        result: 'fail',
        what: 'node',
        detail: `${process.versions.node} is older than ${minimumNodeMajor}`,
        action: `install Node ${minimumNodeMajor} or later`,
      };
}

interface ServerFacts {
  readonly version: string;
  readonly options: ReadonlyMap<string, string>;
}

/** The running server's version and the options doctor looks at, in one call; undefined when none runs. */
/**
 * What `list-keys -T prefix KEY` prints. tmux 3.7c prints nothing there for a bound key, so the
 * whole table is read then and the key's line picked out (`bind-key [-r] -T prefix KEY ...`).
 */
async function prefixBinding(context: CommandContext, key: string): Promise<string> {
  const bound = await context.mux.run(['list-keys', '-T', 'prefix', key]).catch(() => '');
  if (bound.trim() !== '') return bound;
  const table = await context.mux.run(['list-keys', '-T', 'prefix']).catch(() => '');
  return table
    .split('\n')
    .filter((line) => {
      const words = line.trim().split(/\s+/);
      return words[words.indexOf('-T') + 2] === key;
    })
    .join('\n');
}

async function readServer(context: CommandContext): Promise<ServerFacts | undefined> {
  try {
    const records = await context.mux.readRecords(
      { server: ['version'], options: doctorOptions },
      context.warn,
    );
    const values = new Map(records.flatMap((record) => [...record.values]));
    return { version: values.get('version') ?? '', options: values };
  } catch (error) {
    // Too old a tmux is no check among others: like every command, doctor says so and stops.
    if (error instanceof UnsupportedMuxError) throw error;
    if (error instanceof ContinuumError) return undefined;
    throw error;
  }
}

async function tmuxCheck(context: CommandContext, server: ServerFacts | undefined): Promise<DoctorCheck> {
  if (server)
    return {
      result: 'ok',
      what: 'tmux',
      detail: `${server.version}, server ${context.mux.describeServer()} running`,
    };
  const version = await new Promise<string | undefined>((resolve) => {
    execFile(context.mux.binary, ['-V'], { timeout: 5000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    );
  });
  if (version === undefined)
    return {
      result: 'fail',
      what: 'tmux',
      detail: `${context.mux.binary} cannot be run`,
      action: 'install tmux, or name it with --mux',
    };
  return {
    result: 'fail',
    what: 'tmux',
    detail: `${version}, but no server ${context.mux.describeServer()} is running`,
    action: "start tmux (doctor checks the running server's bindings and hook)",
  };
}

async function saveDirectoryCheck(directory: string, platform: NodeJS.Platform): Promise<DoctorCheck> {
  const what = 'save directory';
  try {
    await refuseKernelFileSystem(directory, platform);
  } catch (error) {
    if (!(error instanceof ContinuumError)) throw error;
    return {
      result: 'fail',
      what,
      detail: error.message,
      action: 'choose another with --dir or @resurrect-dir',
    };
  }
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(directory);
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      return {
        result: 'warn',
        what,
        detail: `${directory} does not exist yet`,
        action: 'the first `continuum save` creates it',
      };
    return {
      result: 'fail',
      what,
      detail: `${directory} cannot be read (${errorCode(error)})`,
      action: 'fix its permissions',
    };
  }
  if (!info.isDirectory())
    return {
      result: 'fail',
      what,
      detail: `${directory} is ${info.isSymbolicLink() ? 'a symlink' : 'not a directory'}`,
      action: 'saves are written only into a real directory: point --dir or @resurrect-dir at one',
    };
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && info.uid !== uid)
    return {
      result: 'fail',
      what,
      detail: `${directory} belongs to uid ${info.uid}, not to you (${uid})`,
      action: `chown ${uid} ${directory}`,
    };
  const mode = info.mode & 0o777;
  // The owner's bits first: a 0500 directory keeps others out, and is no place for a save either
  // (root passes access(2) whatever the mode, so the bits are read, not probed).
  if ((mode & 0o300) !== 0o300)
    return {
      result: 'fail',
      what,
      detail: `${directory} is not writable (mode ${mode.toString(8).padStart(4, '0')})`,
      action: `chmod 700 ${directory}`,
    };
  if (mode !== 0o700)
    return {
      result: 'fail',
      what,
      detail: `${directory} has mode ${mode.toString(8).padStart(4, '0')}: others may read your sessions`,
      action: `chmod 700 ${directory}`,
    };
  const writable = await access(directory, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!writable)
    return { result: 'fail', what, detail: `${directory} is not writable`, action: `chmod 700 ${directory}` };
  return { result: 'ok', what, detail: `${directory} (yours, 0700, writable)` };
}

/**
 * Whether the tmux server, in its own environment, can run the continuum its hooks and bindings
 * name. A server started from a login shell whose profile resets PATH cannot find `continuum`: a
 * `run-shell 'continuum init'` line in the config then fails unseen, and nothing auto-restores.
 */
async function cliReachCheck(
  context: CommandContext,
  options: ReadonlyMap<string, string>,
): Promise<DoctorCheck> {
  const what = 'tmux runs continuum';
  const { dialect } = context.mux;
  const here = dialect.shellWords(cliInvocation());
  const initHere = `run \`${dialect.shellWords([...cliInvocation(), ...globalArgumentsFor(context), 'init'])}\``;
  const recorded = parseRecordedCli(options.get(recordedCliOption));
  // run-shell exits with the command's status; its output goes to no client (redirected anyway).
  const serverRuns = (command: string): Promise<boolean> =>
    context.mux.run(['run-shell', `${command} >/dev/null 2>&1`]).then(
      () => true,
      () => false,
    );
  if (recorded) {
    const words = dialect.shellWords(recorded);
    const runs =
      dialect.name === 'tmux'
        ? await serverRuns(dialect.runShellCommand([...recorded, '--version']))
        : await everyFileExists(recorded);
    return runs
      ? { result: 'ok', what, detail: words }
      : {
          result: 'fail',
          what,
          detail: `the server cannot run ${words}, which init recorded (moved, removed, or its node is gone)`,
          action: `${initHere} (and name that path in your tmux config, see docs/install.md)`,
        };
  }
  if (dialect.name !== 'tmux')
    return {
      result: 'warn',
      what,
      detail: 'init has not run in this server',
      action: initHere,
    };
  if (await serverRuns('command -v continuum'))
    return {
      result: 'warn',
      what,
      detail: 'init has not run in this server (tmux finds `continuum` on its PATH)',
      action: initHere,
    };
  // `PATH=…`, or `-PATH` when the server's environment has it removed.
  const path = (await context.mux.run(['show-environment', '-g', 'PATH']).catch(() => ''))
    .trim()
    .replace(/^PATH=/, '')
    .replace(/^-PATH$/, '');
  return {
    result: 'fail',
    what,
    detail: `init has not run in this server, and its PATH has no \`continuum\` (${path || 'PATH unset'}): a \`run-shell 'continuum init'\` line in your tmux config fails there`,
    action: `name it by its absolute path in the config: run-shell "${here} init" (see docs/install.md)`,
  };
}

/** Whether every file of a recorded command exists (psmux: no POSIX shell to probe with). */
async function everyFileExists(paths: readonly string[]): Promise<boolean> {
  for (const path of paths)
    if (
      !(await access(path, constants.R_OK).then(
        () => true,
        () => false,
      ))
    )
      return false;
  return true;
}

async function integrationChecks(
  context: CommandContext,
  options: ReadonlyMap<string, string>,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const init = `run \`${continuumCommand(context, 'init')}\` (or reload the tmux config that runs it)`;
  for (const [option, fallback, action] of [
    ['@resurrect-save', 'C-s', 'save'],
    ['@resurrect-restore', 'C-r', 'restore'],
  ] as const) {
    const key = options.get(option) || fallback;
    const bound = await prefixBinding(context, key);
    const ours = new RegExp(`\\bhook\\W+${action}\\b`).test(bound);
    checks.push(
      ours
        ? { result: 'ok', what: `key ${action}`, detail: `prefix ${key}` }
        : {
            result: 'fail',
            what: `key ${action}`,
            detail: bound.trim() === '' ? `prefix ${key} is not bound` : `prefix ${key} runs something else`,
            action: init,
          },
    );
  }
  const entries = sessionCreatedEntries(
    await context.mux.run(context.mux.dialect.listHooksCommand('session-created')).catch(() => ''),
  );
  const ours = findInstalledHooks(entries, options.get('@continuum-installed-hook-shown') ?? '');
  checks.push(
    ours.length === 1
      ? { result: 'ok', what: 'auto-restore hook', detail: `session-created[${ours[0]!.index}]` }
      : ours.length === 0
        ? { result: 'fail', what: 'auto-restore hook', detail: 'not installed', action: init }
        : {
            result: 'warn',
            what: 'auto-restore hook',
            detail: `installed ${ours.length} times`,
            action: init,
          },
  );
  return checks;
}

async function daemonCheck(context: CommandContext): Promise<DoctorCheck> {
  const files = daemonFilesFor(context);
  const reply = await askDaemon(files.address, 'status', await readDaemonToken(files.tokenPath));
  if (reply.result === 'none')
    return {
      result: 'fail',
      what: 'daemon',
      detail: `not running (nothing holds its lease ${files.address})`,
      action: `start it with \`${continuumCommand(context, 'daemon', 'start')}\`; its log is ${files.logPath}`,
    };
  if (reply.result !== 'answered' || !('status' in reply.answer))
    return {
      result: 'fail',
      what: 'daemon',
      detail: `something answers but does not prove it is your daemon (${reply.result === 'unverified' ? reply.reason : 'it refused'})`,
      action: `its token file ${files.tokenPath} is stale: \`continuum daemon stop\`, then \`continuum daemon start\``,
    };
  const status: DaemonStatus = reply.answer.status;
  const lastSave = status.lastSave
    ? `last save ${localTime(status.lastSave.at)} (${status.lastSave.result})`
    : 'no save yet';
  if (status.lastError)
    return {
      result: 'warn',
      what: 'daemon',
      detail: `running, pid ${status.pid}, ${lastSave}; last error ${localTime(status.lastError.at)}: ${status.lastError.message}`,
      action: `see \`${continuumCommand(context, 'logs')}\``,
    };
  return { result: 'ok', what: 'daemon', detail: `running, pid ${status.pid}, holds its lease, ${lastSave}` };
}

/** The coding agents of the newest save and whether a restore can resume each (docs/agents.md). */
async function agentsCheck(store: SaveStore): Promise<DoctorCheck | undefined> {
  const newest = await store.newestSaveName().catch(() => undefined);
  if (!newest) return undefined;
  const { snapshot } = await readSaveFile(join(store.directory, newest)).catch(() => ({
    snapshot: undefined,
  }));
  const summary = snapshot ? summariseAgents(snapshot, existsSync) : undefined;
  if (!summary) return undefined;
  return {
    result: summary.includes('cannot be resumed') ? 'warn' : 'ok',
    what: 'coding agents',
    detail: summary,
    ...(summary.includes('cannot be resumed')
      ? { action: 'such a pane is left with the command to run at its prompt (docs/agents.md)' }
      : {}),
  };
}

async function newestSaveCheck(store: SaveStore): Promise<DoctorCheck> {
  const newest = await store.newestSaveName().catch(() => undefined);
  if (!newest)
    return {
      result: 'warn',
      what: 'newest save',
      detail: `none of this server in ${store.directory}`,
      action: 'run `continuum save`',
    };
  try {
    const { snapshot } = await readSaveFile(join(store.directory, newest));
    return {
      result: 'ok',
      what: 'newest save',
      detail: `${basename(newest, '.json')}, format version ${snapshot.version}, ${describeCounts(countPanes(snapshot))}`,
    };
  } catch (error) {
    if (!(error instanceof ContinuumError)) throw error;
    return {
      result: 'fail',
      what: 'newest save',
      detail: error.message,
      action:
        'restore picks this one by default: remove or fix it, or run `continuum save` to make a newer one',
    };
  }
}

async function bootCheck(context: CommandContext, wanted: boolean): Promise<DoctorCheck> {
  try {
    const report = await applyBoot(context, await bootSettingsFor(context), 'status', runProgram);
    const detail = report.done.join('; ') || 'unknown';
    const enabled = report.done.some((line) => line.startsWith('enabled'));
    if (wanted && !enabled)
      return {
        result: 'warn',
        what: 'start at login',
        detail: `${detail}, although @continuum-boot is on`,
        action: `run \`${continuumCommand(context, 'boot', 'enable')}\``,
      };
    return { result: 'ok', what: 'start at login', detail };
  } catch (error) {
    if (!(error instanceof ContinuumError)) throw error;
    return { result: 'warn', what: 'start at login', detail: error.message };
  }
}
