import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { oneLineFailure } from '../support/one-line-failure.js';
import { cliPath, type ProcessResult, TestServer, waitFor } from '../support/tmux-server.js';

/** The exit-code table of docs/exit-codes.md, as `code → meaning`: the promise this file checks. */
async function documentedExitCodes(): Promise<Map<number, string>> {
  const document = await readFile(join(process.cwd(), 'docs', 'exit-codes.md'), 'utf8');
  const table = document.slice(document.indexOf('| code | meaning |'));
  const codes = new Map<number, string>();
  for (const line of table.split('\n')) {
    const row = line.match(/^\| (\d+) \| (.+) \|$/);
    if (row) codes.set(Number(row[1]), row[2]!);
    else if (codes.size > 0 && !line.startsWith('|')) break;
  }
  return codes;
}

/** Runs the CLI with stdout into a pipe whose reader goes away after the first chunk, as `| head -1` does. */
function runIntoClosedPipe(args: readonly string[], environment: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ stdout: '', stderr, code }));
  });
}

describe('the first day', () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.create();
    await server.start('work');
    // Enough windows that `show` writes far more than one pipe buffer.
    for (let index = 1; index < 200; index += 1)
      await server.tmux('new-window', '-d', '-t', '=work:', '-n', `window number ${index}`);
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
  });
  after(async () => {
    await server.dispose();
  });

  it('exits quietly when the reader of its output goes away (EPIPE)', async () => {
    for (const args of [['show'], ['list'], ['restore', '--dry-run']]) {
      const result = await runIntoClosedPipe(['-L', server.socketName, ...args], server.environment);
      assert.equal(result.stderr, '', `${args.join(' ')} wrote to stderr: ${result.stderr}`);
      assert.equal(result.code, 0, args.join(' '));
    }
  });

  it('counts in words a person reads: 1 session, not 1 sessions', async () => {
    const listed = await server.cli('list');
    assert.match(listed.stdout, /1 session, 200 windows, 200 panes/);
    assert.doesNotMatch(listed.stdout, /\b1 sessions\b/);
  });

  it('shows the time of a save in local time', async () => {
    // A zone far from UTC, so a UTC time cannot pass for the local one.
    const environment = { ...server.environment, TZ: 'Asia/Kolkata' };
    const shown = await server.cliRaw(['-L', server.socketName, 'show', '--json'], environment);
    const savedAt = new Date((JSON.parse(shown.stdout) as { savedAt: string }).savedAt);
    const kolkata = new Date(savedAt.getTime() + 5.5 * 3600 * 1000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    const text = await server.cliRaw(['-L', server.socketName, 'show'], environment);
    assert.match(text.stdout, new RegExp(`saved ${kolkata} `));
  });

  it("puts continuum's prefix and the next step on commander's own errors, in one line", async () => {
    for (const args of [['--bogus'], ['restore', 'a', 'b'], ['boot']]) {
      oneLineFailure(await server.cli(...args), exitCodes.usage, /— run `continuum --help` for usage$/);
    }
  });

  it('names the server in hints, so the command it suggests works as typed', async () => {
    const result = await server.cli('status');
    oneLineFailure(result, exitCodes.noDaemon, new RegExp(`continuum -L ${server.socketName} daemon start`));
  });

  it('says there is nothing to save on a server without sessions, and restores into it', async () => {
    const empty = await TestServer.create();
    try {
      await empty.start('bootstrap');
      await empty.tmux('new-session', '-d', '-s', 'kept', '-x', '80', '-y', '20');
      assert.equal((await empty.cli('save')).code, 0);
      await empty.tmux('set-option', '-g', 'exit-empty', 'off');
      await empty.tmux('kill-session', '-t', '=kept');
      await empty.tmux('kill-session', '-t', '=bootstrap');
      oneLineFailure(await empty.cli('save'), exitCodes.failure, /nothing to save: .* has no sessions/);
      const restored = await empty.cli('restore');
      assert.equal(restored.code, 0, restored.stderr);
      const names = (await empty.tmux('list-sessions', '-F', '#{session_name}')).trim().split('\n').sort();
      assert.deepEqual(names, ['bootstrap', 'kept']);
    } finally {
      await empty.dispose();
    }
  });
});

