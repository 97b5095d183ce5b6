import { open, readFile, stat } from 'node:fs/promises';
import { errorCode, UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { daemonFilesFor } from './daemon-target.js';

export interface LogsCommandOptions {
  readonly follow?: boolean;
  readonly lines?: string;
}

/** Prints the daemon's log (the last `--lines`), and with --follow keeps printing what is added. */
export async function runLogs(context: CommandContext, options: LogsCommandOptions): Promise<void> {
  const files = daemonFilesFor(context);
  const count = options.lines === undefined ? 50 : Number(options.lines);
  if (!Number.isInteger(count) || count < 0) {
    throw new UsageError(`--lines must be a whole number, not "${options.lines}"`);
  }
  const text = await readFile(files.logPath, 'utf8').catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return '';
    throw error;
  });
  const lines = text.split('\n').filter((line) => line !== '');
  if (lines.length === 0 && !options.follow) {
    context.print(`the log ${files.logPath} is empty: no daemon has run for ${files.socketPath} yet`);
    return;
  }
  for (const line of count === 0 ? [] : lines.slice(-count)) context.print(line);
  if (options.follow) await follow(files.logPath, Buffer.byteLength(text), context);
}

/** Polls the file's size (no fixed sleep of the product's work: it is the user watching) until interrupted. */
async function follow(path: string, startOffset: number, context: CommandContext): Promise<void> {
  let offset = startOffset;
  let partial = '';
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  let running = true;
  void stopped.then(() => {
    running = false;
  });
  while (running) {
    const size = await stat(path).then(
      (info) => info.size,
      () => 0,
    );
    // A smaller file was rotated: start again from its beginning.
    if (size < offset) offset = 0;
    if (size > offset) {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(size - offset);
        await handle.read(buffer, 0, buffer.length, offset);
        offset = size;
        const text = partial + buffer.toString('utf8');
        const end = text.lastIndexOf('\n');
        partial = text.slice(end + 1);
        for (const line of text.slice(0, end + 1).split('\n')) if (line !== '') context.print(line);
      } finally {
        await handle.close();
      }
    }
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 250))]);
  }
}
