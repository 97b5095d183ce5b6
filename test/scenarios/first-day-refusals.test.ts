import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { createDaemonTestServer, disposeWithDaemon } from '../support/daemon.js';
import { oneLineFailure } from '../support/one-line-failure.js';
import { powershellJson, samplePsmuxSave } from '../support/psmux-saves.js';
import { cliPath, type ProcessResult, run, TestServer } from '../support/tmux-server.js';

const strangerUid = 65534;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * Runs the CLI with a deadline of its own: a command that blocks (on a FIFO) is killed and
 * reported as `timedOut`, so the test fails with that instead of hanging the suite.
 */
function runWithDeadline(
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  milliseconds = 15_000,
): Promise<ProcessResult & { timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, milliseconds);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
}

describe('first-day refusals', () => {
  let server: TestServer;
  let saveName: string;

  before(async () => {
    server = await TestServer.create();
    await server.start('work');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    saveName = (await readdir(server.saveDirectory)).find((name) => name.endsWith('.json'))!;
  });
  after(async () => {
    await server.dispose();
  });

  it('refuses to delete in an immutable directory with one line and exit 7, deleting nothing', async (context) => {
    const attributes = await run('chattr', ['+i', server.saveDirectory], process.env);
    if (attributes.code !== 0) {
      context.skip(
        `chattr +i is not available here (needs e2fsprogs and CAP_LINUX_IMMUTABLE): ${attributes.stderr.trim()}`,
      );
      return;
    }
    try {
      const result = await server.cli('delete', '1');
      oneLineFailure(
        result,
        exitCodes.unwritable,
        /cannot be deleted.*EPERM.*nothing was deleted.*chattr -i/,
      );
    } finally {
      await run('chattr', ['-i', server.saveDirectory], process.env);
    }
    assert.ok((await readdir(server.saveDirectory)).includes(saveName));
  });

  it('refuses to delete in a read-only (0500) directory with one line and exit 7', async (context) => {
    if (process.getuid?.() !== 0 || setpriv === undefined) {
      context.skip('needs root and setpriv (util-linux) to run the CLI as uid 65534, whom mode bits bind');
      return;
    }
    // The directories of uid 65534: root passes every permission check, so the user is another uid.
    const home = join(server.root, 'nobody');
    const directory = join(home, 'saves');
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, saveName), '{}');
    for (const path of [home, directory, join(directory, saveName)])
      await chown(path, strangerUid, strangerUid);
    await chmod(server.root, 0o711);
    await chmod(directory, 0o500);
    const result = await run(
      setpriv,
      [
        `--reuid=${strangerUid}`,
        `--regid=${strangerUid}`,
        '--clear-groups',
        process.execPath,
        cliPath,
        '--dir',
        directory,
        'delete',
        join(directory, saveName),
      ],
      { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_RUNTIME_DIR: home, TMUX_TMPDIR: home },
    );
    oneLineFailure(
      result,
      exitCodes.unwritable,
      /cannot be deleted: permission denied \(EACCES\); nothing was deleted/,
    );
    assert.deepEqual(await readdir(directory), [saveName]);
  });

  it('doctor calls a 0500 save directory not writable, not readable by others', async () => {
    await chmod(server.saveDirectory, 0o500);
    try {
      const doctor = await server.cli('doctor');
      const line = doctor.stdout.split('\n').find((text) => text.includes('save directory')) ?? '';
      assert.match(line, /✘ save directory: .* is not writable \(mode 0500\) — chmod 700/);
      assert.doesNotMatch(line, /others may read/);
    } finally {
      await chmod(server.saveDirectory, 0o700);
    }
  });

  it('says a --dir that is a file is a file, for every command that takes it', async () => {
    const file = join(server.root, 'not-a-directory');
    await writeFile(file, 'x\n');
    const psmuxSave = join(server.root, 'psmux_resurrect_20260314_091502.json');
    await writeFile(psmuxSave, powershellJson(samplePsmuxSave()));
    for (const directory of [file, join(file, 'saves')]) {
      for (const args of [
        ['save'],
        ['list'],
        ['show'],
        ['restore'],
        ['diff'],
        ['delete', '1'],
        ['import', psmuxSave],
        ['init'],
      ]) {
        const result = await server.cli('--dir', directory, ...args);
        oneLineFailure(result, exitCodes.unwritable, /not-a-directory is a file, not a directory/);
        assert.doesNotMatch(result.stdout, /no saves/, `${args.join(' ')} --dir ${directory}`);
      }
      const doctor = await server.cli('--dir', directory, 'doctor');
      assert.match(doctor.stdout, /✘ save directory: .*not-a-directory/);
    }
  });

  it('refuses a FIFO or a device given as a save at once, never waiting on it', async () => {
    const fifo = join(server.root, 'a-fifo.json');
    await new Promise<void>((resolve, reject) =>
      execFile('mkfifo', [fifo], (error) => (error ? reject(error) : resolve())),
    );
    // A FIFO named as a save in the save directory: every command that reads the newest save meets it.
    const fifoSave = saveName.replace(/T\d\d-\d\d-\d\d-\d{3}Z/, 'T23-59-59-999Z');
    assert.notEqual(fifoSave, saveName);
    await new Promise<void>((resolve, reject) =>
      execFile('mkfifo', [join(server.saveDirectory, fifoSave)], (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    try {
      const cases: [string[], RegExp][] = [
        [['show', fifo], /is a FIFO \(named pipe\), not a save file/],
        [['restore', fifo], /is a FIFO \(named pipe\), not a save file/],
        [['diff', fifo], /is a FIFO \(named pipe\), not a save file/],
        [['import', fifo], /is a FIFO \(named pipe\), not a save file/],
        [['show', '/dev/zero'], /is a character device, not a save file/],
        [['restore', '/dev/zero'], /is a character device, not a save file/],
      ];
      for (const [args, problem] of cases) {
        const result = await runWithDeadline(['-L', server.socketName, ...args], server.environment);
        assert.equal(result.timedOut, false, `${args.join(' ')} blocked on the file`);
        oneLineFailure(result, exitCodes.badSave, problem);
      }
      // The newest save is the FIFO: show says what it is, save writes a new one past it.
      const shown = await runWithDeadline(['-L', server.socketName, 'show'], server.environment);
      assert.equal(shown.timedOut, false, 'show blocked on the newest save, a FIFO');
      oneLineFailure(shown, exitCodes.badSave, /is a FIFO \(named pipe\), not a save file/);
      await server.tmux('new-window', '-d', '-t', '=work:');
      const saved = await runWithDeadline(['-L', server.socketName, 'save'], server.environment);
      assert.equal(saved.timedOut, false, 'save blocked on the newest save, a FIFO');
      assert.equal(saved.code, 0, saved.stderr);
      const deleted = await runWithDeadline(
        ['-L', server.socketName, 'delete', join(server.saveDirectory, fifoSave)],
        server.environment,
      );
      assert.equal(deleted.timedOut, false, 'delete blocked on the FIFO');
      oneLineFailure(deleted, exitCodes.usage, /is a FIFO \(named pipe\), not a regular file/);
    } finally {
      await run('rm', ['-f', join(server.saveDirectory, fifoSave), fifo], process.env);
    }
  });

  it('refuses a psmux save whose pane index tmux cannot hold, naming the field', async () => {
    const save = samplePsmuxSave();
    const sessions = save.sessions as { windows: { panes: { index: number }[] }[] }[];
    sessions[0]!.windows[1]!.panes[2]!.index = 4_294_967_295;
    const file = join(server.root, 'psmux_resurrect_20260314_091502.json');
    await writeFile(file, powershellJson(save));
    const before = await readdir(server.saveDirectory);
    const result = await server.cli('import', file);
    oneLineFailure(result, exitCodes.badSave, /sessions\.0\.windows\.1\.panes\.2\.index/);
    assert.match(result.stderr, /4294967295/);
    assert.deepEqual(await readdir(server.saveDirectory), before, 'nothing was imported');
  });

  it('status for a server that does not exist says so, and advises no `daemon start`', async () => {
    const result = await server.cliRaw(['-L', `${server.socketName}-none`, 'status']);
    oneLineFailure(result, exitCodes.noServer, /no tmux server is running/);
    assert.doesNotMatch(result.stderr, /daemon start/);
  });
});

describe('status and the newest save', () => {
  let server: TestServer;
  before(async () => {
    server = await createDaemonTestServer(200);
    await server.start('work');
  });
  after(async () => {
    await disposeWithDaemon(server);
  });

  it('names the newest save of this server whoever wrote it: a manual save too', async () => {
    // Auto-save off: only the manual save below writes anything.
    await server.tmux('set-option', '-g', '@continuum-save-interval', '0');
    const started = await server.cli('daemon', 'start');
    assert.equal(started.code, 0, started.stderr);
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const name = (await readdir(server.saveDirectory)).find((file) => file.endsWith('.json'))!;
    const status = await server.cli('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^newest save .*${name.replaceAll('.', '\\.')}$`, 'm'));
    const json = JSON.parse((await server.cli('status', '--json')).stdout) as {
      newestSave?: { path?: string };
    };
    assert.equal(json.newestSave?.path, join(server.saveDirectory, name));
  });
});
