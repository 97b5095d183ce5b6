import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  alive,
  createDaemonTestServer,
  daemonFilesOf,
  daemonProcesses,
  disposeWithDaemon,
} from '../support/daemon.js';
import type { TestServer } from '../support/tmux-server.js';
import { waitFor } from '../support/tmux-server.js';

const strangerUid = 65534;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const skip =
  process.platform !== 'linux'
    ? 'needs Linux (abstract sockets, /proc, setpriv)'
    : process.getuid?.() !== 0
      ? 'needs root to run a stranger as uid 65534 with setpriv'
      : setpriv === undefined
        ? 'needs setpriv (util-linux) to run a stranger as uid 65534'
        : false;

type StrangerResults = Record<string, string | Record<string, number>>;

interface Targets {
  /** The abstract names continuum used before (`continuum-PURPOSE-UID-HASH`): anyone can bind them. */
  readonly abstractNames: string[];
  /** Where the lease socket files go now: beside tmux's socket, or the test's private runtime directory. */
  readonly paths: string[];
}

/** Every name and path continuum's daemon, restore and init leases could use for this server. */
async function targetsOf(server: TestServer): Promise<Targets> {
  const files = await daemonFilesOf(server);
  const digest = createHash('sha256').update(files.socketPath).digest('hex').slice(0, 16);
  const purposes = ['daemon', 'restore', 'init'];
  // The test's own private XDG_RUNTIME_DIR (TestServer makes it, 0700) holds the restore lease.
  const runDirectory = join(server.environment.XDG_RUNTIME_DIR!, 'continuum');
  // The server's own leases live beside its socket, in tmux's private directory (docs/daemon.md).
  const serverDirectory = join(dirname(files.socketPath), 'continuum');
  const paths = purposes.map((purpose) =>
    join(purpose === 'restore' ? runDirectory : serverDirectory, `${purpose}-${digest}.sock`),
  );
  assert.equal(
    files.address,
    paths[0],
    "the daemon socket is a file in the private directory beside tmux's socket",
  );
  return { abstractNames: purposes.map((purpose) => `continuum-${purpose}-0-${digest}`), paths };
}

