import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { cliPath, type ProcessResult, run } from '../support/tmux-server.js';

/** A uid the user database does not know (a container's, `setpriv`'s): `getent` finds no entry. */
function unknownUid(): number | undefined {
  for (let uid = 61_000 + Math.floor(Math.random() * 1000); uid < 63_000; uid += 1) {
    try {
      execFileSync('getent', ['passwd', String(uid)], { stdio: 'ignore' });
    } catch {
      return uid;
    }
  }
  return undefined;
}

const canSwitchUser =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  (() => {
    try {
      execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

/**
 * A tmux server run by `uid` with no HOME at all, on a socket in a directory of its own, and the
 * CLI run as that uid in the same environment.
 */
class ServerOfUid {
  readonly socketName = `continuum-no-home-${process.pid}`;
  readonly uid: number;
  readonly root: string;
  readonly environment: NodeJS.ProcessEnv;

  private constructor(uid: number, root: string) {
    this.uid = uid;
    this.root = root;
    const environment: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['HOME', 'TMUX', 'TMUX_PANE', 'CONTINUUM_MUX', 'XDG_RUNTIME_DIR'])
      delete environment[name];
    for (const name of Object.keys(environment)) if (name.startsWith('XDG_')) delete environment[name];
    this.environment = { ...environment, TMUX_TMPDIR: root, SHELL: '/bin/sh', ENV: '', PS1: '$ ' };
  }

  static async create(uid: number): Promise<ServerOfUid> {
    const root = await mkdtemp(join(tmpdir(), 'continuum-no-home-'));
    await chown(root, uid, uid);
    await chmod(root, 0o700);
    const server = new ServerOfUid(uid, root);
    const started = await server.asUid(
      'tmux',
      ['-L', server.socketName, '-f', '/dev/null', 'new-session', '-d', '-s', 'work'],
      server.environment,
    );
    assert.equal(started.code, 0, started.stderr);
    return server;
  }

  asUid(command: string, args: readonly string[], environment: NodeJS.ProcessEnv): Promise<ProcessResult> {
    const id = String(this.uid);
    return run('setpriv', ['--reuid', id, '--regid', id, '--clear-groups', command, ...args], environment);
  }

  cli(environment: NodeJS.ProcessEnv, ...args: string[]): Promise<ProcessResult> {
    return this.asUid(process.execPath, [cliPath, '-L', this.socketName, ...args], environment);
  }

  /** The XDG directories in the server's own directory, which the uid owns. */
  withXdg(): NodeJS.ProcessEnv {
    return {
      ...this.environment,
      XDG_DATA_HOME: join(this.root, 'data'),
      XDG_STATE_HOME: join(this.root, 'state'),
      XDG_CONFIG_HOME: join(this.root, 'config'),
    };
  }

  async dispose(): Promise<void> {
    await this.cli(this.withXdg(), 'daemon', 'stop');
    await this.asUid('tmux', ['-L', this.socketName, 'kill-server'], this.environment);
    await rm(this.root, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}

function assertOneLine(result: ProcessResult, code: number, problem: RegExp): void {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0]!, problem);
  assert.equal(result.code, code, `exit code for: ${lines[0]}`);
}

async function worksFromXdg(server: ServerOfUid): Promise<void> {
  const environment = server.withXdg();
  for (const args of [['save'], ['list'], ['daemon', 'start'], ['status'], ['daemon', 'stop']]) {
    const result = await server.cli(environment, ...args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr, '', args.join(' '));
  }
  const saves = await readdir(join(server.root, 'data', 'continuum', 'saves'));
  assert.ok(
    saves.some((name) => name.endsWith('.json')),
    `a save in XDG_DATA_HOME: ${saves.join(', ')}`,
  );
}

describe('HOME unset', {
  skip: canSwitchUser ? false : 'needs root and setpriv to run as another uid',
}, () => {
  describe('for a uid with no passwd entry', () => {
    let server: ServerOfUid;
    before(async () => {
      const uid = unknownUid();
      assert.ok(uid !== undefined, 'a uid without a passwd entry');
      server = await ServerOfUid.create(uid);
    });
    after(async () => {
      await server.dispose();
    });

    it('works from the XDG variables when they are set', async () => {
      await worksFromXdg(server);
    });

    it('fails with one line and exit 1 where a path needs the home directory', async () => {
      for (const args of [['save'], ['list'], ['status'], ['daemon', 'start']]) {
        assertOneLine(
          await server.cli(server.environment, ...args),
          exitCodes.failure,
          /^continuum: no home directory: HOME is not set .* set HOME, or XDG_DATA_HOME and XDG_STATE_HOME/,
        );
      }
    });
  });

  describe('for nobody (uid 65534, whose home is /nonexistent)', () => {
    let server: ServerOfUid;
    before(async () => {
      server = await ServerOfUid.create(65534);
    });
    after(async () => {
      await server.dispose();
    });

    it('works from the XDG variables when they are set', async () => {
      await worksFromXdg(server);
    });

    it('says the save directory under /nonexistent cannot be written, in one line', async () => {
      assertOneLine(
        await server.cli(server.environment, 'save'),
        exitCodes.unwritable,
        /^continuum: cannot write to \/nonexistent\//,
      );
    });
  });
});
