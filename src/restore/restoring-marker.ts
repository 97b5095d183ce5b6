import { readFile, stat } from 'node:fs/promises';
import type { MuxClient } from '../mux/mux-client.js';
import { parseCmdline } from '../platform/foreground-process.js';
import { ownStartTicks, startTicksOf } from '../platform/process-identity.js';
import { stateSettings } from '../settings/settings.js';

/** Set for the duration of a restore so hooks (session-created) can tell restored sessions from new ones. */
export const restoringMarkerOption = stateSettings.restoring.name;

/**
 * The marker's value: the restoring process's pid and, where there is procfs, its start time
 * (field 22 of /proc/PID/stat), so a pid reused by another process is not taken for the restore.
 */
export async function restoringMarkerValue(): Promise<string> {
  const ticks = await ownStartTicks();
  return ticks === null ? String(process.pid) : `${process.pid} ${ticks}`;
}

/** Whether the marker names a process of this user's that is a continuum still running. */
export type RestoringMarkerState =
  | { readonly kind: 'unset' }
  | { readonly kind: 'running'; readonly pid: number }
  | { readonly kind: 'stale'; readonly value: string; readonly reason: string };

/**
 * A restore stopped by SIGKILL (or by a version without signal handling) leaves the marker set
 * for ever, which paused every auto-save of the server. A marker counts only while its pid runs
 * continuum: on Linux the same process (its start time) of this user whose command line is
 * continuum's; elsewhere a pid that exists.
 */
export async function restoringMarkerState(
  value: string,
  options: { readonly platform?: NodeJS.Platform; readonly procRoot?: string } = {},
): Promise<RestoringMarkerState> {
  if (value === '') return { kind: 'unset' };
  const [pidText = '', ticksText] = value.trim().split(' ');
  const pid = Number(pidText);
  const stale = (reason: string): RestoringMarkerState => ({ kind: 'stale', value, reason });
  if (!/^\d+$/.test(pidText) || pid <= 0) return stale(`it names no process (${JSON.stringify(value)})`);
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return stale(`its process ${pid} is gone`);
    return stale(`its process ${pid} is another user's`);
  }
  if ((options.platform ?? process.platform) !== 'linux') return { kind: 'running', pid };
  const root = `${options.procRoot ?? '/proc'}/${pid}`;
  const facts = await Promise.all([
    stat(root),
    readFile(`${root}/stat`, 'utf8'),
    readFile(`${root}/cmdline`),
  ]).catch(() => undefined);
  if (!facts) return stale(`its process ${pid} is gone`);
  const [owner, statText, commandLine] = facts;
  if (typeof process.getuid === 'function' && owner.uid !== process.getuid())
    return stale(`its process ${pid} is another user's`);
  if (ticksText !== undefined && String(startTicksOf(statText)) !== ticksText)
    return stale(`pid ${pid} is now another process`);
  const words = parseCmdline(commandLine).join(' ');
  if (!/continuum/.test(words)) return stale(`pid ${pid} is no longer continuum`);
  return { kind: 'running', pid };
}

/**
 * Unsets the marker only while it still holds `value`: one tmux command (if-shell -F compares in
 * the server), so a restore that started meanwhile keeps its own marker.
 */
export async function clearRestoringMarkerIf(mux: MuxClient, value: string): Promise<void> {
  // The value is digits and a space: nothing tmux's format or command parser reads specially.
  if (!/^[\d ]+$/.test(value)) {
    await mux.run(['set-option', '-gu', restoringMarkerOption]);
    return;
  }
  await mux.run([
    'if-shell',
    '-F',
    `#{==:#{${restoringMarkerOption}},${value}}`,
    `set-option -gu ${restoringMarkerOption}`,
  ]);
}

const interruptions: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `work` with Ctrl-C, SIGTERM and SIGHUP first unsetting the marker (left set, it paused
 * auto-save for the rest of the server's life) and then ending the process by the same signal,
 * as it would have without the handler. `cleanUp` (the restore's lease) runs before that too.
 */
export async function clearingMarkerOnSignals<T>(
  mux: MuxClient,
  marker: string,
  cleanUp: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    void clearRestoringMarkerIf(mux, marker)
      .catch(() => undefined)
      .then(() => cleanUp().catch(() => undefined))
      .finally(() => {
        for (const name of interruptions) process.removeListener(name, onSignal);
        process.kill(process.pid, signal);
      });
  };
  for (const name of interruptions) process.on(name, onSignal);
  try {
    return await work();
  } finally {
    if (!stopping) for (const name of interruptions) process.removeListener(name, onSignal);
  }
}
