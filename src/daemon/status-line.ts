import type { DaemonStatus } from './daemon-ipc.js';
import type { PauseReason } from './pause-reason.js';

/** The option the daemon keeps up to date for the status line (`#{continuum_status}` is replaced by it). */
export const statusOption = '@continuum-status';

/** What the status line shows once the daemon has stopped: nothing saves any more. */
export const stoppedStatus = 'continuum: stopped';

/** Pure: a few characters for the status line (`#{continuum_status}`), in local time. */
export function shortStatus(
  status: Pick<DaemonStatus, 'lastError' | 'saveIntervalMinutes' | 'lastSave'> & {
    readonly paused: PauseReason | null;
  },
): string {
  if (status.lastError) return 'continuum: error';
  if (status.saveIntervalMinutes === 0) return 'continuum: off';
  if (status.paused?.kind === 'auto-restore-failed') return 'continuum: paused';
  if (!status.lastSave) return 'continuum: on';
  const time = new Date(status.lastSave.at);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `saved ${pad(time.getHours())}:${pad(time.getMinutes())}`;
}
