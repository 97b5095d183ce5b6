import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { disposeWithDaemon } from '../support/daemon.js';
import { cliPath, run, TestServer } from '../support/tmux-server.js';

/** A PATH as a login profile that resets it leaves: the system's directories, no `continuum`. */
const resetPath = '/usr/bin:/bin';

describe('when tmux cannot find `continuum` on its PATH', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  /** Starts the server from a config, in an environment whose PATH is `path`. */
  async function startWithConfig(config: string, path: string): Promise<void> {
    const file = join(server.root, 'tmux.conf');
    await writeFile(file, config);
    const started = await run(
      'tmux',
      ['-L', server.socketName, '-f', file, 'new-session', '-d', '-s', 'work', '-x', '120', '-y', '40'],
      { ...server.environment, PATH: path },
    );
    assert.equal(started.code, 0, started.stderr);
  }

  function doctorLine(output: string, what: string): string {
    return output.split('\n').find((line) => line.includes(` ${what}: `)) ?? '';
  }

  it("doctor blames the server's PATH, not the config, when `run-shell 'continuum init'` found nothing", async () => {
    await startWithConfig("run-shell 'continuum init'\n", resetPath);
    const doctor = await server.cli('doctor');
    const line = doctorLine(doctor.stdout, 'tmux runs continuum');
    assert.match(
      line,
      /^✘ tmux runs continuum: init has not run in this server, and its PATH has no `continuum`/,
    );
    assert.match(line, new RegExp(`\\(${resetPath}\\)`));
    assert.match(line, /name it by its absolute path in the config: run-shell ".*continuum\.js' init"/);
  });

  it('init records the real script behind a symlink (as `npm install -g` makes), and hooks and bindings run it', async () => {
    // An npm global install: `bin/continuum` is a symlink to the package's dist/continuum.js.
    const bin = join(server.root, 'npm-global', 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(cliPath, join(bin, 'continuum'));
    await startWithConfig('', resetPath);
    const init = await run(process.execPath, [join(bin, 'continuum'), '-L', server.socketName, 'init'], {
      ...server.environment,
      PATH: `${bin}:${resetPath}`,
    });
    assert.equal(init.code, 0, init.stderr);
    const expected = [process.execPath, realpathSync(cliPath)];
    const recorded = (await server.tmux('show-options', '-gv', '@continuum-cli')).trim();
    assert.deepEqual(JSON.parse(recorded), expected);
    const hooks = await server.tmux('show-hooks', '-g', 'session-created');
    assert.ok(hooks.includes(realpathSync(cliPath)), hooks);
    assert.ok(!hooks.includes(join(bin, 'continuum')), `the hook runs the symlink: ${hooks}`);
    const binding = await server.tmux('list-keys', '-T', 'prefix', 'C-s');
    assert.ok(binding.includes(realpathSync(cliPath)), binding);

    const doctor = await server.cli('doctor');
    assert.match(doctorLine(doctor.stdout, 'tmux runs continuum'), /^✔ tmux runs continuum: .*continuum\.js/);

    // The install moved away (a node version manager switched, the package was removed).
    await server.tmux(
      'set-option',
      '-g',
      '@continuum-cli',
      JSON.stringify([join(server.root, 'gone', 'node'), '/gone/continuum.js']),
    );
    const broken = await server.cli('doctor');
    assert.match(
      doctorLine(broken.stdout, 'tmux runs continuum'),
      /^✘ tmux runs continuum: the server cannot run .*gone.*, which init recorded/,
    );
    assert.equal(broken.code, 1);
  });
});
