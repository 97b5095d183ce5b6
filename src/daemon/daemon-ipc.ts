import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { dirname } from 'node:path';
import * as v from 'valibot';
import { errorCode } from '../errors.js';
import { isPrivateDirectorySync } from '../platform/lease.js';
import { pauseReasonKinds } from './pause-reason.js';

/**
 * The daemon answers on its lease socket with newline-delimited JSON, and each side proves to the
 * other that it knows the random token the daemon wrote to a 0600 file of the user's:
 *
 *   daemon → {"hello":"continuum-daemon","nonce":N1}
 *   client → {"request":"status","nonce":N2,"proof":HMAC(token, client N1 status N2)}
 *   daemon → {"body":"<answer JSON>","proof":HMAC(token, daemon N2 N1 status body)}
 *
 * The socket already lives in a directory only the user can create files in; the proofs are the
 * second lock, and the one that does not depend on every directory on the way being right: a
 * listener that cannot prove it knows the token is never believed (its pid is never signalled),
 * and the token itself never crosses the socket, so a fake listener learns nothing from a client.
 * Node has no portable way to read a Unix socket peer's credentials (SO_PEERCRED), which is why a
 * shared secret and not the peer's uid is checked. Every answer is validated against a schema.
 */
export type DaemonRequest = 'ping' | 'status' | 'stop';

/** What a client got: nothing listening, a listener it cannot trust, or a proven answer. */
export type DaemonReply =
  | { readonly result: 'none' }
  | { readonly result: 'unverified'; readonly reason: string }
  | { readonly result: 'answered'; readonly answer: DaemonAnswer };

const maximumRequestBytes = 4096;
const maximumAnswerBytes = 1024 * 1024;
/** A client that has not finished its request by then is dropped: a held connection costs a file descriptor. */
const defaultIdleMilliseconds = 5000;
/** More open connections than this is a flood (a client asks one question and goes): the oldest are dropped. */
const defaultMaximumConnections = 32;

