import { statusOption } from '../daemon/status-line.js';
import type { MuxClient } from '../mux/mux-client.js';
import { statusLineProgress } from '../restore/progress-text.js';
import type { RestoreProgress } from '../restore/workflow/request.js';
import { stateSettings } from '../settings/settings.js';

/** The status line is redrawn on each change: at most this often, so tmux is not kept busy. */
export const statusUpdateMilliseconds = 250;

/**
 * psmux-resurrect's progress option: its restore sets it on every step and unsets it when done
 * (psmux-resurrect/scripts/restore.ps1), and its users show `#{@resurrect-status}` in their
 * status line. A restore by continuum keeps it the same way, so those status lines keep working.
 */
export const resurrectStatusOption = stateSettings.resurrectStatus.name;

const progressOptions = [statusOption, resurrectStatusOption] as const;

export interface StatusLineReporter {
  readonly report: (event: RestoreProgress) => Promise<void>;
  /** Puts back what the status showed before, unless someone (the daemon) has set it since. */
  readonly finish: () => Promise<void>;
}

async function readProgressOptions(mux: MuxClient): Promise<ReadonlyMap<string, string> | undefined> {
  return mux.readGlobalOptions(progressOptions).catch(() => undefined);
}

/**
 * A restore run from tmux (key binding, auto-restore) has no terminal: its progress goes to
 * `@continuum-status`, which `#{continuum_status}` shows, and to `@resurrect-status`. A failed
 * update costs the display only.
 */
export async function statusLineReporter(
  mux: MuxClient,
  now: () => number = Date.now,
): Promise<StatusLineReporter> {
  const before = (await readProgressOptions(mux)) ?? new Map<string, string>();
  let shown: string | undefined;
  let lastUpdate = Number.NEGATIVE_INFINITY;
  const set = async (option: string, text: string): Promise<void> => {
    await mux.run(['set-option', '-g', option, text]).catch(() => '');
  };
  return {
    report: async (event) => {
      if (event.kind !== 'building') return;
      if (now() - lastUpdate < statusUpdateMilliseconds) return;
      lastUpdate = now();
      const text = statusLineProgress(event);
      for (const option of progressOptions) await set(option, text);
      shown = text;
    },
    finish: async () => {
      if (shown === undefined) return;
      const current = await readProgressOptions(mux);
      for (const option of progressOptions) {
        // The daemon publishes only when its own text changes: if it did meanwhile, keep its text.
        if (current === undefined || current.get(option) !== shown) continue;
        const earlier = before.get(option) ?? '';
        if (earlier === '') await mux.run(['set-option', '-gu', option]).catch(() => '');
        else await set(option, earlier);
      }
    },
  };
}
