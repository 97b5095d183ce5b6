import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestServer, waitFor } from '../support/tmux-server.js';

/** `@resurrect-strategy-<program>` values other than vim's and nvim's `session`, on a real tmux server. */
describe('@resurrect-strategy-<program> with a strategy continuum does not run', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.newSession('keep');
    await server.tmux('new-session', '-d', '-s', 'work', '-x', '80', '-y', '24', 'tail', '-f', '/dev/null');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    await server.tmux('kill-session', '-t', '=work');
  });
  afterEach(async () => {
    await server.dispose();
  });

  const strategyWarning =
    /@resurrect-strategy-tail is "follow": continuum runs no strategy scripts, so tail starts from its saved command line; set @continuum-strategy-tail/;

  it('says the strategy is not run, and starts the program from its saved command line', async () => {
    await server.tmux('set-option', '-g', '@resurrect-strategy-tail', 'follow');
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout + restored.stderr, strategyWarning);
    await waitFor(
      async () =>
        (await server.tmux('display-message', '-p', '-t', '=work:', '#{pane_current_command}')).trim() ===
        'tail',
      5000,
      'tail to run in the restored pane',
    );
  });

  it('says nothing when @continuum-strategy-tail tells how to start it', async () => {
    await server.tmux('set-option', '-g', '@resurrect-strategy-tail', 'follow');
    await server.tmux('set-option', '-g', '@continuum-strategy-tail', 'tail *');
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.doesNotMatch(restored.stdout + restored.stderr, /@resurrect-strategy-tail/);
  });
});