describe('every exit code in docs/exit-codes.md', () => {
  let server: TestServer;
  let tools: string;

  before(async () => {
    server = await TestServer.create();
    await server.start('work');
    await server.tmux('split-window', '-t', '=work:0');
    tools = join(server.root, 'tools');
    await mkdir(tools);
  });
  after(async () => {
    await server.dispose();
  });

  /** A --mux program: a shell script standing in for tmux. */
  async function fakeMux(name: string, body: string): Promise<string> {
    const path = join(tools, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }

  const cases: Record<number, () => Promise<void>> = {
    0: async () => {
      const result = await server.cli('save');
      assert.equal(result.code, 0, result.stderr);
    },
    1: async () => {
      const bare = await TestServer.create();
      try {
        await bare.start('only');
        await bare.tmux('set-option', '-g', 'exit-empty', 'off');
        await bare.tmux('kill-session', '-t', '=only');
        oneLineFailure(await bare.cli('save'), exitCodes.failure, /nothing to save/);
      } finally {
        await bare.dispose();
      }
    },
    2: async () => oneLineFailure(await server.cli('--no-such-option'), exitCodes.usage, /unknown option/),
    3: async () => {
      oneLineFailure(
        await server.cli('--mux', '/nonexistent/tmux', 'save'),
        exitCodes.muxMissing,
        /not installed/,
      );
      // A file that exists but is not a program names no multiplexer either.
      const notExecutable = join(tools, 'not-executable');
      await writeFile(notExecutable, 'plain text\n', { mode: 0o644 });
      oneLineFailure(
        await server.cli('--mux', notExecutable, 'save'),
        exitCodes.muxMissing,
        /not-executable is not an executable program/,
      );
      oneLineFailure(
        await server.cli('--mux', tools, 'save'),
        exitCodes.muxMissing,
        /not an executable program/,
      );
    },
    4: async () => {
      for (const command of ['save', 'status'])
        oneLineFailure(
          await server.cliRaw(['-L', `${server.socketName}-nobody`, command]),
          exitCodes.noServer,
          /no tmux server is running/,
        );
    },
    5: async () => {
      oneLineFailure(
        await server.cli('show', join(server.root, 'missing.json')),
        exitCodes.noSave,
        /no save file missing\.json/,
      );
      oneLineFailure(
        await server.cli('restore', 'no-such-save'),
        exitCodes.noSave,
        /see the saves there are with `continuum list`/,
      );
    },
    6: async () => {
      const broken = join(server.root, 'broken.json');
      await writeFile(broken, '{"format": "continuum-snapshot", "vers');
      oneLineFailure(await server.cli('show', broken), exitCodes.badSave, /truncated or not JSON/);
    },
    7: async () => {
      const file = join(server.root, 'a-file');
      await writeFile(file, '');
      oneLineFailure(await server.cli('--dir', join(file, 'saves'), 'save'), exitCodes.unwritable, /a-file/);
    },
    8: async () => {
      const failing = await fakeMux('failing-tmux', 'echo "lost connection to the moon" >&2; exit 1');
      oneLineFailure(
        await server.cli('--mux', failing, 'save'),
        exitCodes.muxFailed,
        /lost connection to the moon/,
      );
    },
    9: async () => {
      // A pre-restore hook that holds the first restore until the test releases it: the second
      // restore waits its 30 s for the first, then gives up.
      const started = join(server.root, 'hook-started');
      const release = join(server.root, 'hook-release');
      const hook = join(tools, 'hold-the-restore');
      await writeFile(hook, `touch '${started}'\nwhile [ ! -e '${release}' ]; do sleep 0.1; done\n`);
      await server.tmux('set-option', '-g', '@resurrect-hook-pre-restore-all', `sh '${hook}'`);
      const first = spawn(process.execPath, [cliPath, '-L', server.socketName, 'restore'], {
        env: server.environment,
        stdio: 'ignore',
      });
      const firstExit = new Promise((resolve) => first.on('exit', resolve));
      try {
        await waitFor(
          () =>
            readFile(started).then(
              () => true,
              () => false,
            ),
          10_000,
          'the first restore to run its hook',
        );
        oneLineFailure(await server.cli('restore'), exitCodes.busy, /another restore .* is still running/);
      } finally {
        await writeFile(release, '');
        await firstExit;
        await server.tmux('set-option', '-gu', '@resurrect-hook-pre-restore-all');
      }
    },
    10: async () => {
      // A tmux that runs the restore script with one line it cannot run: the rest still happens.
      const tmux = await new Promise<string>((resolve, reject) =>
        execFile('sh', ['-c', 'command -v tmux'], (error, stdout) =>
          error ? reject(error) : resolve(stdout.trim()),
        ),
      );
      const spoiling = await fakeMux(
        'spoiling-tmux',
        `for last; do :; done\ncase "$*" in *source-file*) printf 'select-window -t =no-such-session:99\\n' >> "$last";; esac\nexec '${tmux}' "$@"`,
      );
      // The new session first: killing the only one ends the server, and a client that comes while
      // it exits fails with "server exited unexpectedly".
      await server.tmux('new-session', '-d', '-s', 'other');
      await server.tmux('kill-session', '-t', '=work');
      const result = await server.cli('--mux', spoiling, 'restore');
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      assert.match(lines.at(-1)!, /^continuum: restore incomplete/);
      assert.equal(result.code, exitCodes.partialRestore);
      assert.match(await server.tmux('list-sessions', '-F', '#{session_name}'), /^work$/m);
    },
    11: async () =>
      oneLineFailure(await server.cli('status'), exitCodes.noDaemon, /no continuum daemon is running/),
  };
  /** Codes no input can produce on purpose. */
  const unreachable: Record<number, string> = { 70: 'an internal error is a bug in continuum by definition' };

  it('has a case for every code, each producing its code', async () => {
    const documented = await documentedExitCodes();
    assert.ok(documented.size >= 10, `read only ${documented.size} rows of the table in docs/exit-codes.md`);
    const covered = [...Object.keys(cases), ...Object.keys(unreachable)].map(Number).sort((a, b) => a - b);
    assert.deepEqual(
      [...documented.keys()].sort((a, b) => a - b),
      covered,
    );
    for (const [code, check] of Object.entries(cases)) {
      await check().catch((error: unknown) => {
        throw new Error(`exit code ${code} (${documented.get(Number(code))}): ${String(error)}`);
      });
    }
  });
});
