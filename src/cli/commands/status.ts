import { join } from 'node:path';
import { askDaemon, type DaemonStatus, readDaemonToken } from '../../daemon/daemon-ipc.js';
import { describePauseReason } from '../../daemon/pause-reason.js';
import { shortStatus } from '../../daemon/status-line.js';
import { ContinuumError, exitCodes, NoServerError } from '../../errors.js';
import { localTime } from '../../human-text.js';
import { muxVersionLine } from '../../mux/mux-version.js';
import { queryFields } from '../../mux/query-fields.js';
import { assertPrivateOrMissing } from '../../platform/lease.js';
import { paneRecordsDirectory } from '../../shell/pane-directory.js';
import { type ShellIntegrationSummary, summariseShellIntegration } from '../../shell/shell-capture.js';
import { parseSaveFileName } from '../../store/save-files.js';
import type { CommandContext } from '../context.js';
import { continuumCommand, daemonFilesFor } from './daemon-target.js';

export interface StatusCommandOptions {
  readonly json?: boolean;
  readonly short?: boolean;
}

/** Asks the running daemon how it is doing; with none running, says so and fails. */
export async function runStatus(context: CommandContext, options: StatusCommandOptions): Promise<void> {
  const files = daemonFilesFor(context);
  assertPrivateOrMissing(files.leaseOptions.runtimeDirectory, files.leaseOptions.platform);
  const status = await fetchStatus(files.address, files.tokenPath);
  if (status === undefined) {
    if (options.short) context.print('continuum: no daemon');
    // No server, no daemon to start: `daemon start` would only fail the same way.
    await context.mux.readServerLifetime().catch((error: unknown) => {
      if (error instanceof NoServerError) throw error;
    });
    if (!options.short && !options.json) context.print(describeNewestSave(await findNewestSave(context)));
    throw new ContinuumError(`no continuum daemon is running for ${files.socketPath}`, {
      exitCode: exitCodes.noDaemon,
      hint: `start it with \`${continuumCommand(context, 'daemon', 'start')}\` (or \`continuum init\` from tmux); its log is ${files.logPath}`,
    });
  }
  if (options.short) {
    context.print(shortStatus(status));
    return;
  }
  const shellIntegration = await readShellIntegration(context);
  const newestSave = await findNewestSave(context);
  if (options.json) {
    context.print(
      JSON.stringify({ ...status, newestSave, ...(shellIntegration ? { shellIntegration } : {}) }, null, 2),
    );
    return;
  }
  for (const line of describeStatus(status, shellIntegration)) context.print(line);
  context.print(describeNewestSave(newestSave));
  const muxLine = await muxVersionLine(context.mux.binary, context.paths.environment);
  context.print(`multiplexer ${muxLine ?? context.mux.binary} (dialect ${context.mux.dialect.name})`);
}

/** This server's newest save, whoever wrote it (the daemon, `save`, a key, an import). */
export type NewestSave =
  | { readonly result: 'found'; readonly path: string; readonly savedAt: string }
  | { readonly result: 'none'; readonly directory: string }
  | { readonly result: 'unreadable'; readonly problem: string };

/**
 * The daemon's own last save is not the newest when a manual `save` came after it: `restore`
 * takes the newest, so status names that one.
 */
async function findNewestSave(context: CommandContext): Promise<NewestSave> {
  try {
    const store = await context.store();
    const { directory } = store;
    const name = await store.newestSaveName();
    const parsed = name === undefined ? undefined : parseSaveFileName(name);
    if (!parsed) return { result: 'none', directory };
    return { result: 'found', path: join(directory, parsed.fileName), savedAt: parsed.savedAt.toISOString() };
  } catch (error) {
    if (!(error instanceof ContinuumError)) throw error;
    return { result: 'unreadable', problem: error.message };
  }
}

/** Pure: the `newest save` line of `status`. */
export function describeNewestSave(newest: NewestSave): string {
  const label = 'newest save';
  switch (newest.result) {
    case 'found':
      return `${label} ${localTime(newest.savedAt)}: ${newest.path}`;
    case 'none':
      return `${label} none of this server in ${newest.directory}`;
    case 'unreadable':
      return `${label} unknown: ${newest.problem}`;
  }
}

