import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  askDaemon,
  type DaemonAnswer,
  type DaemonServerOptions,
  daemonConnectionHandler,
} from '../../../src/daemon/daemon-ipc.js';
import { waitFor } from '../../support/tmux-server.js';

const token = 'a'.repeat(48);
const identity = { pid: 4242, startTicks: 99, socketPath: '/tmp/tmux-0/default' };

function listenOn(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(onConnection);
    server.listen(path, () => resolve(server));
  });
}

const close = (server: Server): Promise<void> => new Promise((done) => server.close(() => done()));

/** A stranger's listener: greets like the daemon, then says `reply(nonces)` whatever it was asked. */
function fakeDaemon(reply: (serverNonce: string, request: { request: string; nonce: string }) => string) {
  return (socket: Socket): void => {
    const serverNonce = 'f'.repeat(32);
    socket.setEncoding('utf8');
    socket.write(`${JSON.stringify({ hello: 'continuum-daemon', nonce: serverNonce })}\n`);
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (!buffered.includes('\n')) return;
      socket.end(`${reply(serverNonce, JSON.parse(buffered.split('\n')[0]!))}\n`);
    });
    socket.on('error', () => undefined);
  };
}

/** Opens a raw connection and resolves when the daemon closes it. */
function closedByPeer(path: string, send?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path }, () => {
      if (send !== undefined) socket.write(send);
    });
    socket.on('data', () => undefined);
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}

describe('daemon IPC', () => {
  let directory: string;
  let counter = 0;
  const nextPath = (): string => {
    counter += 1;
    return join(directory, `s${counter}.sock`);
  };
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-ipc-'));
    await mkdir(directory, { recursive: true, mode: 0o700 });
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const serving = (overrides: Partial<DaemonServerOptions> = {}) =>
    daemonConnectionHandler({
      token: () => token,
      answer: (request): DaemonAnswer =>
        request === 'stop'
          ? { kind: 'stopping', ok: true, stopping: true, daemon: identity }
          : { kind: 'ping', ok: true, daemon: identity, lifetime: null, stopping: false },
      ...overrides,
    });

  it('answers a client that proves the token, with a proof the client checks', async () => {
    const path = nextPath();
    const server = await listenOn(path, serving());
    try {
      assert.deepEqual(await askDaemon(path, 'ping', token), {
        result: 'answered',
        answer: { kind: 'ping', ok: true, daemon: identity, lifetime: null, stopping: false },
      });
      const wrong = await askDaemon(path, 'stop', 'b'.repeat(48));
      assert.equal(wrong.result, 'unverified', 'a client without the token is refused');
      assert.equal((await askDaemon(path, 'ping', '')).result, 'unverified');
    } finally {
      await close(server);
    }
    assert.deepEqual(await askDaemon(path, 'ping', token), { result: 'none' });
  });

  it('believes no stranger: garbage, unproven lies, wrong proofs, proven nonsense', async () => {
    const lie = JSON.stringify({ ok: true, daemon: { ...identity, pid: 1 } });
    const strangers: Array<(socket: Socket) => void> = [
      (socket) => socket.end('garbage\n'),
      (socket) => socket.end(`${JSON.stringify({ ok: true, pid: 1, authorized: true })}\n`),
      fakeDaemon(() => 'not json at all'),
      fakeDaemon(() => JSON.stringify({ body: lie, proof: '' })),
      fakeDaemon(() => JSON.stringify({ body: lie, proof: 'ab'.repeat(32) })),
      // Knows the token (say, an old one) but answers with a body that breaks the schema.
      fakeDaemon((serverNonce, request) => {
        const body = JSON.stringify({ ok: true, daemon: { pid: -3, startTicks: 'x', socketPath: 7 } });
        const proof = createHmac('sha256', token)
          .update(['daemon', request.nonce, serverNonce, request.request, body].join('\n'))
          .digest('hex');
        return JSON.stringify({ body, proof });
      }),
      (socket) => socket.on('error', () => undefined), // accepts and never says a word
    ];
    for (const [index, stranger] of strangers.entries()) {
      const path = nextPath();
      const server = await listenOn(path, stranger);
      try {
        const reply = await askDaemon(path, 'ping', token, 500);
        assert.equal(reply.result, 'unverified', `stranger ${index}: ${JSON.stringify(reply)}`);
      } finally {
        server.close();
      }
    }
  });

  it('tags the answers of a daemon of an earlier version, which sent no kind, by the request', async () => {
    const proven = (body: string) =>
      fakeDaemon((serverNonce, request) => {
        const proof = createHmac('sha256', token)
          .update(['daemon', request.nonce, serverNonce, request.request, body].join('\n'))
          .digest('hex');
        return JSON.stringify({ body, proof });
      });
    const earlier = [
      {
        request: 'ping',
        body: { ok: true, daemon: identity, lifetime: { pid: 7, startTime: 8 }, stopping: false },
        kind: 'ping',
      },
      { request: 'stop', body: { ok: true, stopping: true, daemon: identity }, kind: 'stopping' },
      { request: 'ping', body: { ok: false, error: 'busy' }, kind: 'refused' },
    ] as const;
    for (const { request, body, kind } of earlier) {
      const path = nextPath();
      const server = await listenOn(path, proven(JSON.stringify(body)));
      try {
        assert.deepEqual(await askDaemon(path, request, token, 1000), {
          result: 'answered',
          answer: { kind, ...body },
        });
      } finally {
        await close(server);
      }
    }
    // A proven answer of another kind than the request's is not believed.
    const path = nextPath();
    const server = await listenOn(
      path,
      proven(JSON.stringify({ kind: 'stopping', ok: true, stopping: true, daemon: identity })),
    );
    try {
      assert.equal((await askDaemon(path, 'ping', token, 1000)).result, 'unverified');
    } finally {
      await close(server);
    }
  });

  it('does not talk to a socket in a directory others can write to', async () => {
    const open = join(directory, 'open');
    await mkdir(open, { mode: 0o777 });
    const { chmod } = await import('node:fs/promises');
    await chmod(open, 0o777);
    const path = join(open, 'd.sock');
    const server = await listenOn(path, serving());
    try {
      const reply = await askDaemon(path, 'ping', token);
      assert.equal(reply.result, 'unverified');
      assert.match(reply.result === 'unverified' ? reply.reason : '', /not a private directory/);
    } finally {
      await close(server);
    }
  });

  it('drops an endless line and an idle client, and survives a flood, logging it once', async () => {
    const path = nextPath();
    const floods: number[] = [];
    const server = await listenOn(
      path,
      serving({ maximumConnections: 4, idleMilliseconds: 300, onFlood: (maximum) => floods.push(maximum) }),
    );
    try {
      await closedByPeer(path, 'x'.repeat(10_000));
      await closedByPeer(path);
      const flood: Socket[] = [];
      for (let index = 0; index < 50; index += 1) {
        const socket = createConnection({ path });
        socket.on('error', () => undefined);
        flood.push(socket);
      }
      await waitFor(async () => floods.length > 0, 2000, 'the flood to be noticed');
      const reply = await askDaemon(path, 'ping', token);
      assert.equal(reply.result, 'answered', 'a real client still gets through');
      assert.deepEqual(floods, [4], 'the flood is reported once');
      for (const socket of flood) socket.destroy();
    } finally {
      await close(server);
    }
  });
});
