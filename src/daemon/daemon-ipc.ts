import { readFile } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import type { ServerLifetime } from './server-lifetime.js';

/**
 * The daemon answers on its lease socket with newline-delimited JSON: one request line, one
 * answer line. An abstract socket has no file permissions, so anything beyond `ping` needs the
 * token the daemon wrote to a 0600 file in the user's state directory.
 */
export type DaemonRequest =
  | { readonly request: 'ping'; readonly token?: string }
  | { readonly request: 'status'; readonly token: string }
  | { readonly request: 'stop'; readonly token: string };

export interface DaemonStatus {
  readonly pid: number;
  readonly version: string;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly rssBytes: number;
  /** The JavaScript heap in use: flat over a long run, unlike RSS it does not include freed pages kept by the allocator. */
  readonly heapUsedBytes: number;
  readonly socketPath: string;
  /** The server lifetime it serves, known from its first lap on. */
  readonly serverLifetime: ServerLifetime | null;
  readonly logPath: string;
  readonly saveDirectory: string | null;
  readonly pollMilliseconds: number;
  readonly saveIntervalMinutes: number;
  /** Why the last lap did not save, when it did not: a restore running, the bootstrap guard, interval 0. */
  readonly paused: string | null;
  readonly laps: number;
  readonly lastSave: {
    readonly at: string;
    readonly path: string;
    readonly result: 'written' | 'unchanged';
    readonly reason: string;
  } | null;
  readonly nextFullSaveAt: string | null;
  readonly lastError: { readonly at: string; readonly message: string } | null;
}

/**
 * The answer to `ping`. `lifetime` (null before the first lap) and `stopping` let `daemon start`
 * tell a daemon of an earlier server on the same socket, or one on its way out, from a working one.
 */
export interface PingAnswer {
  readonly ok: true;
  readonly pid: number;
  readonly authorized: boolean;
  readonly lifetime?: ServerLifetime | null;
  readonly stopping?: boolean;
}

export type DaemonAnswer =
  | PingAnswer
  | { readonly ok: true; readonly status: DaemonStatus }
  | { readonly ok: true; readonly stopping: true }
  | { readonly ok: false; readonly error: string };

const maximumRequestBytes = 4096;

/** Server side: reads one request line, answers it, closes. Bad or oversized input just closes. */
export function serveDaemonConnection(
  socket: Socket,
  answer: (request: DaemonRequest) => DaemonAnswer | Promise<DaemonAnswer>,
): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.setTimeout(5000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end < 0) {
      if (buffered.length > maximumRequestBytes) socket.destroy();
      return;
    }
    socket.removeAllListeners('data');
    const request = parseRequest(buffered.slice(0, end));
    if (!request) {
      socket.end(`${JSON.stringify({ ok: false, error: 'bad request' })}\n`);
      return;
    }
    Promise.resolve(answer(request)).then(
      (reply) => socket.end(`${JSON.stringify(reply)}\n`),
      (error: unknown) => socket.end(`${JSON.stringify({ ok: false, error: String(error) })}\n`),
    );
  });
}

function parseRequest(line: string): DaemonRequest | undefined {
  try {
    const value = JSON.parse(line) as { request?: unknown; token?: unknown };
    const token = typeof value.token === 'string' ? value.token : '';
    if (value.request === 'ping') return { request: 'ping', token };
    if (value.request === 'status' || value.request === 'stop') return { request: value.request, token };
  } catch {
    // Falls through: not JSON.
  }
  return undefined;
}

/** Client side: one request, one answer; undefined when nothing listens or it does not answer in time. */
export function askDaemon(
  address: string,
  request: DaemonRequest,
  timeoutMilliseconds = 3000,
): Promise<DaemonAnswer | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: address });
    let received = '';
    const finish = (answer: DaemonAnswer | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMilliseconds);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end < 0) return;
      try {
        finish(JSON.parse(received.slice(0, end)) as DaemonAnswer);
      } catch {
        finish(undefined);
      }
    });
    socket.once('error', () => finish(undefined));
    socket.once('end', () => finish(undefined));
  });
}

/** The token of the running daemon, or '' when none was written yet. */
export async function readDaemonToken(tokenPath: string): Promise<string> {
  return (await readFile(tokenPath, 'utf8').catch(() => '')).trim();
}
