import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, type ProcessResult } from '../helpers/tmux-server.js';

/**
 * Why the psmux suite cannot run here, or undefined when it can. On Linux and macOS psmux does not
 * exist (it is a Windows ConPTY program); on Windows without psmux on PATH the suite is skipped,
 * unless CONTINUUM_REQUIRE_PSMUX is set (the Windows workflow), where a missing psmux fails.
 */
export async function psmuxMissingReason(): Promise<string | undefined> {
  if (process.platform !== 'win32') return 'psmux is not installed (Windows only)';
  const found = await runProcess('psmux', ['-V'], process.env, 10_000);
  if (found.code === 0) return undefined;
  if (process.env.CONTINUUM_REQUIRE_PSMUX === '1')
    throw new Error(`CONTINUUM_REQUIRE_PSMUX is set but psmux -V failed: ${found.stderr}`);
  return 'psmux is not installed (not on PATH)';
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

/**
 * A private psmux namespace with its own USERPROFILE: psmux keeps its registry (port and key
 * files) under %USERPROFILE%\.psmux, so `kill-server -a` here ends only this test's sessions.
 */
export class PsmuxNamespace {
  readonly namespace = `continuum-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly root: string;
  readonly profile: string;
  readonly environment: NodeJS.ProcessEnv;

  private constructor(root: string) {
    this.root = root;
    this.profile = join(root, 'profile');
    const environment: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['TMUX', 'TMUX_PANE', 'PSMUX_SESSION', 'PSMUX_ACTIVE', 'PSMUX_TARGET_SESSION'])
      delete environment[name];
    this.environment = {
      ...environment,
      USERPROFILE: this.profile,
      HOME: this.profile,
      LOCALAPPDATA: join(root, 'local'),
      // On Linux (a psmux built for it) continuum reads the XDG directories: never the developer's.
      XDG_DATA_HOME: join(root, 'local', 'share'),
      XDG_STATE_HOME: join(root, 'local', 'state'),
      XDG_CONFIG_HOME: join(root, 'local', 'config'),
      XDG_RUNTIME_DIR: join(root, 'run'),
      CONTINUUM_MUX: 'psmux',
    };
  }

  static async create(): Promise<PsmuxNamespace> {
    const root = await mkdtemp(join(tmpdir(), 'continuum-psmux-'));
    const namespace = new PsmuxNamespace(root);
    await mkdir(namespace.profile, { recursive: true });
    await mkdir(join(root, 'local'), { recursive: true });
    await mkdir(join(root, 'run'), { recursive: true, mode: 0o700 });
    return namespace;
  }

  psmux(...args: string[]): Promise<ProcessResult> {
    return runProcess('psmux', ['-L', this.namespace, ...args], this.environment);
  }

  /** The continuum CLI with the psmux dialect on this namespace. */
  cli(...args: string[]): Promise<ProcessResult> {
    return runProcess(
      process.execPath,
      [cliPath, '--mux', 'psmux', '-L', this.namespace, ...args],
      this.environment,
    );
  }

  /** Session names, with the empty-`ls`-means-no-server rule of psmux. */
  async sessions(): Promise<string[]> {
    const result = await this.psmux('ls', '-F', '#{session_name}');
    return result.stdout
      .replace(/\r\n/g, '\n')
      .split('\n')
      .filter((line) => line !== '' && line !== '__warm__');
  }

  /** Polls until `check` holds: psmux creates sessions and windows asynchronously. */
  async waitFor(check: () => Promise<boolean>, what: string, timeoutMilliseconds = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMilliseconds;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`timed out after ${timeoutMilliseconds} ms waiting for ${what}`);
  }

  async dispose(): Promise<void> {
    await this.cli('daemon', 'stop');
    // -a ends every namespace of THIS data directory only (the private USERPROFILE).
    await runProcess('psmux', ['kill-server', '-a'], this.environment);
    await rm(this.root, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}
