import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { literalForFormat } from '../../src/mux/script.js';
import { parseSaveFileName, sortNewestFirst } from '../../src/store/save-files.js';

/** The bundled CLI, built by `npm run build` (npm test builds first). */
export const cliPath = resolve(process.cwd(), 'dist/continuum.js');

export interface ProcessResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/**
 * A private tmux server for one test: its own socket name, its own HOME, XDG (XDG_RUNTIME_DIR
 * included) and TMUX_TMPDIR directories and a config of /dev/null, so no test can touch the user's server or another
 * test's. `dispose()` kills the server by its socket and removes the directories.
 */
export class TestServer {
  readonly socketName: string;
  readonly root: string;
  readonly home: string;
  readonly saveDirectory: string;
  readonly environment: NodeJS.ProcessEnv;

  /** False for a server made `beside` another: the directories are the other's to remove. */
  readonly #ownsRoot: boolean;

  private constructor(root: string, socketName?: string) {
    this.root = root;
    this.#ownsRoot = socketName === undefined;
    this.socketName = socketName ?? `continuum-test-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.home = join(root, 'home');
    this.saveDirectory = join(root, 'home', '.local', 'share', 'continuum', 'saves');
    const environment: NodeJS.ProcessEnv = { ...process.env };
    // Nothing of the developer's own tmux may leak in.
    delete environment.TMUX;
    delete environment.TMUX_PANE;
    delete environment.CONTINUUM_MUX;
    this.environment = {
      ...environment,
      HOME: this.home,
      XDG_DATA_HOME: join(root, 'home', '.local', 'share'),
      XDG_STATE_HOME: join(root, 'home', '.local', 'state'),
      XDG_CONFIG_HOME: join(root, 'home', '.config'),
      TMUX_TMPDIR: join(root, 'tmux'),
      // The developer's own runtime directory (a desktop session has one) is never the test's:
      // leases, pane records and systemd's files would land there and outlive the test.
      XDG_RUNTIME_DIR: join(root, 'run'),
      // fish keeps `fish.USER/` in TMPDIR when the runtime directory is not its own (the trust
      // tests hand it another user's): never in the developer's or the suite's TMPDIR.
      TMPDIR: join(root, 'tmp'),
      SHELL: '/bin/sh',
      // A plain prompt keeps pane titles and names predictable.
      ENV: '',
      PS1: '$ ',
    };
  }

  static async create(): Promise<TestServer> {
    const root = await mkdtemp(join(tmpdir(), 'continuum-test-'));
    const server = new TestServer(root);
    await mkdir(server.home, { recursive: true, mode: 0o700 });
    await mkdir(join(root, 'tmux'), { recursive: true, mode: 0o700 });
    await mkdir(join(root, 'run'), { recursive: true, mode: 0o700 });
    await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o700 });
    return server;
  }

  /**
   * A second server in the same HOME, XDG and TMUX_TMPDIR directories (so the same default save
   * directory), on a socket named `socketName`: two servers of one user, as `-L a` and `-L b`.
   */
  static beside(other: TestServer, socketName: string): TestServer {
    return new TestServer(other.root, socketName);
  }

  /** Runs tmux on this server; rejects with stderr when tmux fails. */
  async tmux(...args: string[]): Promise<string> {
    const result = await this.tmuxResult(...args);
    if (result.code !== 0)
      throw new Error(`tmux ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  /**
   * Runs tmux and returns the result whatever the exit code. With -u, as the product runs it:
   * under LC_ALL=C a client without it prints `_` for every non-ASCII and control byte.
   */
  tmuxResult(...args: string[]): Promise<ProcessResult> {
    return run('tmux', ['-u', '-L', this.socketName, '-f', '/dev/null', ...args], this.environment);
  }

  /** Starts the server with one detached session, as `tmux new -d` would. */
  async start(sessionName = '0', ...extra: string[]): Promise<void> {
    await this.tmux('new-session', '-d', '-s', sessionName, '-x', '120', '-y', '40', ...extra);
  }

  /** A detached session of a fixed size that starts in `cwd` (default HOME), as tests build their own. */
  async newSession(
    name: string,
    options: { width?: number; height?: number; cwd?: string } = {},
  ): Promise<void> {
    await this.tmux(
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(options.width ?? 120),
      '-y',
      String(options.height ?? 40),
      '-c',
      literalForFormat(options.cwd ?? this.home),
    );
  }

  /** Runs the built CLI against this server (`continuum -L socket ARGS`). */
  cli(...args: string[]): Promise<ProcessResult> {
    return run(process.execPath, [cliPath, '-L', this.socketName, ...args], this.environment);
  }

  /** Runs the built CLI with exactly these arguments (no -L added). */
  cliRaw(args: readonly string[], environment: NodeJS.ProcessEnv = this.environment): Promise<ProcessResult> {
    return run(process.execPath, [cliPath, ...args], environment);
  }

  async isRunning(): Promise<boolean> {
    return (await this.tmuxResult('list-sessions')).code === 0;
  }

  /**
   * Kills the server and waits until its socket refuses connections: a client that connects while
   * the old server is still exiting fails with "server exited unexpectedly" instead of starting a
   * new one.
   */
  async kill(): Promise<void> {
    // The server's own pid first: a socket that refuses connections proves nothing about a server
    // whose socket file is gone, and a test must leave no server running.
    const answer = await this.tmuxResult('display-message', '-p', '#{pid}');
    const pid = answer.code === 0 ? Number.parseInt(answer.stdout, 10) : Number.NaN;
    await this.tmuxResult('kill-server');
    await waitFor(
      async () => /no server running|error connecting/.test((await this.tmuxResult('list-sessions')).stderr),
      5000,
      `the server on ${this.socketName} to exit`,
    );
    if (Number.isInteger(pid) && pid > 0)
      await waitFor(async () => !processExists(pid), 5000, `the server process ${pid} to exit`);
  }

  async dispose(): Promise<void> {
    await this.kill();
    // Removing the shared TMUX_TMPDIR here would hide the other server's socket from its own
    // dispose, which would then take the server for gone and leave it running.
    if (!this.#ownsRoot) return;
    // Shells and programs killed with the server (bash writes its history, vim its swap file on
    // SIGHUP) may still be writing into HOME for a moment: retry until the tree is gone.
    await rm(this.root, { recursive: true, force: true, maxRetries: 50, retryDelay: 100 });
  }
}

export function run(
  command: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<ProcessResult> {
  return new Promise((resolvePromise) => {
    execFile(command, args, { env: environment, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolvePromise({ stdout, stderr, code });
    });
  });
}

export { spawn };

/** The newest save file in a directory, by the time in its name (what `restore` picks). */
export async function newestSaveIn(directory: string): Promise<string | undefined> {
  const names = await readdir(directory).catch(() => [] as string[]);
  return sortNewestFirst(names.map(parseSaveFileName).filter((save) => save !== undefined))[0]?.fileName;
}

/** True while the process runs; an exited one that its parent has not reaped yet (a zombie) is gone. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `check` returns true or the deadline passes; never a fixed sleep. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMilliseconds = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`timed out after ${timeoutMilliseconds} ms waiting for ${what}`);
}

/**
 * The line of `list-keys -T prefix` that binds `key`: from the whole table, since tmux 3.7c's
 * `list-keys -T prefix KEY` prints nothing for a bound key.
 */
export async function prefixKeyLine(server: TestServer, key: string): Promise<string> {
  const table = await server.tmux('list-keys', '-T', 'prefix');
  return table
    .split('\n')
    .filter((line) => {
      const words = line.trim().split(/\s+/);
      return words[words.indexOf('-T') + 2] === key;
    })
    .map((line) => line.replace(/^bind-key\s+(-r\s+)?-T\s+prefix\s+\S+\s+/, ''))
    .join('\n');
}