const hex = (length: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${length}}$`)));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const pid = v.pipe(v.number(), v.integer(), v.minValue(1));

const helloSchema = v.object({ hello: v.literal('continuum-daemon'), nonce: hex(32) });
const requestSchema = v.object({
  request: v.picklist(['ping', 'status', 'stop']),
  nonce: hex(32),
  proof: hex(64),
});
const envelopeSchema = v.object({
  body: v.pipe(v.string(), v.maxLength(maximumAnswerBytes)),
  proof: v.string(),
});

/** What a daemon says about itself: enough for `daemon stop` to recognise its process in /proc. */
const identitySchema = v.object({
  pid,
  /** Field 22 of /proc/PID/stat (start time in clock ticks after boot); null without procfs. */
  startTicks: v.nullable(count),
  /** The tmux server it serves. */
  socketPath: v.string(),
});
export type DaemonIdentity = v.InferOutput<typeof identitySchema>;

const lifetimeSchema = v.object({ pid: count, startTime: count });

const pausedSchema = v.variant('kind', [
  v.object({
    kind: v.picklist(
      pauseReasonKinds.filter((kind) => kind !== 'bootstrap-guard' && kind !== 'empty-namespace'),
    ),
    text: v.string(),
  }),
  v.object({ kind: v.literal('bootstrap-guard'), session: v.string(), text: v.string() }),
  v.object({ kind: v.literal('empty-namespace'), server: v.string(), text: v.string() }),
]);

const statusSchema = v.object({
  pid,
  version: v.string(),
  startedAt: v.string(),
  uptimeSeconds: count,
  rssBytes: count,
  /** The JavaScript heap in use: flat over a long run, unlike RSS it does not include freed pages kept by the allocator. */
  heapUsedBytes: count,
  socketPath: v.string(),
  logPath: v.string(),
  saveDirectory: v.nullable(v.string()),
  pollMilliseconds: count,
  saveIntervalMinutes: count,
  /** Why the last lap did not save, when it did not: a restore running, the bootstrap guard, interval 0. */
  paused: v.nullable(pausedSchema),
  laps: count,
  lastSave: v.nullable(
    v.object({
      at: v.string(),
      path: v.string(),
      result: v.picklist(['written', 'unchanged']),
      reason: v.string(),
    }),
  ),
  nextFullSaveAt: v.nullable(v.string()),
  lastError: v.nullable(v.object({ at: v.string(), message: v.string() })),
  /** The server lifetime it serves, known from its first lap on. */
  serverLifetime: v.nullable(lifetimeSchema),
});
export type DaemonStatus = v.InferOutput<typeof statusSchema>;

/**
 * Each answer carries its `kind`. A daemon of an earlier version sends none (`daemon start` still
 * asks such a daemon to stop after an upgrade), so the kind an answer to that request must have is
 * its default.
 */
const kind = <const Kind extends string>(name: Kind) => v.optional(v.literal(name), name);

const refusalSchema = v.object({ kind: kind('refused'), ok: v.literal(false), error: v.string() });

/**
 * The answer to `ping`: who the daemon is (proven with the token), the server lifetime it serves
 * (null before its first lap) and whether it is on its way out, so that `daemon start` can tell a
 * daemon of an earlier server on the same socket, or one that is stopping, from a working one.
 */
const pingSchema = v.object({
  kind: kind('ping'),
  ok: v.literal(true),
  daemon: identitySchema,
  lifetime: v.nullable(lifetimeSchema),
  stopping: v.boolean(),
});
const statusAnswerSchema = v.object({ kind: kind('status'), ok: v.literal(true), status: statusSchema });
const stoppingSchema = v.object({
  kind: kind('stopping'),
  ok: v.literal(true),
  stopping: v.literal(true),
  daemon: identitySchema,
});

export type PingAnswer = v.InferOutput<typeof pingSchema>;
export type DaemonAnswer =
  | PingAnswer
  | v.InferOutput<typeof statusAnswerSchema>
  | v.InferOutput<typeof stoppingSchema>
  | v.InferOutput<typeof refusalSchema>;

const answerSchemas = {
  ping: v.union([pingSchema, refusalSchema]),
  status: v.union([statusAnswerSchema, refusalSchema]),
  stop: v.union([stoppingSchema, refusalSchema]),
} satisfies Record<DaemonRequest, v.GenericSchema<unknown, DaemonAnswer>>;

function proofOf(token: string, parts: readonly string[]): string {
  return createHmac('sha256', token).update(parts.join('\n')).digest('hex');
}

function sameProof(expected: string, given: string): boolean {
  const one = Buffer.from(expected);
  const other = Buffer.from(given);
  return one.length === other.length && timingSafeEqual(one, other);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Calls `onLine` with the first line; a peer that sends more than `maximumBytes` without one is dropped. */
function readLine(socket: Socket, maximumBytes: number, onLine: (line: string) => void): void {
  let buffered = '';
  const onData = (chunk: string): void => {
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end < 0) {
      if (buffered.length > maximumBytes) socket.destroy();
      return;
    }
    socket.off('data', onData);
    onLine(buffered.slice(0, end));
  };
  socket.on('data', onData);
}

export interface DaemonServerOptions {
  /** The daemon's token; '' until it is written, and then every request is refused. */
  readonly token: () => string;
  readonly answer: (request: DaemonRequest) => DaemonAnswer | Promise<DaemonAnswer>;
  /** Called once when connections first exceed the limit, and again only after they all closed. */
  readonly onFlood?: (maximumConnections: number) => void;
  readonly maximumConnections?: number;
  readonly idleMilliseconds?: number;
}

/**
 * The lease's connection handler. Connections are bounded: at most `maximumConnections` open (a
 * new one drops the oldest, so a flood cannot lock `status` out for longer than it lasts), each
 * line at most 4 KiB, each connection closed after `idleMilliseconds` of silence.
 */
export function daemonConnectionHandler(options: DaemonServerOptions): (socket: Socket) => void {
  const maximum = options.maximumConnections ?? defaultMaximumConnections;
  const open = new Set<Socket>();
  let flooding = false;
  return (socket) => {
    if (open.size >= maximum) {
      const oldest = open.values().next().value;
      if (oldest) {
        open.delete(oldest);
        oldest.destroy();
      }
      if (!flooding) {
        flooding = true;
        options.onFlood?.(maximum);
      }
    }
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      if (open.size === 0) flooding = false;
    });
    serveDaemonConnection(socket, options);
  };
}

/** Server side of one connection: greeting, one proven request, one proven answer, close. */
export function serveDaemonConnection(socket: Socket, options: DaemonServerOptions): void {
  const serverNonce = randomBytes(16).toString('hex');
  socket.setEncoding('utf8');
  socket.setTimeout(options.idleMilliseconds ?? defaultIdleMilliseconds, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const send = (answer: DaemonAnswer, proof: (body: string) => string): void => {
    if (socket.destroyed) return;
    const body = JSON.stringify(answer);
    socket.end(`${JSON.stringify({ body, proof: proof(body) })}\n`);
  };
  const unproven = (): string => '';
  readLine(socket, maximumRequestBytes, (line) => {
    const parsed = v.safeParse(requestSchema, parseJson(line));
    if (!parsed.success) {
      send({ kind: 'refused', ok: false, error: 'bad request' }, unproven);
      return;
    }
    const { request, nonce } = parsed.output;
    const token = options.token();
    if (
      token === '' ||
      !sameProof(proofOf(token, ['client', serverNonce, request, nonce]), parsed.output.proof)
    ) {
      send({ kind: 'refused', ok: false, error: 'unauthorized' }, unproven);
      return;
    }
    const proven = (body: string): string => proofOf(token, ['daemon', nonce, serverNonce, request, body]);
    Promise.resolve()
      .then(() => options.answer(request))
      .then(
        (answer) => send(answer, proven),
        (error: unknown) => send({ kind: 'refused', ok: false, error: String(error) }, proven),
      );
  });
  socket.write(`${JSON.stringify({ hello: 'continuum-daemon', nonce: serverNonce })}\n`);
}

/**
 * Client side: one proven request, one proven answer. `none` when nothing listens; `unverified`
 * when something answers that does not prove it knows `token` or says something malformed.
 */
export function askDaemon(
  address: string,
  request: DaemonRequest,
  token: string,
  timeoutMilliseconds = 3000,
): Promise<DaemonReply> {
  if (!address.startsWith('\\\\.\\pipe\\')) {
    const directory = dirname(address);
    if (!isPrivateDirectorySync(directory)) {
      return Promise.resolve(
        directoryExists(directory)
          ? { result: 'unverified', reason: `${directory} is not a private directory of yours` }
          : { result: 'none' },
      );
    }
  }
  return new Promise((resolve) => {
    const socket = createConnection({ path: address });
    let settled = false;
    const finish = (reply: DaemonReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const distrust = (reason: string): void => finish({ result: 'unverified', reason });
    const timer = setTimeout(
      () => distrust(`no answer within ${timeoutMilliseconds} ms`),
      timeoutMilliseconds,
    );
    socket.setEncoding('utf8');
    socket.once('error', (error) => {
      const code = errorCode(error);
      if (code === 'ECONNREFUSED' || code === 'ENOENT') finish({ result: 'none' });
      else distrust(`cannot connect (${code ?? error.message})`);
    });
    socket.once('close', () => distrust('it closed the connection without a proven answer'));
    readLine(socket, maximumRequestBytes, (helloLine) => {
      const hello = v.safeParse(helloSchema, parseJson(helloLine));
      if (!hello.success) return distrust('its greeting is not a continuum daemon greeting');
      if (token === '') return distrust('there is no token to prove who we are with');
      const nonce = randomBytes(16).toString('hex');
      const serverNonce = hello.output.nonce;
      readLine(socket, maximumAnswerBytes, (answerLine) => {
        const envelope = v.safeParse(envelopeSchema, parseJson(answerLine));
        if (!envelope.success) return distrust('its answer is malformed');
        const { body, proof } = envelope.output;
        if (!sameProof(proofOf(token, ['daemon', nonce, serverNonce, request, body]), proof)) {
          const refusal = v.safeParse(refusalSchema, parseJson(body));
          return distrust(
            refusal.success
              ? `it refused (${refusal.output.error.slice(0, 80)}) without proving it knows the token`
              : 'it did not prove it knows the token',
          );
        }
        const answer = v.safeParse(answerSchemas[request], parseJson(body));
        if (!answer.success) return distrust('its answer does not match the schema');
        finish({ result: 'answered', answer: answer.output });
      });
      socket.write(
        `${JSON.stringify({ request, nonce, proof: proofOf(token, ['client', serverNonce, request, nonce]) })}\n`,
      );
    });
  });
}

function directoryExists(directory: string): boolean {
  try {
    return lstatSync(directory, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/** The token of the running daemon, or '' when none was written yet. */
export async function readDaemonToken(tokenPath: string): Promise<string> {
  return (await readFile(tokenPath, 'utf8').catch(() => '')).trim();
}
