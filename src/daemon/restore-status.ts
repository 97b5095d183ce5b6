import type { MuxClient } from '../mux/mux-client.js';
import { statusLineProgress } from '../restore/progress-text.js';
import type { RestoreProgress } from '../restore/restore-workflow.js';
import { statusOption } from './tmux-integration.js';

/** The status line is redrawn on each change: at most this often, so tmux is not kept busy. */
export const statusUpdateMilliseconds = 250;

export interface StatusLineReporter {
  readonly report: (event: RestoreProgress) => Promise<void>;
  /** Puts back what the status showed before, unless someone (the daemon) has set it since. */
  readonly finish: () => Promise<void>;
}

/**
 * A restore run from tmux (key binding, auto-restore) has no terminal: its progress goes to
 * `@continuum-status`, which `#{continuum_status}` shows. A failed update costs the display only.
 */
export async function statusLineReporter(
  mux: MuxClient,
  now: () => number = Date.now,
): Promise<StatusLineReporter> {
  const before = await mux.run(['show-options', '-gqv', statusOption]).then(
    (text) => text.replace(/\n$/, ''),
    () => '',
  );
  let shown: string | undefined;
  let lastUpdate = Number.NEGATIVE_INFINITY;
  const set = async (text: string): Promise<void> => {
    await mux.run(['set-option', '-g', statusOption, text]).catch(() => '');
    shown = text;
  };
  return {
    report: async (event) => {
      if (event.kind !== 'building') return;
      if (now() - lastUpdate < statusUpdateMilliseconds) return;
      lastUpdate = now();
      await set(statusLineProgress(event));
    },
    finish: async () => {
      if (shown === undefined) return;
      const current = await mux.run(['show-options', '-gqv', statusOption]).catch(() => undefined);
      // The daemon publishes only when its own text changes: if it did meanwhile, keep its text.
      if (current === undefined || current.replace(/\n$/, '') !== shown) return;
      if (before === '') await mux.run(['set-option', '-gu', statusOption]).catch(() => '');
      else await set(before);
    },
  };
}