describe('strangers (another local user)', { skip }, () => {
  let server: TestServer;
  let strangerDirectory: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeEach(async () => {
    server = await createDaemonTestServer(200);
    await server.start('work');
    // The stranger's own directory: its script and nothing else, readable by uid 65534.
    strangerDirectory = await mkdtemp('/tmp/continuum-stranger-');
    await copyFile(
      resolve(process.cwd(), 'test/support/stranger.mjs'),
      join(strangerDirectory, 'stranger.mjs'),
    );
    await chmod(join(strangerDirectory, 'stranger.mjs'), 0o644);
    await chown(strangerDirectory, strangerUid, strangerUid);
    await chmod(strangerDirectory, 0o755);
  });

  afterEach(async () => {
    // Only the pids this test started.
    for (const child of children.splice(0))
      if (child.pid !== undefined && alive(child.pid)) child.kill('SIGKILL');
    await disposeWithDaemon(server);
    await rm(strangerDirectory, { recursive: true, force: true });
  });

  /** Runs test/support/stranger.mjs as uid 65534 and returns what it managed (its first line). */
  async function runStranger(
    plan: object,
  ): Promise<{ child: ChildProcessWithoutNullStreams; results: StrangerResults }> {
    const child = spawn(
      setpriv!,
      [
        `--reuid=${strangerUid}`,
        `--regid=${strangerUid}`,
        '--clear-groups',
        process.execPath,
        join(strangerDirectory, 'stranger.mjs'),
        JSON.stringify(plan),
      ],
      { cwd: strangerDirectory, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    );
    children.push(child);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    await waitFor(async () => output.includes('\n'), 30_000, 'the stranger to report');
    return { child, results: JSON.parse(output.split('\n')[0]!) as StrangerResults };
  }

  /** A process of the user's own that a stranger names as "the daemon": titled like one, to be nasty. */
  async function startDecoy(): Promise<number> {
    const decoy = spawn(process.execPath, [
      '-e',
      `process.title = "continuum daemon -L ${server.socketName}"; console.log("up"); setInterval(() => {}, 1000)`,
    ]);
    children.push(decoy);
    await new Promise<void>((done) => decoy.stdout.once('data', () => done()));
    return decoy.pid!;
  }

  /** The stranger bound to every name and path it could, answering with lies about a decoy of the user's. */
  async function squat(): Promise<{ decoy: number }> {
    const targets = await targetsOf(server);
    const decoy = await startDecoy();
    const { results } = await runStranger({ mode: 'squat', ...targets, decoyPid: decoy });
    // The old abstract names are anyone's; the socket files' directory is not.
    for (const name of targets.abstractNames) assert.equal(results[`@${name}`], 'bound', name);
    for (const path of targets.paths) assert.match(String(results[path]), /^(EACCES|EPERM)$/, path);
    return { decoy };
  }

  it('cannot switch off the daemon: start starts one, status and stop reach it, the decoy lives', async () => {
    const { decoy } = await squat();
    const started = await server.cli('daemon', 'start');
    assert.equal(started.code, 0, started.stderr);
    const pid = Number(started.stdout.match(/started the daemon .* \(pid (\d+)\)/)?.[1]);
    assert.ok(Number.isInteger(pid) && pid !== decoy, started.stdout);
    assert.ok((await daemonProcesses(server)).includes(pid), 'a real daemon process runs');

    const status = await server.cli('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { pid: number }).pid, pid);

    const stopped = await server.cli('daemon', 'stop');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, new RegExp(`stopped the daemon .* \\(pid ${pid}\\)`));
    await waitFor(async () => !alive(pid), 5000, 'the daemon to exit');
    assert.ok(alive(decoy), 'the decoy the stranger reported is alive');
  });

  it('cannot make `daemon stop` signal the pid it reports', async () => {
    const { decoy } = await squat();
    const stopped = await server.cli('daemon', 'stop');
    assert.ok(alive(decoy), 'the decoy the stranger reported is alive');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /no daemon is running/);
  });

  it('cannot block a restore', async () => {
    await squat();
    assert.equal((await server.cli('save')).code, 0);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, `restore is not blocked: ${restored.stderr}`);
    assert.match(restored.stdout, /nothing to restore/);
  });

  it("survives a connection flood: a stranger cannot connect, the user's own flood is bounded and logged once", async () => {
    const targets = await targetsOf(server);
    const files = await daemonFilesOf(server);
    const started = await server.cli('daemon', 'start');
    assert.equal(started.code, 0, started.stderr);
    const pid = Number(started.stdout.match(/\(pid (\d+)\)/)?.[1]);

    const { child, results } = await runStranger({ mode: 'flood', ...targets, connections: 2000 });
    for (const [address, counts] of Object.entries(results)) {
      assert.equal(
        (counts as Record<string, number>).connected ?? 0,
        0,
        `${address}: ${JSON.stringify(counts)}`,
      );
    }
    child.kill('SIGKILL');

    // The same flood from the user's own uid reaches the daemon: it is bounded, not fatal.
    const flood: Socket[] = [];
    try {
      for (let index = 0; index < 2000; index += 1) {
        const socket = createConnection({ path: files.address });
        socket.on('error', () => undefined);
        flood.push(socket);
      }
      await waitFor(
        async () => /connections at once/.test(await readFile(files.logPath, 'utf8').catch(() => '')),
        10_000,
        'the flood to be logged',
      );
      const status = await server.cli('status', '--json');
      assert.equal(status.code, 0, `status works during the flood: ${status.stderr}`);
      assert.equal((JSON.parse(status.stdout) as { pid: number }).pid, pid);
    } finally {
      for (const socket of flood) socket.destroy();
    }
    assert.ok(alive(pid), 'the daemon survived');
    const log = await readFile(files.logPath, 'utf8');
    assert.equal(log.match(/connections at once/g)?.length, 1, 'logged once');
    const after = await server.cli('status', '--json');
    assert.equal(after.code, 0, after.stderr);
  });
});
