/** Words for people: counts with the right number, times in the reader's own time zone. */

/** `1 session`, `2 sessions`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `1 session, 2 windows, 3 panes`. */
export function describeCounts(counts: {
  readonly sessions: number;
  readonly windows: number;
  readonly panes: number;
}): string {
  return [
    plural(counts.sessions, 'session'),
    plural(counts.windows, 'window'),
    plural(counts.panes, 'pane'),
  ].join(', ');
}

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * `2026-11-23 14:30:01` in local time: saves are named and stored in UTC (sortable, unambiguous),
 * but a person reads the clock on their wall.
 */
export function localTime(time: Date | string): string {
  const date = typeof time === 'string' ? new Date(time) : time;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/**
 * The local time these calendar fields name, or undefined when they name none: `Date` rolls
 * 30 February over into March and 25:00 into the next day, which is not the time a file said.
 */
export function localDateOf(fields: readonly number[]): Date | undefined {
  const [year = 0, month = 1, day = 1, hours = 0, minutes = 0, seconds = 0] = fields;
  const date = new Date(year, month - 1, day, hours, minutes, seconds);
  const same =
    date.getFullYear() === year &&
    date.getMonth() === month - 1 &&
    date.getDate() === day &&
    date.getHours() === hours &&
    date.getMinutes() === minutes &&
    date.getSeconds() === seconds;
  return same ? date : undefined;
}
