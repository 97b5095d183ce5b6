import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { attachControlClient, type ControlClient } from '../support/live-server.js';
import { TestServer } from '../support/tmux-server.js';

/** `@resurrect-overwrite on` (psmux-resurrect's option), on a real tmux server. */
describe('@resurrect-overwrite', () => {
  let server: TestServer;
  let client: ControlClient | undefined;
  beforeEach(async () => {
    server = await TestServer.create();
    // `keep` holds the server up whatever happens to the others, and is not in the save's way.
    await server.newSession('keep');
    await server.newSession('work');
    await server.tmux('rename-window', '-t', '=work:', 'saved');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    // The running `work` differs from the saved one now.
    await server.tmux('rename-window', '-t', '=work:', 'changed');
    await server.tmux('new-window', '-d', '-t', '=work:', '-n', 'extra');
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await server.dispose();
  });

  const windowsOf = async (session: string): Promise<string[]> =>
    (await server.tmux('list-windows', '-t', `=${session}:`, '-F', '#{window_name}'))
      .split('\n')
      .filter(Boolean);
  const sessionNames = async (): Promise<string[]> =>
    (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort();

  it('keeps the running session when the option is not set', async () => {
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await sessionNames(), ['keep', 'work']);
    assert.ok((await windowsOf('work')).includes('extra'));
  });

  it('replaces the running session with the saved one, and says so', async () => {
    await server.tmux('set-option', '-g', '@resurrect-overwrite', 'on');
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stdout,
      /replaced running session "work" with the saved one \(@resurrect-overwrite\)/,
    );
    assert.deepEqual(await sessionNames(), ['keep', 'work']);
    assert.deepEqual(await windowsOf('work'), ['saved']);
  });

  it('keeps, renamed, a running session a client is attached to, and says why', async () => {
    await server.tmux('set-option', '-g', '@resurrect-overwrite', 'on');
    client = await attachControlClient(server, '=work');
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stdout,
      /replaced running session "work" with the saved one \(@resurrect-overwrite\); the running one is kept as "work-1": a client is attached to it/,
    );
    assert.deepEqual(await sessionNames(), ['keep', 'work', 'work-1']);
    assert.deepEqual(await windowsOf('work'), ['saved']);
    assert.deepEqual((await windowsOf('work-1')).sort(), ['changed', 'extra']);
  });

  it('keeps, renamed, the running session the restore is typed into', async () => {
    await server.tmux('set-option', '-g', '@resurrect-overwrite', 'on');
    const socketPath = (await server.tmux('display-message', '-p', '#{socket_path}')).trim();
    const paneId = (await server.tmux('display-message', '-p', '-t', '=work:', '#{pane_id}')).trim();
    const restored = await server.cliRaw(['-L', server.socketName, 'restore'], {
      ...server.environment,
      TMUX: `${socketPath},1,0`,
      TMUX_PANE: paneId,
    });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /the running one is kept as "work-1": this restore runs in it/);
    assert.deepEqual(await sessionNames(), ['keep', 'work', 'work-1']);
    assert.deepEqual(await windowsOf('work'), ['saved']);
  });
});
