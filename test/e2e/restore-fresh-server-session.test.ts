import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { listIds, startWithConfig } from '../support/live-server.js';
import { TestServer, waitFor } from '../support/tmux-server.js';

const sessionNames = async (server: TestServer): Promise<string[]> =>
  (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort();

/**
 * A save made in an earlier server lifetime: a session `0` in another directory than a fresh
 * server's `0` (HOME), beside `work` and `notes`, as after a day's work before a reboot.
 */
async function saveEarlierLifetime(server: TestServer, zeroWindows = 1): Promise<string> {
  const elsewhere = join(server.home, 'elsewhere');
  await mkdir(elsewhere, { recursive: true });
  await server.newSession('0', { cwd: elsewhere });
  for (let index = 1; index < zeroWindows; index += 1)
    await server.tmux('new-window', '-d', '-t', `=0:${index}`, '-c', elsewhere);
  await server.newSession('work');
  await server.newSession('notes');
  const saved = await server.cli('save');
  assert.equal(saved.code, 0, saved.stderr);
  await server.kill();
  return elsewhere;
}

/** Waits until the pane's shell has drawn its prompt (the cursor moved right of column 0). */
async function waitForPrompt(server: TestServer, target: string): Promise<void> {
  await waitFor(
    async () => Number((await server.tmux('display-message', '-p', '-t', target, '#{cursor_x}')).trim()) > 0,
    10_000,
    `the first prompt in ${target}`,
  );
}

describe('the first session of a fresh server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('gives way to its saved namesake in another directory; exactly the saved sessions remain (issue 19)', async () => {
    const elsewhere = await saveEarlierLifetime(server);
    await startWithConfig(server, []);
    await waitForPrompt(server, '=0:');
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await sessionNames(server), ['0', 'notes', 'work']);
    assert.equal(
      (await server.tmux('display-message', '-p', '-t', '=0:', '#{pane_current_path}')).trim(),
      elsewhere,
    );
    const before = await listIds(server);
    const again = await server.cli('restore');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to restore/);
    assert.equal(await listIds(server), before, 'the second restore changed nothing');
  });

  for (const shell of ['/usr/bin/zsh', '/usr/bin/fish', '/usr/bin/bash']) {
    const name = shell.split('/').at(-1)!;
    it(`counts as untouched under ${name} as default-shell, and is kept once a command ran in it`, async () => {
      // Two windows in the saved `0`: the save does not merely reproduce the fresh `0`, so only
      // the untouched rule decides (before, bash's `0` was replaced and zsh's and fish's kept).
      const elsewhere = await saveEarlierLifetime(server, 2);
      // zsh: PROMPT_SP (on by default) scrolls a blank row off at the first prompt; fish greets.
      await startWithConfig(server, [`set -g default-shell ${shell}`]);
      await waitForPrompt(server, '=0:');
      // What the old rule (history_size 0, cursor_y below 2) took for a used session.
      const [history, row] = (
        await server.tmux('display-message', '-p', '-t', '=0:', '#{history_size} #{cursor_y}')
      )
        .trim()
        .split(' ')
        .map(Number);
      if (name === 'zsh') assert.equal(history, 1, 'PROMPT_SP scrolled a blank row off');
      if (name === 'fish') assert.ok((row ?? 0) >= 2, 'the greeting is above the prompt');
      const restored = await server.cli('restore');
      assert.equal(restored.code, 0, restored.stderr);
      assert.deepEqual(await sessionNames(server), ['0', 'notes', 'work'], restored.stdout);
      // The fresh server's own `0` ($0, in HOME) is gone; the saved one is there.
      assert.deepEqual(
        (
          await server.tmux('display-message', '-p', '-t', '=0:', '#{session_id} #{pane_current_path}')
        ).trim(),
        `${(await server.tmux('display-message', '-p', '-t', '=0:', '#{session_id}')).trim()} ${elsewhere}`,
      );
      assert.notEqual(
        (await server.tmux('display-message', '-p', '-t', '=0:', '#{session_id}')).trim(),
        '$0',
      );

      // Used: a command typed into the fresh server's session keeps it: never killed or replaced.
      await server.kill();
      await startWithConfig(server, [`set -g default-shell ${shell}`]);
      await waitForPrompt(server, '=0:');
      await server.tmux('send-keys', '-t', '=0:', '-l', 'echo used-23');
      await server.tmux('send-keys', '-t', '=0:', 'Enter');
      await waitFor(
        async () => /^used-23$/m.test(await server.tmux('capture-pane', '-p', '-t', '=0:')),
        10_000,
        'the command output',
      );
      await waitFor(
        async () => {
          const [y, x] = (await server.tmux('display-message', '-p', '-t', '=0:', '#{cursor_y} #{cursor_x}'))
            .trim()
            .split(' ')
            .map(Number);
          return (y ?? 0) >= 1 && (x ?? 0) > 0;
        },
        10_000,
        'the next prompt',
      );
      const kept = await server.cli('restore');
      assert.equal(kept.code, 0, kept.stderr);
      assert.doesNotMatch(kept.stdout, /replaced/);
      const names = await sessionNames(server);
      const keptName = names.includes('0-1') ? '0-1' : '0';
      assert.deepEqual(
        names.filter((name) => name !== '0-1'),
        ['0', 'notes', 'work'],
        kept.stdout,
      );
      assert.match(await server.tmux('capture-pane', '-p', '-t', `=${keptName}:`), /^used-23$/m);
      assert.equal(
        (await server.tmux('display-message', '-p', '-t', `=${keptName}:`, '#{session_id}')).trim(),
        '$0',
      );
    });
  }

  it('is left alone by `restore --session`, which touches only the sessions it restores', async () => {
    await saveEarlierLifetime(server);
    await startWithConfig(server, []);
    await waitForPrompt(server, '=0:');
    const firstId = (await server.tmux('display-message', '-p', '-t', '=0:', '#{session_id}')).trim();
    const restored = await server.cli('restore', '--session', 'work');
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await sessionNames(server), ['0', 'work']);
    assert.equal((await server.tmux('display-message', '-p', '-t', '=0:', '#{session_id}')).trim(), firstId);
    // A whole restore a moment later: `work`, restored and idle, is no fresh server's own session.
    await server.tmux('kill-session', '-t', '=0');
    const whole = await server.cli('restore');
    assert.equal(whole.code, 0, whole.stderr);
    assert.deepEqual(await sessionNames(server), ['0', 'notes', 'work']);
    assert.doesNotMatch(whole.stdout, /replaced/);
  });
});
