import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { run, TestServer } from '../support/tmux-server.js';

/**
 * No tmux older than 3.1 can be had here (Debian's oldest reachable suite has 3.1c), so a stand-in
 * named `tmux` first on PATH answers `-V` with `tmux 3.0a` and hands every other call to the real
 * tmux, writing each call's arguments down: what reached the server is what half-worked.
 */
async function installOldTmux(server: TestServer): Promise<string> {
  const real = (await run('sh', ['-c', 'command -v tmux'], server.environment)).stdout.trim();
  assert.notEqual(real, '', 'tmux on PATH');
  const directory = join(server.root, 'old-tmux');
  const log = join(server.root, 'old-tmux.log');
  await mkdir(directory);
  const script = [
    '#!/bin/sh',
    `printf '%s\\n' "$*" >> '${log}'`,
    `if [ "$1" = -V ]; then echo 'tmux 3.0a'; exit 0; fi`,
    `exec '${real}' "$@"`,
    '',
  ].join('\n');
  await writeFile(join(directory, 'tmux'), script);
  await chmod(join(directory, 'tmux'), 0o755);
  server.environment.PATH = `${directory}${delimiter}${server.environment.PATH ?? ''}`;
  return log;
}

const tooOld = 'continuum: tmux 3.0a is too old: continuum needs tmux 3.1 or later';

describe('a tmux older than 3.1', () => {
  let server: TestServer;
  let log: string;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.newSession('work');
    log = await installOldTmux(server);
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('stops every command that talks to tmux with one line naming the version found and the one needed', async () => {
    for (const command of [
      ['save'],
      ['restore'],
      ['daemon', 'start'],
      ['hook', 'session-created'],
      ['doctor'],
    ]) {
      const result = await server.cli(...command);
      assert.equal(result.code, 3, `${command.join(' ')}: ${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${command.join(' ')}: ${result.stderr}`);
      assert.ok(lines[0]!.startsWith(tooOld), `${command.join(' ')}: ${result.stderr}`);
    }
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    // One -V per command, and nothing else reached the server: nothing half-worked.
    assert.deepEqual(
      calls.filter(
        (call) => !/^(-u )?-L \S+ (display-message [^-]|.*-f \/dev\/null)/.test(call) && call !== '-V',
      ),
      [],
    );
  });

  it('makes init install nothing and say why in a tmux message', async () => {
    const result = await server.cli('init');
    assert.equal(result.code, 3, result.stderr);
    assert.ok(result.stderr.startsWith(tooOld), result.stderr);
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    assert.deepEqual(
      calls.filter((call) => call !== '-V'),
      // -u: every client call prints UTF-8 whatever the locale (docs/tmux-versions.md).
      [`-u -L ${server.socketName} display-message ${tooOld}`],
    );
    const hooks = await server.tmux('show-hooks', '-g', 'session-created');
    assert.doesNotMatch(hooks, /continuum/);
    assert.doesNotMatch(await server.tmux('list-keys', '-T', 'prefix'), /continuum/);
  });
});
