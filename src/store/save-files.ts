import { serverTagPattern } from '../server/server-identity.js';
import { lifetimeText } from '../server/server-lifetime.js';

/**
 * Names of save files. The name carries the server it belongs to (its tag, see
 * `server-identity.ts`), the time of the save and the server lifetime it came from, so listing,
 * choosing the newest of a server and retention need no file reads.
 * Example: `continuum-work.1a2b3c4d-2026-11-24T12-13-37-123Z-server-1795522571-4242-n17.json`.
 * `-nSEQUENCE` orders the saves of a directory whatever the wall clock said when they were
 * written (one stamped a year ahead by a bad NTP answer must not stay "newest"); names without it
 * (earlier versions, imports) sort below every numbered one, by time.
 * Names written before saves carried a tag (`continuum-2026-…-server-…json`) still parse, with
 * `serverTag` undefined: their server is the `server.socketPath` recorded inside.
 */
export interface SaveFileName {
  readonly fileName: string;
  /** The server's tag; undefined for a legacy name. */
  readonly serverTag: string | undefined;
  readonly savedAt: Date;
  /** `startTime-pid` of the tmux server the save was taken from. */
  readonly serverLifetime: string;
  /** 0, or the suffix that tells apart saves written in the same millisecond (higher = later). */
  readonly attempt: number;
  /** The directory's write counter when the save was written; 0 for names without one. */
  readonly sequence: number;
}

const saveFilePattern = new RegExp(
  `^continuum-(?:(${serverTagPattern})-)?(\\d{4}-\\d\\d-\\d\\d)T(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d{3})Z-server-(\\d+-\\d+)(?:-(\\d+))?(?:-n(\\d+))?\\.json$`,
);

/**
 * The name of a save. Without `serverTag` it is a legacy name (kept for tests of old
 * directories); the store always passes one.
 */
export function saveFileName(
  savedAt: Date,
  server: { startTime: number; pid: number },
  attempt = 0,
  serverTag?: string,
  sequence = 0,
): string {
  const stamp = savedAt.toISOString().replace(/:/g, '-').replace('.', '-');
  const owner = serverTag === undefined ? '' : `${serverTag}-`;
  return `continuum-${owner}${stamp}-server-${lifetimeText(server)}${attempt > 0 ? `-${attempt}` : ''}${sequence > 0 ? `-n${sequence}` : ''}.json`;
}

export function parseSaveFileName(fileName: string): SaveFileName | undefined {
  const match = fileName.match(saveFilePattern);
  if (!match) return undefined;
  const [, serverTag, date, hours, minutes, seconds, milliseconds, serverLifetime, attempt, sequence] = match;
  const savedAt = new Date(`${date}T${hours}:${minutes}:${seconds}.${milliseconds}Z`);
  if (Number.isNaN(savedAt.getTime())) return undefined;
  return {
    fileName,
    serverTag,
    savedAt,
    serverLifetime: serverLifetime!,
    attempt: Number(attempt ?? 0),
    sequence: Number(sequence ?? 0),
  };
}

/** The number the next save written into a directory holding `saves` gets. */
export function nextSequence(saves: readonly SaveFileName[]): number {
  return saves.reduce((highest, save) => Math.max(highest, save.sequence), 0) + 1;
}

/**
 * Newest first: by sequence number (a clock that jumped cannot reorder those), then by time;
 * names of the same millisecond keep their written order through the suffix.
 * Compared as numbers, not as text: in text order `….json` sorts after `…-1.json` and `-10` before
 * `-9`, which made an older save of the same millisecond look newest.
 */
export function sortNewestFirst<Save extends SaveFileName>(saves: readonly Save[]): Save[] {
  return [...saves].sort(
    (a, b) =>
      b.sequence - a.sequence ||
      b.savedAt.getTime() - a.savedAt.getTime() ||
      b.attempt - a.attempt ||
      (a.fileName < b.fileName ? 1 : a.fileName > b.fileName ? -1 : 0),
  );
}
