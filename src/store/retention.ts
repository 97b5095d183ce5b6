import { settingValue } from '../settings/setting.js';
import { optionSettings } from '../settings/settings.js';
import { type SaveFileName, sortNewestFirst } from './save-files.js';

export interface RetentionPolicy {
  /** The oldest a save may be, in days, unless it is protected (`@resurrect-delete-backup-after`). */
  readonly maximumAgeDays: number;
  /** At most this many saves stay; protected saves stay even beyond it. */
  readonly maximumCount: number;
  /** At most this many bytes of saves and their pane contents files stay; protected saves stay even beyond it. */
  readonly maximumBytes: number;
}

export const defaultRetention: RetentionPolicy = {
  maximumAgeDays: optionSettings.deleteBackupAfter.defaultValue,
  maximumCount: 100,
  maximumBytes: 100 * 1024 * 1024,
};

/** What retention needs to know of a save: its name's fields and its size on disk. */
export interface RetentionCandidate extends SaveFileName {
  /** The save file's bytes plus those of its pane contents file. */
  readonly bytes: number;
}

const hour = 60 * 60 * 1000;
const day = 24 * hour;
const week = 7 * day;
/** 1970-01-05 was a Monday: weekly buckets run Monday to Sunday, UTC. */
const firstMonday = 4 * day;

/** Fixed UTC buckets: a save that is the newest of its hour, day or week stays so as time passes. */
const thinning: readonly { readonly span: number; readonly bucket: (time: number) => number }[] = [
  { span: day, bucket: (time) => Math.floor(time / hour) },
  { span: week, bucket: (time) => Math.floor(time / day) },
  { span: Number.POSITIVE_INFINITY, bucket: (time) => Math.floor((time - firstMonday) / week) },
];

/**
 * Pure: which saves to delete, as backup tools thin their history. Kept are every save of the last
 * hour, the newest of each hour of the last day, the newest of each day of the last week and the
 * newest of each week, nothing older than `maximumAgeDays`. Then the count and byte caps remove
 * the extra saves of the last hour first (a daemon under churn saved 16 times in 2 minutes; those
 * must not push out last week), then the oldest.
 *
 * Never deleted, by age or cap: the newest save; the newest save of every server lifetime younger
 * than `maximumAgeDays`; and, whatever its age, the newest save of the lifetime before the newest
 * save's, because after a reboot (a laptop shut for weeks included) that is the environment the
 * user wants back, and the new server's first saves must not delete it before they restore it.
 * Never deleted by age, whatever the clock says: the newest save of every server lifetime (a
 * clock that jumped a year ahead made every earlier save look a year old); only the caps remove
 * those of lifetimes older than `maximumAgeDays`, oldest first. "Newest" is by sequence number
 * (save-files.ts), which a clock cannot reorder.
 */
export function savesToDelete<Save extends RetentionCandidate>(
  saves: readonly Save[],
  policy: RetentionPolicy,
  now: Date,
): Save[] {
  const newestFirst = sortNewestFirst(saves);
  const maximumAge = policy.maximumAgeDays * day;
  const ageOf = (save: Save): number => now.getTime() - save.savedAt.getTime();
  const protectedSaves = savesToProtect(newestFirst, maximumAge, ageOf);

  const representatives = new Set<Save>();
  for (const tier of thinning) {
    const span = Math.min(tier.span, maximumAge);
    const bucketsSeen = new Set<number>();
    for (const save of newestFirst) {
      const bucket = tier.bucket(save.savedAt.getTime());
      if (bucketsSeen.has(bucket)) continue;
      bucketsSeen.add(bucket);
      if (ageOf(save) < span) representatives.add(save);
    }
  }
  const recentSpan = Math.min(hour, maximumAge);
  const recentExtras = new Set(
    newestFirst.filter((save) => !representatives.has(save) && ageOf(save) < recentSpan),
  );

  const lifetimesSeen = new Set<string>();
  const newestOfLifetimes = newestFirst.filter((save) => {
    if (lifetimesSeen.has(save.serverLifetime)) return false;
    lifetimesSeen.add(save.serverLifetime);
    return true;
  });
  const kept = newestFirst.filter(
    (save) =>
      protectedSaves.has(save) ||
      representatives.has(save) ||
      recentExtras.has(save) ||
      newestOfLifetimes.includes(save),
  );
  const keptSet = new Set(kept);
  const doomed = new Set(newestFirst.filter((save) => !keptSet.has(save)));
  let count = kept.length;
  let bytes = kept.reduce((total, save) => total + save.bytes, 0);
  const oldestFirst = [...kept].reverse().filter((save) => !protectedSaves.has(save));
  const capOrder = [
    ...oldestFirst.filter((save) => recentExtras.has(save)),
    ...oldestFirst.filter((save) => !recentExtras.has(save)),
  ];
  for (const save of capOrder) {
    if (count <= policy.maximumCount && bytes <= policy.maximumBytes) break;
    doomed.add(save);
    count -= 1;
    bytes -= save.bytes;
  }
  return newestFirst.filter((save) => doomed.has(save));
}

function savesToProtect<Save extends RetentionCandidate>(
  newestFirst: readonly Save[],
  maximumAge: number,
  ageOf: (save: Save) => number,
): Set<Save> {
  const protectedSaves = new Set<Save>();
  const newest = newestFirst[0];
  if (newest === undefined) return protectedSaves;
  protectedSaves.add(newest);
  const previousLifetime = newestFirst.find((save) => save.serverLifetime !== newest.serverLifetime);
  if (previousLifetime) protectedSaves.add(previousLifetime);
  const lifetimesSeen = new Set<string>();
  for (const save of newestFirst) {
    if (lifetimesSeen.has(save.serverLifetime)) continue;
    lifetimesSeen.add(save.serverLifetime);
    if (ageOf(save) < maximumAge) protectedSaves.add(save);
  }
  return protectedSaves;
}

/** Reads `@resurrect-delete-backup-after`; anything but a positive number means the default. */
export function retentionFromOption(value: string | undefined): RetentionPolicy {
  return { ...defaultRetention, maximumAgeDays: settingValue(optionSettings.deleteBackupAfter, value) };
}
