import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { recordAutoRestoreResult } from '../daemon/auto-restore-result.js';
import type { DaemonLog } from '../daemon/daemon-log.js';
import { autoRestoreClaimOption } from '../daemon/fingerprint.js';
import { MuxCommandError, NoSaveError } from '../errors.js';
import { formatFor, newRecordMarkers, parseRecords } from '../mux/formats.js';
import type { MuxClient } from '../mux/mux-client.js';
import { restoringMarkerOption } from '../restore/restoring-marker.js';
import { freshServerSeconds } from '../server/freshness.js';
import { settingValue } from '../settings/setting.js';
import { optionSettings, settingsFrom } from '../settings/settings.js';

/** As in tmux-continuum: this file in the home directory turns auto-restore off for a while. */
export const noAutoRestoreFileName = 'tmux_no_auto_restore';

export type AutoRestoreOutcome =
  | { readonly result: 'restored'; readonly message: string }
  | { readonly result: 'failed'; readonly message: string }
  | { readonly result: 'skipped'; readonly reason: string };

export interface AutoRestoreDependencies {
  readonly mux: MuxClient;
  readonly log: DaemonLog;
  /** Undefined when no home directory is known: there is no stop file to look for. */
  readonly home: string | undefined;
  readonly now: () => Date;
  /** Runs the restore (the same code as `continuum restore`) and describes what it did. */
  readonly restore: () => Promise<string>;
}

const stateFields = [
  optionSettings.autoRestore.name,
  restoringMarkerOption,
  autoRestoreClaimOption,
  'start_time',
] as const;

/**
 * Restores the newest save once per server lifetime. The guard is `set-option -go`: tmux refuses
 * to set an option that is already set, and runs one client's command without interleaving
 * another's, so of any number of simultaneous hooks exactly one gets the claim (the double-restore
 * bug of tmux-continuum/psmux). The claim lives in the server, so it dies with it.
 */
export async function autoRestoreOnce(dependencies: AutoRestoreDependencies): Promise<AutoRestoreOutcome> {
  const { mux, log } = dependencies;
  if (mux.dialect.integration.autoRestore === 'daemon-lease')
    return skipped('the daemon of the namespace restores it once, as it starts');
  const markers = newRecordMarkers(mux.dialect);
  let output: string;
  try {
    output = await mux.runCommands([
      ['display-message', '-p', formatFor('A', stateFields, markers)],
      ['list-sessions', '-F', formatFor('L', [], markers)],
    ]);
  } catch (error) {
    // tmux before 3.2 has no current target without a session (init while tmux.conf runs).
    if (error instanceof MuxCommandError && /no current target/.test(error.stderr))
      return skipped('the server has no session yet');
    throw error;
  }
  const records = parseRecords(output, { A: stateFields, L: [] }, markers, (line) => void log.warn(line));
  const sessionCount = records.filter((record) => record.tag === 'L').length;
  const values = records.find((record) => record.tag === 'A')?.values ?? new Map<string, string>();
  const value = (name: string): string => values.get(name) ?? '';
  if (!settingValue(optionSettings.autoRestore, value(optionSettings.autoRestore.name)))
    return skipped('@continuum-restore is not on');
  // The restore's own new sessions fire session-created too.
  if (value(restoringMarkerOption) !== '') return skipped('a restore is running');
  if (value(autoRestoreClaimOption) !== '') return skipped('already done for this server');
  if (sessionCount === 0) return skipped('the server has no session yet');
  const uptime = dependencies.now().getTime() / 1000 - (Number(value('start_time')) || 0);
  if (uptime > freshServerSeconds) return skipped(`the server started ${Math.round(uptime)} s ago`);
  const stopped = await stopFileSkip(dependencies);
  if (stopped) return stopped;
  try {
    await mux.run(['set-option', '-go', autoRestoreClaimOption, String(process.pid)]);
  } catch (error) {
    if (error instanceof MuxCommandError) return skipped('another hook claimed it first');
    throw error;
  }
  return restoreAndRecord(dependencies);
}

/**
 * The auto-restore of a psmux namespace, run by its daemon as it starts. The daemon's lease is
 * the claim: exactly one daemon holds it per namespace, and it exits only when the namespace has
 * had no session for a while (MuxDialect.idleServerGraceMilliseconds), so each namespace lifetime
 * gets one. No option could be the claim: every psmux session is a server with its own options,
 * so two sessions' hooks would each find their own unset (docs/psmux.md).
 */
export async function autoRestoreNamespaceOnce(
  dependencies: AutoRestoreDependencies,
): Promise<AutoRestoreOutcome> {
  const { mux } = dependencies;
  const options = await mux.readGlobalOptions([optionSettings.autoRestore.name, restoringMarkerOption]);
  if (!settingsFrom(options).autoRestore) return skipped('@continuum-restore is not on');
  if ((options.get(restoringMarkerOption) ?? '') !== '') return skipped('a restore is running');
  const created = (await mux.run(['list-sessions', '-F', '#{session_created}']))
    .split('\n')
    .map((line) => Number.parseInt(line, 10))
    .filter((seconds) => Number.isFinite(seconds) && seconds > 0);
  if (created.length === 0) return skipped('the namespace has no session yet');
  const age = dependencies.now().getTime() / 1000 - Math.min(...created);
  // A daemon started by hand in a namespace used for a while must not pour a save into it.
  if (age > freshServerSeconds)
    return skipped(`the namespace's first session was created ${Math.round(age)} s ago`);
  const stopped = await stopFileSkip(dependencies);
  if (stopped) return stopped;
  return restoreAndRecord(dependencies);
}

async function stopFileSkip(dependencies: AutoRestoreDependencies): Promise<AutoRestoreOutcome | undefined> {
  if (dependencies.home === undefined) return undefined;
  const stopFile = join(dependencies.home, noAutoRestoreFileName);
  const exists = await access(stopFile).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  await dependencies.log.info(`auto-restore skipped: ${stopFile} exists`);
  return skipped(`${stopFile} exists`);
}

async function restoreAndRecord(dependencies: AutoRestoreDependencies): Promise<AutoRestoreOutcome> {
  const { mux, log } = dependencies;
  let outcome: AutoRestoreOutcome;
  try {
    outcome = { result: 'restored', message: await dependencies.restore() };
    await log.info(`auto-restore: ${outcome.message}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof NoSaveError) {
      await log.info(`auto-restore: nothing to restore (${message})`);
      await recordAutoRestoreResult(mux, { kind: 'nothing-to-restore' });
      return skipped(message);
    }
    outcome = { result: 'failed', message };
    await log.error(`auto-restore failed: ${message}`);
  }
  await recordAutoRestoreResult(
    mux,
    outcome.result === 'restored' ? { kind: 'restored' } : { kind: 'failed', message: outcome.message },
  );
  return outcome;
}

function skipped(reason: string): AutoRestoreOutcome {
  return { result: 'skipped', reason };
}
