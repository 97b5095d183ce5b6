/**
 * Soak run of the auto-save daemon (not a test): a private tmux server, the daemon with a short
 * lap, thousands of laps with a structure change every so often, and the daemon's memory and CPU
 * at the start and the end. Usage: `npm run soak -- [--laps 3000] [--poll 20]`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { daemonNodeOptions } from '../src/daemon/daemon-control.js';
import { daemonFiles } from '../src/daemon/daemon-files.js';
import { askDaemon, type DaemonStatus, readDaemonToken } from '../src/daemon/daemon-ipc.js';

const { values } = parseArgs({
  options: { laps: { type: 'string', default: '3000' }, poll: { type: 'string', default: '20' } },
});
const targetLaps = Number(values.laps);
const pollMilliseconds = Number(values.poll);

const root = await mkdtemp(join(tmpdir(), 'continuum-soak-'));
const socketName = `continuum-soak-${process.pid}`;
const environment: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: join(root, 'home'),
  XDG_DATA_HOME: join(root, 'data'),
  XDG_STATE_HOME: join(root, 'state'),
  TMUX_TMPDIR: join(root, 'tmux'),
  SHELL: '/bin/sh',
};
delete environment.TMUX;
await mkdir(join(root, 'home'), { recursive: true });
await mkdir(join(root, 'tmux'), { recursive: true, mode: 0o700 });

function tmux(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socketName, '-f', '/dev/null', ...args], { env: environment }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

const files = daemonFiles(join(root, 'tmux', `tmux-${process.getuid?.() ?? 0}`, socketName), {
  environment,
  platform: process.platform,
  home: join(root, 'home'),
});

async function status(): Promise<DaemonStatus | undefined> {
  const reply = await askDaemon(files.address, 'status', await readDaemonToken(files.tokenPath));
  return reply.result === 'answered' && 'status' in reply.answer ? reply.answer.status : undefined;
}

/** utime + stime of a process in milliseconds, from /proc (Linux). */
async function cpuMilliseconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const pause = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));
const mebibytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

let daemonPid: number | undefined;
try {
  await tmux('new-session', '-d', '-s', 'soak', '-x', '160', '-y', '48');
  for (let index = 0; index < 4; index += 1) await tmux('new-window', '-t', '=soak:');
  await tmux('split-window', '-t', '=soak:1');
  const cli = fileURLToPath(new URL('../dist/continuum.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [...daemonNodeOptions, cli, '-L', socketName, 'daemon', 'run', '--poll', String(pollMilliseconds)],
    {
      env: environment,
      stdio: 'ignore',
    },
  );
  daemonPid = child.pid;
  let first: DaemonStatus | undefined;
  for (let tries = 0; tries < 200 && !first; tries += 1) {
    first = await status();
    if (!first) await pause(50);
  }
  if (!first) throw new Error('the daemon did not answer');
  const cpuAtStart = await cpuMilliseconds(daemonPid!);
  console.log(`daemon pid ${daemonPid}, a lap every ${pollMilliseconds} ms, target ${targetLaps} laps`);
  const describe = (label: string, at: DaemonStatus): void =>
    console.log(
      `${label} lap ${at.laps}, RSS ${mebibytes(at.rssBytes)}, heap used ${mebibytes(at.heapUsedBytes)}`,
    );
  describe('start:', first);
  let warm: DaemonStatus | undefined;
  let changes = 0;
  let current = first;
  let reported = first.laps;
  const startedAt = Date.now();
  while (current.laps < targetLaps) {
    await pause(250);
    current = (await status()) ?? current;
    if (!warm && current.laps >= 100) {
      warm = current;
      describe('warm: ', warm);
    }
    if (Math.floor(current.laps / 1000) > Math.floor(reported / 1000)) describe('      ', current);
    reported = current.laps;
    // A structure change every ~2 s: the daemon saves, retention runs, the log grows and rotates.
    if ((Date.now() - startedAt) / 2000 > changes) {
      changes += 1;
      if (changes % 2 === 1) await tmux('new-window', '-d', '-t', '=soak:', '-n', `w${changes}`);
      else await tmux('kill-window', '-t', `=soak:w${changes - 1}`);
    }
  }
  const cpuAtEnd = await cpuMilliseconds(daemonPid!);
  const laps = current.laps - first.laps;
  const saves = (await readdir(join(root, 'data', 'continuum', 'saves'))).filter((name) =>
    name.endsWith('.json'),
  );
  describe('end:  ', current);
  const base = warm ?? first;
  console.log(
    `change from warm to end: RSS ${mebibytes(current.rssBytes - base.rssBytes)}, heap used ` +
      `${mebibytes(current.heapUsedBytes - base.heapUsedBytes)}; RSS from start: ${mebibytes(current.rssBytes - first.rssBytes)}`,
  );
  console.log(
    `${laps} laps in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, ${changes} structure changes, ` +
      `${saves.length} save files kept, last error: ${current.lastError?.message ?? 'none'}`,
  );
  console.log(
    `daemon CPU: ${(cpuAtEnd - cpuAtStart).toFixed(0)} ms, ${((cpuAtEnd - cpuAtStart) / laps).toFixed(2)} ms per lap`,
  );
} finally {
  if (daemonPid !== undefined) {
    try {
      process.kill(daemonPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await tmux('kill-server').catch(() => '');
  await rm(root, { recursive: true, force: true });
}
