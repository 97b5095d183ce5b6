import type { RestoreProgress } from './workflow/request.js';

type Counts = Extract<RestoreProgress, { kind: 'building' }>;

const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(1)} s`;

/** Pure: the progress line of a terminal (one line, rewritten in place). */
export function terminalProgressLine(event: Counts, elapsedMilliseconds: number): string {
  const names = event.sessions.slice(0, 3).map((name) => JSON.stringify(name));
  const more =
    event.sessions.length > names.length ? ` and ${event.sessions.length - names.length} more` : '';
  return (
    `restoring: ${event.sessionsDone}/${event.sessionsTotal} sessions, ` +
    `${event.panesDone}/${event.panesTotal} panes` +
    (names.length > 0 ? `, now ${names.join(', ')}${more}` : '') +
    `, ${seconds(elapsedMilliseconds)}`
  );
}

/** Pure: the few characters the status line shows while a restore runs (`#{continuum_status}`). */
export function statusLineProgress(event: Counts): string {
  return `restoring ${event.sessionsDone}/${event.sessionsTotal}`;
}