/**
 * The server's panes and the shell records in the pane directory: what the shell integration
 * covers now. Undefined when the server cannot tell (it is a detail of the status, never a
 * reason for the status to fail).
 */
export async function readShellIntegration(
  context: CommandContext,
): Promise<ShellIntegrationSummary | undefined> {
  try {
    const panes = await queryFields(context.mux, (format) => ['list-panes', '-a', '-F', format], [
      'pid',
      'pane_id',
    ]);
    const serverPid = Number.parseInt(panes[0]?.get('pid') ?? '', 10);
    if (!Number.isSafeInteger(serverPid)) return undefined;
    const paneIds = panes.map((pane) => pane.get('pane_id') ?? '').filter((id) => id !== '');
    return await summariseShellIntegration(paneRecordsDirectory(context.paths), serverPid, paneIds);
  } catch {
    return undefined;
  }
}

/** Pure: `2 of 3 panes (bash 2, zsh 1)`, or how to turn it on when no pane has it. */
export function describeShellIntegration(summary: ShellIntegrationSummary): string {
  const shells = Object.entries(summary.shells).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const active = shells.reduce((total, [, count]) => total + count, 0);
  const detail =
    active === 0
      ? 'add `eval "$(continuum shell-init bash)"` (or zsh, fish, pwsh) to your shell\'s rc file'
      : shells.map(([name, count]) => `${name} ${count}`).join(', ');
  return `${active} of ${summary.panes} pane${summary.panes === 1 ? '' : 's'} (${detail})`;
}

/**
 * The status, retrying briefly while a just-started daemon writes its token; undefined when
 * nothing listens. An answer that does not prove it comes from the daemon is never shown.
 */
async function fetchStatus(address: string, tokenPath: string): Promise<DaemonStatus | undefined> {
  const deadline = performance.now() + 2000;
  for (;;) {
    const reply = await askDaemon(address, 'status', await readDaemonToken(tokenPath));
    if (reply.result === 'none') return undefined;
    if (reply.result === 'answered' && reply.answer.kind === 'status') return reply.answer.status;
    if (performance.now() >= deadline) {
      const reason = reply.result === 'unverified' ? reply.reason : 'it refused';
      throw new ContinuumError(`the daemon on ${address} did not prove it is yours: ${reason}`, {
        exitCode: exitCodes.failure,
        hint: `its token file ${tokenPath} may be missing or stale; restart it with \`continuum daemon stop\` and \`continuum daemon start\``,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Pure: `1d 2h 3m`, `4m 5s`. */
export function describeDuration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m ${seconds % 60}s`;
}

/** Pure: the human form of a status, one `label  value` line each. */
export function describeStatus(status: DaemonStatus, shellIntegration?: ShellIntegrationSummary): string[] {
  const megabytes = (status.rssBytes / (1024 * 1024)).toFixed(1);
  const lastSave = status.lastSave
    ? `${localTime(status.lastSave.at)} (${status.lastSave.result}, ${status.lastSave.reason}): ${status.lastSave.path}`
    : 'none yet';
  const nextFull =
    status.saveIntervalMinutes === 0
      ? 'never (@continuum-save-interval is 0)'
      : status.nextFullSaveAt
        ? `${localTime(status.nextFullSaveAt)} (every ${status.saveIntervalMinutes} min)`
        : `within ${status.pollMilliseconds} ms`;
  const lastError = status.lastError
    ? `${localTime(status.lastError.at)}: ${status.lastError.message}`
    : 'none';
  return [
    `daemon      running, pid ${status.pid}, up ${describeDuration(status.uptimeSeconds)}, ${megabytes} MiB resident, ${status.laps} lap(s)`,
    `server      ${status.socketPath}${status.serverLifetime ? ` (tmux pid ${status.serverLifetime.pid}, started ${localTime(new Date(status.serverLifetime.startTime * 1000).toISOString())})` : ''}`,
    `saves       ${status.saveDirectory ?? 'not known until the first save'}`,
    `last save   ${lastSave}`,
    `next full   ${nextFull}`,
    ...(status.paused ? [`not saving  ${describePauseReason(status.paused)}`] : []),
    `last error  ${lastError}`,
    ...(shellIntegration ? [`shell integration: ${describeShellIntegration(shellIntegration)}`] : []),
    `log         ${status.logPath}`,
  ];
}
