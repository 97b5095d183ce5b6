import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxClient } from '../src/mux/mux-client.js';

/** What a finished child process left behind, and how long it took. */
export interface ProcessOutcome {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code; null when the program could not be started (`spawnError`) or was killed. */
  readonly code: number | null;
  readonly spawnError: string | undefined;
  readonly seconds: number;
}

/** Runs a program with an argument array (never a shell) and times it from spawn to exit. */
export function runProcess(
  command: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<ProcessOutcome> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: environment, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const errorCode = (error as NodeJS.ErrnoException | null)?.code;
        if (typeof errorCode === 'string') {
          resolve({ stdout, stderr, code: null, spawnError: errorCode, seconds });
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code, spawnError: undefined, seconds });
      },
    );
  });
}

/** True when `tmux -V` runs; false when no tmux binary is on PATH. */
export async function tmuxInstalled(binary = 'tmux'): Promise<boolean> {
  const outcome = await runProcess(binary, ['-V'], process.env);
  return outcome.spawnError === undefined && outcome.code === 0;
}

export interface ThrowawayServerOptions {
  /** The `-L` socket name. */
  readonly socketName: string;
  /** Prefix of the temporary directory that holds HOME, XDG dirs and save dirs. */
  readonly prefix: string;
  /**
   * TMUX_TMPDIR for the server. A fixed directory lets a later run find (and kill) a server that
   * an interrupted run left behind; by default it lives inside the temporary root.
   */
  readonly tmuxDirectory?: string;
}

/**
 * A tmux server nobody else uses: its own socket name inside its own TMUX_TMPDIR, its own HOME
 * and XDG directories, no config file and a plain /bin/sh in every pane, so neither the user's
 * server nor their shell start-up files can change what is built or measured.
 */
export class ThrowawayServer {
  readonly socketName: string;
  readonly root: string;
  readonly home: string;
  readonly tmuxDirectory: string;
  readonly environment: NodeJS.ProcessEnv;

  private constructor(socketName: string, root: string, tmuxDirectory: string) {
    this.socketName = socketName;
    this.root = root;
    this.home = join(root, 'home');
    this.tmuxDirectory = tmuxDirectory;
    const inherited: NodeJS.ProcessEnv = { ...process.env };
    // Nothing of a surrounding tmux may leak in: $TMUX would point a child at the user's server.
    delete inherited.TMUX;
    delete inherited.TMUX_PANE;
    delete inherited.CONTINUUM_MUX;
    this.environment = {
      ...inherited,
      HOME: this.home,
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      XDG_STATE_HOME: join(this.home, '.local', 'state'),
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_RUNTIME_DIR: join(root, 'runtime'),
      TMUX_TMPDIR: tmuxDirectory,
      // dash or another small sh starts fast and prints nothing; zsh would ask to set itself up.
      SHELL: '/bin/sh',
      ENV: '',
      PS1: '$ ',
    };
  }

  static async create(options: ThrowawayServerOptions): Promise<ThrowawayServer> {
    const root = await mkdtemp(join(tmpdir(), options.prefix));
    // Short: a socket path may not exceed 104 bytes on macOS, whose tmpdir() is already long.
    const tmuxDirectory = options.tmuxDirectory ?? join(root, 't');
    const server = new ThrowawayServer(options.socketName, root, tmuxDirectory);
    for (const directory of [server.home, tmuxDirectory, join(root, 'runtime')])
      await mkdir(directory, { recursive: true, mode: 0o700 });
    return server;
  }

  /** The arguments that select this server, for tmux and for `continuum`. */
  get serverArguments(): string[] {
    return ['-L', this.socketName];
  }

  /** The project's own client for this server (what `continuum -L NAME` would build). */
  client(binary = 'tmux'): TmuxClient {
    return new TmuxClient({
      binary,
      server: { kind: 'socket-name', name: this.socketName },
      environment: this.environment,
    });
  }

  /** Runs tmux on this server and returns stdout; throws with tmux's message when it fails. */
  async tmux(...args: string[]): Promise<string> {
    const outcome = await this.tmuxOutcome(...args);
    if (outcome.code !== 0) {
      const reason = outcome.spawnError ?? outcome.stderr.trim();
      throw new Error(`tmux ${args.slice(0, 2).join(' ')} failed: ${reason}`);
    }
    return outcome.stdout;
  }

  /** Runs tmux on this server; the config is /dev/null in case the command starts the server. */
  tmuxOutcome(...args: string[]): Promise<ProcessOutcome> {
    return runProcess('tmux', ['-L', this.socketName, '-f', '/dev/null', ...args], this.environment);
  }

  /** The server's pid, or undefined when no server answers on the socket. */
  async serverPid(): Promise<number | undefined> {
    const outcome = await this.tmuxOutcome('display-message', '-p', '#{pid}');
    const pid = Number.parseInt(outcome.stdout.trim(), 10);
    return outcome.code === 0 && pid > 0 ? pid : undefined;
  }

  /**
   * Starts the server the way a user's `tmux new -d` does: one detached session (the bootstrap
   * session a restore replaces), at a fixed size so layouts do not depend on the terminal.
   */
  async start(width = 200, height = 50): Promise<void> {
    // The server takes default-shell from $SHELL (/bin/sh here) when it starts.
    await this.tmux('new-session', '-d', '-x', String(width), '-y', String(height));
  }

  /**
   * Attaches a control-mode client (`tmux -C attach`), a real client without a terminal, as a user
   * who waits for a restore is; returns what detaches it (by killing that client's own process).
   */
  async attachControlClient(width = 200, height = 50): Promise<() => Promise<void>> {
    const child = spawn('tmux', ['-L', this.socketName, '-C', 'attach'], {
      env: this.environment,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.stdout.resume();
    const deadline = Date.now() + 5000;
    while ((await this.tmuxOutcome('list-clients', '-F', '#{client_name}')).stdout.trim() === '') {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error('a control-mode client did not attach');
      }
      await new Promise((done) => setTimeout(done, 10));
    }
    // A control client is 80×24 until told otherwise, and the session it is on follows its size:
    // the size of the saved windows keeps their layouts as saved.
    child.stdin.write(`refresh-client -C ${width}x${height}\n`);
    return async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    };
  }

  /**
   * Kills the server and waits until its process is gone: `kill-server` returns before the
   * server exits (and tmux 3.3a leaves the socket file behind), and a client that connects in
   * between gets "server exited unexpectedly".
   */
  async stop(timeoutMilliseconds = 15_000): Promise<void> {
    const pid = await this.serverPid();
    await this.tmuxOutcome('kill-server');
    if (pid === undefined) return;
    const deadline = Date.now() + timeoutMilliseconds;
    while (processAlive(pid)) {
      if (Date.now() > deadline) throw new Error(`tmux server ${pid} did not exit after kill-server`);
      await new Promise((done) => setTimeout(done, 10));
    }
  }

  /** Stops the server and removes every directory this server made. */
  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      await rm(this.root, { recursive: true, force: true });
      await rm(this.tmuxDirectory, { recursive: true, force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      // A server that has exited stays a zombie until init reaps it, which some container inits
      // do only every few seconds; a zombie no longer holds the socket, so it counts as gone.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to another user, so ours is gone and it was reused.
    return false;
  }
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
