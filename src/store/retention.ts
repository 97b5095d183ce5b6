import { type SaveFileName, sortNewestFirst } from './save-files.js';

export interface RetentionPolicy {
  /** Saves older than this many days may go (`@resurrect-delete-backup-after`). */
  readonly maximumAgeDays: number;
  /** The newest saves that always stay, however old. */
  readonly keepNewest: number;
}

export const defaultRetention: RetentionPolicy = { maximumAgeDays: 30, keepNewest: 5 };

/**
 * Pure: which saves to delete. Never the newest `keepNewest`, and never the newest save of a
 * server lifetime: after a reboot the last save of the previous lifetime is the one a user wants
 * back, however many saves the new server has made since.
 */
export function savesToDelete(
  saves: readonly SaveFileName[],
  policy: RetentionPolicy,
  now: Date,
): SaveFileName[] {
  const newestFirst = sortNewestFirst(saves);
  const cutoff = now.getTime() - policy.maximumAgeDays * 24 * 60 * 60 * 1000;
  const lifetimesSeen = new Set<string>();
  const doomed: SaveFileName[] = [];
  newestFirst.forEach((save, position) => {
    const newestOfLifetime = !lifetimesSeen.has(save.serverLifetime);
    lifetimesSeen.add(save.serverLifetime);
    if (position < policy.keepNewest || newestOfLifetime) return;
    if (save.savedAt.getTime() < cutoff) doomed.push(save);
  });
  return doomed;
}

/** Reads `@resurrect-delete-backup-after`; anything but a positive number means the default. */
export function retentionFromOption(value: string | undefined): RetentionPolicy {
  const days = Number(value);
  return Number.isFinite(days) && days > 0 ? { ...defaultRetention, maximumAgeDays: days } : defaultRetention;
}
