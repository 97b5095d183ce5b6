/** The clock and the pause a poll uses, injected so that tests need no real time. */
export interface PollClock {
  readonly now: () => number;
  readonly sleep: (milliseconds: number) => Promise<void>;
}

export const realPollClock: PollClock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

export type PollResult<Value> =
  | { readonly result: 'found'; readonly value: Value; readonly attempts: number }
  | { readonly result: 'timed-out'; readonly attempts: number };

/**
 * Asks `check` until it returns a value or `deadlineMilliseconds` have passed. psmux returns from
 * `new-session -d` and `new-window` before the session or window exists (the server is a new
 * process that still has to start its shell), so the next command must wait for the result
 * instead of assuming it. The last attempt is made at the deadline, never after it.
 */
export async function pollUntil<Value>(
  check: () => Promise<Value | undefined>,
  options: { readonly deadlineMilliseconds: number; readonly intervalMilliseconds: number },
  clock: PollClock = realPollClock,
): Promise<PollResult<Value>> {
  const deadline = clock.now() + options.deadlineMilliseconds;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const value = await check();
    if (value !== undefined) return { result: 'found', value, attempts };
    const remaining = deadline - clock.now();
    if (remaining <= 0) return { result: 'timed-out', attempts };
    await clock.sleep(Math.min(options.intervalMilliseconds, remaining));
  }
}
