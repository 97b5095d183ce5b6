import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { type Shell, shellCommand, skipReason, startWithShell } from '../support/shells.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

const strangerUid = 65534;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const skip =
  process.platform !== 'linux'
    ? 'needs Linux (/proc, setpriv)'
    : process.getuid?.() !== 0
      ? 'needs root to run a stranger as uid 65534 with setpriv'
      : setpriv === undefined
        ? 'needs setpriv (util-linux) to run a stranger as uid 65534'
        : false;

/** Runs a fixed sh script as uid 65534; the paths it works on are its arguments, never its text. */
function asStranger(script: string, ...args: string[]): void {
  execFileSync(
    setpriv!,
    [
      `--reuid=${strangerUid}`,
      `--regid=${strangerUid}`,
      '--clear-groups',
      '--',
      '/bin/sh',
      '-c',
      script,
      'stranger',
      ...args,
    ],
    { stdio: 'pipe', timeout: 10_000 },
  );
}

async function typeLine(server: TestServer, target: string, line: string): Promise<void> {
  await server.tmux('send-keys', '-t', target, '-l', line);
  await server.tmux('send-keys', '-t', target, 'Enter');
}

async function screenShows(server: TestServer, target: string, text: string, what: string): Promise<string> {
  let screen = '';
  await waitFor(
    async () => {
      screen = await server.tmux('capture-pane', '-p', '-J', '-t', target);
      return screen.includes(text);
    },
    15_000,
    what,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the pane shows:\n${screen}`);
  });
  return screen;
}

/** Files in `directory` owned by the user running the test (the stranger's own are skipped). */
async function userFilesIn(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(directory).catch(() => [] as string[]))
    if ((await lstat(join(directory, name))).uid === process.getuid?.()) found.push(name);
  return found;
}

describe('the shell integration trusts only the user’s own pane directory', { skip }, () => {
  let server: TestServer;
  let runtime: string;
  let panes: string;
  let stranger: string;
  beforeEach(async () => {
    server = await TestServer.create();
    // A runtime directory others can write to (as /tmp is), so another uid can make continuum/ first.
    await chmod(server.root, 0o711);
    runtime = join(server.root, 'runtime');
    await mkdir(runtime);
    await chmod(runtime, 0o1777);
    server.environment.XDG_RUNTIME_DIR = runtime;
    panes = join(runtime, 'continuum', 'panes');
    stranger = await mkdtemp('/tmp/continuum-stranger-');
    await chown(stranger, strangerUid, strangerUid);
    await chmod(stranger, 0o755);
  });
  afterEach(async () => {
    await server.dispose();
    await rm(stranger, { recursive: true, force: true });
  });

  /** The stranger makes continuum/panes first, open to everyone. */
  function strangerMakesPaneDirectory(): void {
    asStranger('mkdir -p -m 777 "$1" "$2" && chmod 777 "$1" "$2"', join(runtime, 'continuum'), panes);
  }

  for (const shell of ['bash', 'zsh', 'fish'] as const satisfies readonly Shell[]) {
    it(`${shell}: a record swapped for a symlink overwrites nothing, a history swapped for the stranger's own learns nothing`, {
      skip: skipReason(shell),
    }, async () => {
      strangerMakesPaneDirectory();
      const victim = join(server.home, 'victim');
      await writeFile(victim, 'precious\n');
      await startWithShell(server, await shellCommand(server, shell));
      await typeLine(server, '=work:0.0', `echo ready-4''2 "<$CONTINUUM_PANE_ID>"`);
      const screen = await screenShows(server, '=work:0.0', 'ready-42', `${shell} to start`);
      // The identity the snippet gave the pane: its files' names.
      const identity = /ready-42 <([A-Za-z0-9_-]+)>/.exec(screen)?.[1];
      assert.ok(identity, screen);
      asStranger(
        'rm -f "$1.state" "$1.history"; ln -s "$2" "$1.state"; : > "$1.history"; chmod 666 "$1.history"',
        join(panes, identity),
        victim,
      );
      await typeLine(server, '=work:0.0', `echo secret-4''2`);
      await screenShows(server, '=work:0.0', 'secret-42', `${shell} to run the secret command`);
      // One more prompt: the old snippets wrote the record at every prompt.
      await typeLine(server, '=work:0.0', `echo done-4''2`);
      await screenShows(server, '=work:0.0', 'done-42', `${shell} to run a last command`);
      assert.equal(await readFile(victim, 'utf8'), 'precious\n', "the user's file the link named");
      assert.equal(
        await readFile(join(panes, `${identity}.history`), 'utf8'),
        '',
        "the stranger's history file",
      );
      assert.deepEqual(
        await userFilesIn(panes),
        [],
        "files the user's shell made in the stranger's directory",
      );
    });
  }

  it("a record the stranger planted is not saved, a restore writes nothing into the stranger's directory and is not blocked", {
    skip: skipReason('bash'),
  }, async () => {
    strangerMakesPaneDirectory();
    const canary = join(server.root, 'PWNED-planted');
    const venv = join(stranger, 'venv');
    asStranger('mkdir -p "$1/bin" && printf "touch %s\\n" "$2" > "$1/bin/activate"', venv, canary);
    const bash = await shellCommand(server, 'bash');
    await startWithShell(server, bash);
    const [socket, serverPid, paneId] = (
      await server.tmux('display-message', '-p', '-t', '=work:0.0', '#{socket_path} #{pid} #{pane_id}')
    )
      .trim()
      .split(' ');
    const record = [
      'continuum-pane',
      '1',
      'identity',
      'planted',
      'tmux',
      `${socket},${serverPid},$0`,
      'tmux-pane',
      paneId,
      'shell',
      'bash',
      'environment',
      `VIRTUAL_ENV=${venv}`,
      'end',
    ]
      .map((field) => `${field}\0`)
      .join('');
    await writeFile(join(stranger, 'record'), record, { mode: 0o644 });
    asStranger('cp "$2" "$1" && chmod 600 "$1"', join(panes, 'planted.state'), join(stranger, 'record'));
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const snapshot = JSON.parse(
      await readFile(join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!), 'utf8'),
    ) as Snapshot;
    assert.equal(
      snapshot.sessions[0]!.windows[0]!.panes[0]!.shell,
      undefined,
      'the planted record was not read',
    );

    // The same save as if the record had been read: the restore must still not use the directory.
    snapshot.sessions[0]!.windows[0]!.panes[0]!.shell = {
      identity: 'planted',
      name: 'bash',
      environment: { VIRTUAL_ENV: venv },
    };
    await writeFile(
      join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!),
      JSON.stringify(snapshot),
    );
    await server.kill();
    await startWithShell(server, bash, false);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stderr,
      /runtime\/continuum belongs to another user \(uid 65534\); panes come back without their shell history and variables/,
    );
    await typeLine(server, '=work:0.0', `echo settled-4''2`);
    await screenShows(server, '=work:0.0', 'settled-42', 'the restored shell to settle');
    assert.equal(existsSync(canary), false, "the stranger's activate script ran");
    assert.deepEqual(
      await userFilesIn(panes),
      [],
      "files the user's restore made in the stranger's directory",
    );
  });

  it('a saved virtualenv whose activate script another user owns is refused with one line and not sourced', {
    skip: skipReason('bash'),
  }, async () => {
    const canary = join(server.root, 'PWNED-venv');
    const venv = join(stranger, 'venv');
    asStranger('mkdir -p "$1/bin" && printf "touch %s\\n" "$2" > "$1/bin/activate"', venv, canary);
    const bash = await shellCommand(server, 'bash');
    await server.start('bootstrap');
    await server.tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40');
    await server.tmux('kill-session', '-t', '=bootstrap');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const path = join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!);
    const snapshot = JSON.parse(await readFile(path, 'utf8')) as Snapshot;
    snapshot.sessions[0]!.windows[0]!.panes[0]!.shell = {
      identity: 'mine-1-2',
      name: 'bash',
      environment: { VIRTUAL_ENV: venv },
    };
    await writeFile(path, JSON.stringify(snapshot));
    await server.kill();
    await startWithShell(server, bash, false);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const refusals = restored.stderr.split('\n').filter((line) => line.includes('virtualenv'));
    assert.equal(refusals.length, 1, restored.stderr);
    assert.match(
      refusals[0]!,
      new RegExp(`virtualenv ${venv} is not activated: .* belongs to another user \\(uid ${strangerUid}\\)`),
    );
    await typeLine(server, '=work:0.0', `echo settled-4''2`);
    await screenShows(server, '=work:0.0', 'settled-42', 'the restored shell to settle');
    assert.equal(existsSync(canary), false, "the stranger's activate script ran");
  });
});
