import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { summariseAgents } from '../../agents/agent-summary.js';
import { askDaemon, type DaemonStatus, readDaemonToken } from '../../daemon/daemon-ipc.js';
import { ContinuumError, UnsupportedMuxError } from '../../errors.js';
import { describeCounts, localTime } from '../../human-text.js';
import { runProgram } from '../../platform/boot-service.js';
import { restoringMarkerState } from '../../restore/restoring-marker.js';
import { settingsFrom, stateSettings, userOptionNames } from '../../settings/settings.js';
import { countPanes } from '../../snapshot/structure.js';
import { readSaveFile, type SaveStore } from '../../store/save-store.js';
import type { CommandContext } from '../context.js';
import type { DoctorCheck } from '../doctor/doctor-check.js';
import { saveDirectoryCheck } from '../doctor/save-directory-check.js';
import { cliReachCheck, integrationChecks } from '../doctor/server-checks.js';
import { settingsChecks } from '../doctor/settings-check.js';
import { applyBoot, bootSettingsFor } from './boot.js';
import { continuumCommand, daemonFilesFor } from './daemon-target.js';
import { describeShellIntegration, readShellIntegration } from './status.js';

export type { DoctorCheck };

const marks = { ok: '✔', warn: '!', fail: '✘' } as const;

/** The lowest Node continuum runs on (package.json `engines`). */
const minimumNodeMajor = 20;

/** Every user option (for the settings check) and the state doctor reads, in its one tmux call. */
const doctorOptions = [
  ...userOptionNames,
  stateSettings.installedHookShown.name,
  stateSettings.restoring.name,
  stateSettings.recordedCli.name,
];

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
  const settings = settingsFrom(options);
  const store = await context.store(options);
  checks.push(await saveDirectoryCheck(store.directory, context.paths.platform));
  checks.push(...settingsChecks(options, context.paths.environment));
  if (server)
    checks.push(
      await cliReachCheck(context, options),
      ...(await integrationChecks(context, settings, options)),
    );
  const marker = await restoringMarkerCheck(context, options.get(stateSettings.restoring.name) ?? '');
  if (marker) checks.push(marker);
  checks.push(await daemonCheck(context));
  checks.push(await newestSaveCheck(store));
  const agents = await agentsCheck(store);
  if (agents) checks.push(agents);
  checks.push(await bootCheck(context, settings.boot));
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
  if (reply.result !== 'answered' || reply.answer.kind !== 'status')
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
