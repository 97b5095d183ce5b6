import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RestoreAction } from '../../../src/restore/actions.js';
import { applyPlan, type SessionEnvironment } from '../../../src/restore/apply.js';
import { muxFor } from '../../support/live-server.js';
import { TestServer, waitFor } from '../../support/tmux-server.js';

/**
 * The shell integration's variables reach a restored session's first shell on every tmux: through
 * `new-session -e` from 3.2, and through the global environment around `new-session` before (tmux
 * 3.1 refuses -e with "unknown option -- e", and the whole session was missing).
 */
describe("a restored session's first pane environment", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.newSession('base');
  });
  afterEach(async () => {
    await server.dispose();
  });

  for (const mode of ['new-session-flag', 'global-around'] as const satisfies SessionEnvironment[]) {
    it(`reaches the shell and stays out of the global environment (${mode})`, async (context) => {
      const version = (await server.tmux('display-message', '-p', '#{version}')).trim();
      if (mode === 'new-session-flag' && /^3\.[01]/.test(version))
        return context.skip(`tmux ${version} has no new-session -e`);
      const action: RestoreAction = {
        kind: 'create-session',
        session: 'restored',
        windowIndex: 0,
        initialWindowIndex: 0,
        windowName: 'shell',
        cwd: server.home,
        width: 80,
        height: 24,
        launch: {
          description: 'the default shell',
          command: [],
          environment: { CONTINUUM_TEST_VALUE: "it's $HOME #{x}" },
        },
      };
      const result = await applyPlan(
        muxFor(server),
        [action],
        { name: 'tmux', version },
        { sessionEnvironment: mode },
      );
      assert.deepEqual(result.errors, []);
      await server.tmux(
        'send-keys',
        '-t',
        '=restored:0.0',
        'printf "<%s>\\n" "$CONTINUUM_TEST_VALUE"',
        'Enter',
      );
      let screen = '';
      await waitFor(
        async () => {
          screen = await server.tmux('capture-pane', '-p', '-t', '=restored:0.0');
          return screen.includes("<it's $HOME #{x}>");
        },
        10_000,
        `the variable in the pane (${screen})`,
      );
      const global = await server.tmuxResult('show-environment', '-g', 'CONTINUUM_TEST_VALUE');
      assert.notEqual(global.code, 0, global.stdout);
    });
  }
});
