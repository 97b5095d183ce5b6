import { readFile, stat } from 'node:fs/promises';
import { parseCmdline } from './foreground-process.js';

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot. A reused pid gets a new one. */
export function startTicksOf(statText: string): number | undefined {
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const afterName = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(afterName[19]);
  return Number.isInteger(ticks) && ticks >= 0 ? ticks : undefined;
}

/** This process's start time, for the daemon to report; null where there is no procfs. */
export async function ownStartTicks(platform: NodeJS.Platform = process.platform): Promise<number | null> {
  if (platform !== 'linux') return null;
  return startTicksOf(await readFile('/proc/self/stat', 'utf8').catch(() => '')) ?? null;
}

/** True for the command line of a continuum daemon: its process title, or `… daemon run …` before it set one. */
export function isDaemonCommandLine(argv: readonly string[]): boolean {
  // A process title overwrites argv in place and leaves the rest of its memory as NULs.
  const words = argv.filter((argument) => argument !== '');
  if (words.length === 1 && words[0]?.startsWith('continuum daemon ')) return true;
  return words.some((argument, index) => argument === 'daemon' && words[index + 1] === 'run');
}

export type ProcessVerdict =
  | { readonly result: 'verified' }
  | { readonly result: 'refused'; readonly reason: string };

/**
 * Whether `pid` is, right now, the daemon that reported `startTicks` over the proven channel: a
 * process of this user, with a daemon's command line, started at that very tick. Without procfs
 * nothing can be checked, so nothing is verified: the caller must then not send a signal.
 */
export async function verifyDaemonProcess(
  pid: number,
  startTicks: number | null,
  options: { platform?: NodeJS.Platform; procRoot?: string } = {},
): Promise<ProcessVerdict> {
  if ((options.platform ?? process.platform) !== 'linux') {
    return { result: 'refused', reason: 'this system has no /proc to check the process with' };
  }
  if (startTicks === null) return { result: 'refused', reason: 'the daemon did not report its start time' };
  const root = `${options.procRoot ?? '/proc'}/${pid}`;
  try {
    const [owner, statText, commandLine] = await Promise.all([
      stat(root),
      readFile(`${root}/stat`, 'utf8'),
      readFile(`${root}/cmdline`),
    ]);
    const uid = typeof process.getuid === 'function' ? process.getuid() : owner.uid;
    if (owner.uid !== uid) return { result: 'refused', reason: `pid ${pid} belongs to uid ${owner.uid}` };
    if (startTicksOf(statText) !== startTicks) {
      return { result: 'refused', reason: `pid ${pid} is not the process that started at the reported time` };
    }
    if (!isDaemonCommandLine(parseCmdline(commandLine))) {
      return { result: 'refused', reason: `pid ${pid} is not running \`continuum daemon run\`` };
    }
    return { result: 'verified' };
  } catch {
    return { result: 'refused', reason: `pid ${pid} is gone` };
  }
}
