import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, type ProcessResult } from './tmux-server.js';

/**
 * The psmux binary the suite drives: CONTINUUM_TEST_PSMUX names it, on any platform (a psmux built
 * for Linux by hand runs the server logic of the real program, docs/psmux.md); on Windows `psmux`
 * on PATH when the variable is unset.
 */
export function psmuxBinary(): string | undefined {
  const named = process.env.CONTINUUM_TEST_PSMUX;
  if (named) return named;
  return process.platform === 'win32' ? 'psmux' : undefined;
}

/**
 * Why the psmux suite cannot run here, or undefined when it can. Without CONTINUUM_TEST_PSMUX
 * off Windows, or without psmux on PATH on Windows, every test is skipped with this reason;
 * CONTINUUM_REQUIRE_PSMUX=1 (the Windows workflow) turns a missing psmux into a failure.
 */
export async function psmuxMissingReason(): Promise<string | undefined> {
  const binary = psmuxBinary();
  if (binary === undefined)
    return 'CONTINUUM_TEST_PSMUX names no psmux binary (psmux ships for Windows; a Linux build runs the suite too)';
  const found = await runProcess(binary, ['-V'], process.env, 10_000);
  if (found.code === 0 && /^psmux \d/m.test(found.stdout)) return undefined;
  if (process.env.CONTINUUM_REQUIRE_PSMUX === '1')
    throw new Error(`CONTINUUM_REQUIRE_PSMUX is set but ${binary} -V failed: ${found.stderr}${found.stdout}`);
  return `${binary} -V does not answer as psmux does (${(found.stderr || found.stdout).trim()})`;
}

export function runProcess(
  command: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  timeoutMilliseconds = 30_000,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: environment, timeout: timeoutMilliseconds, windowsHide: true, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr: stderr || (error && code === null ? String(error) : ''), code });
      },
    );
  });
}

const lines = (text: string): string[] =>
  text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => line !== '');

/**
 * A private psmux namespace with its own home: psmux keeps its registry (port and key files) under
 * ~/.psmux (%USERPROFILE%\.psmux), so `kill-server -a` here ends only this test's sessions. Off
 * Windows the panes run bash.
 */
export class PsmuxNamespace {
  readonly namespace = `ct${process.pid}${randomBytes(3).toString('hex')}`;
  readonly binary: string;
  readonly root: string;
  readonly profile: string;
  readonly environment: NodeJS.ProcessEnv;
  readonly #clients: ChildProcess[] = [];

  private constructor(binary: string, root: string) {
    this.binary = binary;
    this.root = root;
    this.profile = join(root, 'profile');
    const environment: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['TMUX', 'TMUX_PANE', 'PSMUX_SESSION', 'PSMUX_ACTIVE', 'PSMUX_TARGET_SESSION'])
      delete environment[name];
    this.environment = {
      ...environment,
      USERPROFILE: this.profile,
      HOME: this.profile,
      XDG_CONFIG_HOME: join(root, 'config'),
      XDG_DATA_HOME: join(root, 'data'),
      XDG_STATE_HOME: join(root, 'state'),
      XDG_RUNTIME_DIR: join(root, 'runtime'),
      LOCALAPPDATA: join(root, 'local'),
      ...(process.platform === 'win32' ? {} : { SHELL: '/bin/bash' }),
      CONTINUUM_MUX: binary,
    };
  }

  static async create(): Promise<PsmuxNamespace> {
    const root = await mkdtemp(join(tmpdir(), 'continuum-psmux-'));
    const namespace = new PsmuxNamespace(psmuxBinary()!, root);
    for (const directory of ['profile', 'config', 'data', 'state', 'local'])
      await mkdir(join(root, directory), { recursive: true });
    await mkdir(join(root, 'runtime'), { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32')
      await writeFile(join(namespace.profile, '.psmux.conf'), 'set -g default-shell /bin/bash\n');
    return namespace;
  }

  psmux(...args: string[]): Promise<ProcessResult> {
    return runProcess(this.binary, ['-L', this.namespace, ...args], this.environment);
  }

  /** The continuum CLI with the psmux dialect on this namespace. */
  cli(...args: string[]): Promise<ProcessResult> {
    return runProcess(
      process.execPath,
      [cliPath, '--mux', this.binary, '-L', this.namespace, ...args],
      this.environment,
      60_000,
    );
  }

  /** Session names, with the empty-`ls`-means-no-server rule of psmux. */
  async sessions(): Promise<string[]> {
    const result = await this.psmux('ls', '-F', '#{session_name}');
    return lines(result.stdout).filter((line) => line !== '__warm__');
  }

  /** `FORMAT` of every pane of `session`, one line each. */
  async panes(session: string, format: string): Promise<string[]> {
    const result = await this.psmux('list-panes', '-s', '-t', `${session}:`, '-F', format);
    if (result.code !== 0) throw new Error(`list-panes of ${session}: ${result.stderr}`);
    return lines(result.stdout);
  }

  async newSession(name: string, ...extra: string[]): Promise<void> {
    const created = await this.psmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', ...extra);
    if (created.code !== 0) throw new Error(`new-session ${name}: ${created.stderr}`);
    await this.waitFor(async () => (await this.sessions()).includes(name), `session ${name}`);
  }

  /** Polls until `check` holds: psmux creates sessions and windows asynchronously. */
  async waitFor(check: () => Promise<boolean>, what: string, timeoutMilliseconds = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMilliseconds;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`timed out after ${timeoutMilliseconds} ms waiting for ${what}`);
  }

  /**
   * A client attached to `session` through a pseudo-terminal (`script`), as a user's terminal
   * would: psmux runs its client-attached hook. Detached by `dispose`.
   */
  attach(session: string): void {
    const command = [this.binary, '-L', this.namespace, 'attach', '-t', `${session}:`]
      .map((word) => `'${word.replaceAll("'", `'\\''`)}'`)
      .join(' ');
    const client = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...this.environment, TERM: 'xterm-256color' },
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    this.#clients.push(client);
  }

  /** The daemons of this namespace: continuum processes running `daemon run` for it. */
  async daemonProcesses(): Promise<number> {
    if (process.platform === 'win32') {
      const script = `@(Get-CimInstance Win32_Process -Filter "Name='node.exe'" | Where-Object { $_.CommandLine -like '*daemon run*' -and $_.CommandLine -like '*${this.namespace}*' }).Count`;
      const result = await runProcess(
        'powershell',
        ['-NoProfile', '-NonInteractive', '-Command', script],
        process.env,
      );
      return Number(result.stdout.trim());
    }
    let count = 0;
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      // The daemon names itself `continuum daemon -L NAMESPACE` (process.title overwrites argv).
      const words = await readFile(join('/proc', entry, 'cmdline'), 'utf8')
        .then((text) => text.replace(/\0/g, ' ').trim().split(/\s+/))
        .catch((): string[] => []);
      const at = words.indexOf('daemon');
      const named = words[at - 1] === 'continuum' || words[at + 1] === 'run';
      if (at !== -1 && named && words.includes(this.namespace)) count += 1;
    }
    return count;
  }

  async dispose(): Promise<void> {
    for (const client of this.#clients)
      if (client.pid !== undefined && client.exitCode === null) {
        try {
          process.kill(-client.pid, 'SIGTERM');
        } catch {
          // It has gone already.
        }
      }
    await this.cli('daemon', 'stop');
    for (const session of await this.sessions()) await this.psmux('kill-session', '-t', `=${session}`);
    // -a ends every namespace of THIS data directory only (the private home).
    await runProcess(this.binary, ['kill-server', '-a'], this.environment);
    await rm(this.root, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}
