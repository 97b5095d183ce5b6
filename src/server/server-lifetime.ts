/**
 * One run of a tmux server: its pid and start time (`#{pid}`, `#{start_time}`). A server killed and
 * started again on the same socket is another lifetime, and a daemon serves exactly one.
 */
export interface ServerLifetime {
  readonly pid: number;
  readonly startTime: number;
}

export function sameLifetime(one: ServerLifetime, other: ServerLifetime): boolean {
  return one.pid === other.pid && one.startTime === other.startTime;
}

/** `pid 1234, started 2026-11-25T10:01:20.000Z`, for the log, from the epoch seconds tmux gives. */
export function describeLifetime(lifetime: ServerLifetime): string {
  return `pid ${lifetime.pid}, started ${new Date(lifetime.startTime * 1000).toISOString()}`;
}

/** `startTime-pid`: the one text form of a lifetime, as save file names record it. */
export function lifetimeText(lifetime: ServerLifetime): string {
  return `${lifetime.startTime}-${lifetime.pid}`;
}

/** The lifetime a `startTime-pid` text names (as {@link lifetimeText} writes it). */
export function parseLifetimeText(text: string): ServerLifetime {
  const [startTime, pid] = text.split('-');
  return { startTime: Number(startTime), pid: Number(pid) };
}
