import assert from 'node:assert/strict';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitCodes } from '../../src/errors.js';
import { createDaemonTestServer, daemonFilesOf, disposeWithDaemon, stopDaemon } from '../support/daemon.js';
import { newestSaveIn, type TestServer } from '../support/tmux-server.js';

const linesOf = (output: string) => output.trim().split('\n');
const lineAbout = (output: string, what: string) =>
  linesOf(output).find((line) => line.slice(2).startsWith(`${what}:`));

describe('continuum doctor against a real tmux server', () => {
  let server: TestServer;
  before(async () => {
    server = await createDaemonTestServer();
    await server.start('work');
  });
  after(async () => {
    await disposeWithDaemon(server);
  });

  it('after init and a save, every check passes and the exit code is 0', async () => {
    assert.equal((await server.cli('init')).code, 0);
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const result = await server.cli('doctor');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const what of [
      'node',
      'tmux',
      'save directory',
      'settings',
      'key save',
      'key restore',
      'auto-restore hook',
      'daemon',
      'newest save',
      'start at login',
    ])
      assert.match(lineAbout(result.stdout, what) ?? `missing ${what}`, /^✔ /, result.stdout);
    assert.ok(
      linesOf(result.stdout).every((line) => line.startsWith('✔ ')),
      result.stdout,
    );
    assert.match(lineAbout(result.stdout, 'newest save')!, /format version 1, 1 session/);
  });

  it('an unreadable newest save, no daemon and a wrong directory mode are ✘ lines with what to do, exit 1', async () => {
    await stopDaemon(await daemonFilesOf(server));
    const newest = await newestSaveIn(server.saveDirectory);
    assert.ok(newest);
    await writeFile(join(server.saveDirectory, newest), '{"format": "continuum-snapshot", "ver');
    await chmod(server.saveDirectory, 0o755);
    try {
      const result = await server.cli('doctor');
      assert.equal(result.code, exitCodes.failure, result.stdout + result.stderr);
      assert.match(lineAbout(result.stdout, 'save directory')!, /^✘ .* has mode 0755.* — chmod 700 /);
      assert.match(
        lineAbout(result.stdout, 'daemon')!,
        /^✘ daemon: not running .* — start it with `continuum -L \S+ daemon start`/,
      );
      assert.match(lineAbout(result.stdout, 'newest save')!, /^✘ newest save: .*is truncated or not JSON — /);
      // What still works is still said to work.
      assert.match(lineAbout(result.stdout, 'key save')!, /^✔ /);
      assert.deepEqual(await readdir(server.saveDirectory).then((names) => names.includes(newest)), true);
    } finally {
      await chmod(server.saveDirectory, 0o700);
    }
  });

  it('names each setting whose value is not allowed, with what is, as a warning', async () => {
    await server.tmux('set-option', '-g', '@continuum-save-interval', 'often');
    await server.tmux('set-option', '-g', '@resurrect-capture-pane-contents', 'yes');
    await server.tmux('set-option', '-g', '@resurrect-save', 'M-s');
    try {
      const result = await server.cli('doctor');
      const settings = linesOf(result.stdout).filter((line) => line.slice(2).startsWith('settings:'));
      assert.deepEqual(
        settings,
        [
          '! settings: @resurrect-capture-pane-contents is "yes": on or off — the default is used instead: see docs/options.md',
          '! settings: @continuum-save-interval is "often": a number of minutes, 0 or more — the default is used instead: see docs/options.md',
        ],
        result.stdout,
      );
      // The key check reads the same typed settings: the key the user chose, not the default.
      assert.match(lineAbout(result.stdout, 'key save')!, /prefix M-s/);
    } finally {
      await server.tmux('set-option', '-gu', '@continuum-save-interval');
      await server.tmux('set-option', '-gu', '@resurrect-capture-pane-contents');
      await server.tmux('set-option', '-gu', '@resurrect-save');
    }
  });
});
