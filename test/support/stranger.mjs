// Another local user attacking continuum, for test/scenarios/strangers.test.ts. It runs as a
// different uid (setpriv) and is given a JSON plan as its only argument:
//   { "mode": "squat", "abstractNames": [...], "paths": [...], "decoyPid": 123 }
//     binds every name and path it can and answers every request with lies about `decoyPid`
//     (a stop request gets a refusal, so that a client falls back to a signal);
//   { "mode": "flood", "abstractNames": [...], "paths": [...], "connections": 2000 }
//     opens that many connections to each name and path and holds them.
// It prints one JSON line with what it managed, then stays until the test kills it by pid (or
// gives up after a minute, so a failed test leaves nothing running).
import { mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname } from 'node:path';

const plan = JSON.parse(process.argv[2]);
const addresses = [...plan.abstractNames.map((name) => `\0${name}`), ...plan.paths];
setTimeout(() => process.exit(0), 60_000).unref();

function lie(socket) {
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk;
    if (!buffered.includes('\n')) return;
    let request = {};
    try {
      request = JSON.parse(buffered.split('\n')[0]);
    } catch {}
    const pid = plan.decoyPid;
    const answer =
      request.request === 'stop'
        ? { ok: false, error: 'unauthorized' }
        : { ok: true, pid, authorized: true, status: { pid }, body: '{}', proof: '0'.repeat(64) };
    socket.end(`${JSON.stringify(answer)}\n`);
  });
}

function bind(address) {
  return new Promise((resolve) => {
    const server = createServer(lie);
    server.once('error', (error) => resolve(error.code ?? String(error)));
    server.listen({ path: address, exclusive: true }, () => resolve('bound'));
  });
}

function connect(address) {
  return new Promise((resolve) => {
    const socket = createConnection({ path: address });
    socket.on('error', (error) => resolve(error.code ?? String(error)));
    socket.once('connect', () => resolve('connected'));
  });
}

const results = {};
if (plan.mode === 'squat') {
  for (const address of addresses) {
    if (!address.startsWith('\0')) {
      // Make the directories on the way if it can: where it can, it owns them.
      try {
        mkdirSync(dirname(address), { recursive: true, mode: 0o777 });
      } catch {}
    }
    results[address.replace('\0', '@')] = await bind(address);
  }
} else {
  for (const address of addresses) {
    const outcomes = await Promise.all(Array.from({ length: plan.connections }, () => connect(address)));
    const counts = {};
    for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
    results[address.replace('\0', '@')] = counts;
  }
}
console.log(JSON.stringify(results));
