/**
 * Names of save files. The name carries the time of the save and the identity of the server
 * lifetime it came from, so listing and retention need no file reads.
 * Example: `continuum-2026-11-24T12-13-37-123Z-server-1795522571-4242.json`.
 */
export interface SaveFileName {
  readonly fileName: string;
  readonly savedAt: Date;
  /** `startTime-pid` of the tmux server the save was taken from. */
  readonly serverLifetime: string;
  /** 0, or the suffix that tells apart saves written in the same millisecond (higher = later). */
  readonly attempt: number;
}

const saveFilePattern =
  /^continuum-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z-server-(\d+-\d+)(?:-(\d+))?\.json$/;

export const lastPointerName = 'last';

export function saveFileName(savedAt: Date, server: { startTime: number; pid: number }, attempt = 0): string {
  const stamp = savedAt.toISOString().replace(/:/g, '-').replace('.', '-');
  return `continuum-${stamp}-server-${server.startTime}-${server.pid}${attempt > 0 ? `-${attempt}` : ''}.json`;
}

export function parseSaveFileName(fileName: string): SaveFileName | undefined {
  const match = fileName.match(saveFilePattern);
  if (!match) return undefined;
  const [, date, hours, minutes, seconds, milliseconds, serverLifetime, attempt] = match;
  const savedAt = new Date(`${date}T${hours}:${minutes}:${seconds}.${milliseconds}Z`);
  if (Number.isNaN(savedAt.getTime())) return undefined;
  return { fileName, savedAt, serverLifetime: serverLifetime!, attempt: Number(attempt ?? 0) };
}

/**
 * Newest first; names of the same millisecond keep their written order through the suffix.
 * Compared as numbers, not as text: in text order `….json` sorts after `…-1.json` and `-10` before
 * `-9`, which made an older save of the same millisecond look newest.
 */
export function sortNewestFirst<Save extends SaveFileName>(saves: readonly Save[]): Save[] {
  return [...saves].sort(
    (a, b) =>
      b.savedAt.getTime() - a.savedAt.getTime() ||
      b.attempt - a.attempt ||
      (a.fileName < b.fileName ? 1 : a.fileName > b.fileName ? -1 : 0),
  );
}
