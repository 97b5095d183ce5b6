import { appendFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensurePrivateDirectory } from '../files/atomic-write.js';
import { localTime } from '../human-text.js';

export type LogLevel = 'INF' | 'WRN' | 'ERR';

/** The log is rotated to one `.old` file when it reaches this size. */
export const logRotationBytes = 256 * 1024;

/** Pure: one log line, `[2026-11-23 14:30:01] [INF] [PID 1234] message`, in local time. */
export function formatLogLine(time: Date, level: LogLevel, pid: number, message: string): string {
  const stamp = localTime(time);
  // One event is one line: a message with a newline (a tmux error, a stack) would split it.
  const flat = message.trim().replace(/\s*[\r\n]+\s*/g, ' | ');
  return `[${stamp}] [${level}] [PID ${pid}] ${flat}\n`;
}

export interface DaemonLogOptions {
  readonly path: string;
  /**
   * Only the lease holder rotates: two rotators could each rename the other's fresh file away.
   * Other writers (hooks, `daemon start`) only append.
   */
  readonly rotates: boolean;
  readonly now?: () => Date;
  readonly rotationBytes?: number;
  /** Also hands each line here (`daemon run` in a terminal shows its log as it goes). */
  readonly echo?: (line: string) => void;
}

/**
 * An append-only log. Each line goes out in a single `write` on a file opened with O_APPEND, so
 * lines from concurrent writers never interleave; a failure to log never stops the caller.
 */
export class DaemonLog {
  readonly path: string;
  readonly #rotates: boolean;
  readonly #now: () => Date;
  readonly #rotationBytes: number;
  readonly #echo: ((line: string) => void) | undefined;
  #directoryReady = false;

  constructor(options: DaemonLogOptions) {
    this.path = options.path;
    this.#rotates = options.rotates;
    this.#now = options.now ?? (() => new Date());
    this.#rotationBytes = options.rotationBytes ?? logRotationBytes;
    this.#echo = options.echo;
  }

  info(message: string): Promise<void> {
    return this.write('INF', message);
  }

  warn(message: string): Promise<void> {
    return this.write('WRN', message);
  }

  error(message: string): Promise<void> {
    return this.write('ERR', message);
  }

  async write(level: LogLevel, message: string): Promise<void> {
    const line = formatLogLine(this.#now(), level, process.pid, message);
    this.#echo?.(line);
    try {
      if (!this.#directoryReady) {
        await ensurePrivateDirectory(dirname(this.path));
        this.#directoryReady = true;
      }
      if (this.#rotates) await this.#rotateIfFull();
      await appendFile(this.path, line, {
        flag: 'a',
        mode: 0o600,
      });
    } catch {
      // The log is for people; the daemon's work (saving) must go on without it.
    }
  }

  async #rotateIfFull(): Promise<void> {
    const size = await stat(this.path).then(
      (info) => info.size,
      () => 0,
    );
    if (size >= this.#rotationBytes) await rename(this.path, `${this.path}.old`);
  }
}
