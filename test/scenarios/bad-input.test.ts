import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { snapshotFormatVersion } from '../../src/snapshot/schema.js';
import { listIds } from '../support/live-server.js';
import { newestSaveIn, type ProcessResult, TestServer, waitFor } from '../support/tmux-server.js';

/** One line on stderr that names the problem, nothing on stdout, the exit code of that kind of failure. */
function assertFailure(result: ProcessResult, code: number, problem: RegExp): void {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0]!, /^continuum: /);
  assert.match(lines[0]!, problem);
  // The line also says what to do next, after the dash.
  assert.match(lines[0]!, / — \S/);
  assert.equal(result.stdout, '');
  assert.equal(result.code, code, `exit code for: ${lines[0]}`);
}

/** Names, sizes, modes and contents of every file in a directory (recursively flat). */
async function directoryState(directory: string): Promise<string[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  return Promise.all(
    names.sort().map(async (name) => {
      const path = join(directory, name);
      const info = await stat(path);
      const digest = info.isFile()
        ? createHash('sha256')
            .update(await readFile(path))
            .digest('hex')
        : 'dir';
      return `${name} ${info.mode.toString(8)} ${info.size} ${info.mtimeMs} ${digest}`;
    }),
  );
}

describe('bad input', () => {
  let server: TestServer;
  let goodSave: string;
  let goodName: string;
  let caseNumber = 0;

  before(async () => {
    server = await TestServer.create();
    await server.start();
    await server.tmux('new-session', '-d', '-s', 'work', '-x', '100', '-y', '30');
    await server.tmux('split-window', '-t', '=work:0');
    await server.tmux('kill-session', '-t', '=0');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    goodName = (await newestSaveIn(server.saveDirectory))!;
    goodSave = await readFile(join(server.saveDirectory, goodName), 'utf8');
    // A fresh server holding only its bootstrap session: what a bad restore must never kill.
    await server.kill();
    await waitFor(
      async () => (await server.tmuxResult('new-session', '-d', '-s', '0')).code === 0,
      5000,
      'a fresh server',
    );
  });
  after(async () => {
    await server.dispose();
  });

  /** A save directory holding one save with this content. */
  async function saveDirectoryWith(content: string): Promise<string> {
    caseNumber += 1;
    const directory = join(server.root, `case-${caseNumber}`);
    await mkdir(directory, { mode: 0o700 });
    await writeFile(join(directory, goodName), content, { mode: 0o600 });
    return directory;
  }

  /** Runs `restore` on a save directory and checks that neither tmux nor the directory changed. */
  async function restoreUntouched(directory: string, ...args: string[]): Promise<ProcessResult> {
    const ids = await listIds(server);
    const files = await directoryState(directory);
    const result = await server.cli('--dir', directory, 'restore', ...args);
    assert.equal(await listIds(server), ids, 'tmux was changed');
    assert.deepEqual(await directoryState(directory), files, 'the save directory was changed');
    assert.match(ids, /^\$\d+ @\d+ %\d+ 0\.0\n$/, 'the bootstrap session is still there');
    return result;
  }

  const edited = (change: (value: Record<string, unknown>) => void): string => {
    const value = JSON.parse(goodSave) as Record<string, unknown>;
    change(value);
    return JSON.stringify(value);
  };

  it('tmux not installed (--mux and CONTINUUM_MUX)', async () => {
    const files = await directoryState(server.saveDirectory);
    for (const command of ['save', 'restore']) {
      assertFailure(
        await server.cli('--mux', '/nonexistent/tmux', command),
        exitCodes.muxMissing,
        /\/nonexistent\/tmux is not installed.*install tmux/,
      );
      const result = await server.cliRaw(['-L', server.socketName, command], {
        ...server.environment,
        CONTINUUM_MUX: '/nonexistent/tmux',
      });
      assertFailure(result, exitCodes.muxMissing, /\/nonexistent\/tmux is not installed/);
    }
    assert.deepEqual(await directoryState(server.saveDirectory), files);
  });

  it('no server on the socket', async () => {
    const files = await directoryState(server.saveDirectory);
    for (const command of ['save', 'restore']) {
      const result = await server.cliRaw(['-L', `${server.socketName}-nobody`, command]);
      assertFailure(
        result,
        exitCodes.noServer,
        /no tmux server is running on socket -L \S+-nobody — start one with/,
      );
    }
    assert.deepEqual(await directoryState(server.saveDirectory), files);
  });

  it('no saves yet', async () => {
    const directory = join(server.root, 'empty-directory');
    await mkdir(directory);
    assertFailure(
      await restoreUntouched(directory),
      exitCodes.noSave,
      /no save of -L \S+ found in .*empty-directory — run `continuum save` first/,
    );
    assertFailure(
      await restoreUntouched(join(server.root, 'missing-directory')),
      exitCodes.noSave,
      /no save of -L \S+ found in/,
    );
    // A file where the directory should be holds no saves either, but "no save found" would hide it.
    const file = join(server.root, 'file-not-directory');
    await writeFile(file, '');
    assertFailure(
      await restoreUntouched(join(file, 'saves')),
      exitCodes.unwritable,
      /file-not-directory is a file, not a directory/,
    );
    assertFailure(
      await restoreUntouched(server.saveDirectory, 'no-such-save'),
      exitCodes.noSave,
      /no save named "no-such-save"/,
    );
  });

  it('an empty save file', async () => {
    const directory = await saveDirectoryWith('');
    assertFailure(
      await restoreUntouched(directory),
      exitCodes.badSave,
      new RegExp(`${goodName}: file is empty`),
    );
  });

  it('a truncated save file', async () => {
    const directory = await saveDirectoryWith(goodSave.slice(0, Math.floor(goodSave.length / 2)));
    assertFailure(
      await restoreUntouched(directory),
      exitCodes.badSave,
      /is truncated or not JSON — pick another save/,
    );
  });

  it('valid JSON with a field of the wrong type, naming the field', async () => {
    const directory = await saveDirectoryWith(
      edited((value) => {
        const sessions = value.sessions as { windows: { layout: unknown }[] }[];
        sessions[0]!.windows[0]!.layout = 42;
      }),
    );
    assertFailure(
      await restoreUntouched(directory),
      exitCodes.badSave,
      /\(at sessions\.0\.windows\.0\.layout\)/,
    );
  });

  it('a save with zero sessions', async () => {
    const directory = await saveDirectoryWith(
      edited((value) => {
        value.sessions = [];
      }),
    );
    assertFailure(await restoreUntouched(directory), exitCodes.badSave, /holds no sessions/);
  });

  it('a save from a future version', async () => {
    const directory = await saveDirectoryWith(
      edited((value) => {
        value.version = snapshotFormatVersion + 1;
      }),
    );
    assertFailure(
      await restoreUntouched(directory),
      exitCodes.badSave,
      /made by a newer continuum .* — upgrade continuum/,
    );
  });

  it('a file that is not a continuum save', async () => {
    const directory = await saveDirectoryWith('{"sessions": []}');
    assertFailure(await restoreUntouched(directory), exitCodes.badSave, /not a continuum save/);
  });

  it('an unwritable save directory', async () => {
    const blocker = join(server.root, 'a-regular-file');
    await writeFile(blocker, 'not a directory');
    const ids = await listIds(server);
    const result = await server.cli('--dir', join(blocker, 'saves'), 'save');
    assertFailure(
      result,
      exitCodes.unwritable,
      /the save directory .*a-regular-file\/saves cannot exist: .*a-regular-file is a file, not a directory — point --dir/,
    );
    assert.equal(await readFile(blocker, 'utf8'), 'not a directory');
    assert.equal(await listIds(server), ids);
  });

  it('dry runs of bad saves fail the same way and change nothing', async () => {
    const directory = await saveDirectoryWith('{"format": "continuum-snapshot", "vers');
    assertFailure(
      await restoreUntouched(directory, '--dry-run'),
      exitCodes.badSave,
      /is truncated or not JSON/,
    );
  });
});
