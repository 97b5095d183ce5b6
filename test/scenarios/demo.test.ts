import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../support/tmux-server.js';

/** The Quick start's first command runs this file (`npm run demo` builds it first, as `npm test` does). */
const demoPath = resolve(process.cwd(), 'dist-tools/demo.js');

describe('the demo of the Quick start', () => {
  it('saves, kills and restores its throwaway server exactly, and leaves no server behind', async () => {
    // Its own TMPDIR: the demo's fixed socket name then lives in this test's directory only. A
    // short name: under the suite's own TMPDIR a longer one left no room for a lease socket in
    // the demo's runtime or tmux directory, and continuum fell back to /tmp/continuum-UID.
    const root = await mkdtemp(join(tmpdir(), 'demo-'));
    try {
      const home = join(root, 'home');
      await mkdir(home);
      const environment: NodeJS.ProcessEnv = { ...process.env, TMPDIR: root, HOME: home };
      delete environment.TMUX;
      delete environment.TMUX_PANE;
      const result = await run(process.execPath, [demoPath], environment);
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(
        result.stdout,
        /^verdict: restored exactly \(3 sessions, 6 windows, 14 panes, 2 programs running again\)$/m,
      );
      const socket = join(root, `continuum-demo-tmux-${process.getuid?.() ?? 0}`);
      const left = await run('tmux', ['-S', join(socket, 'continuum-demo'), 'list-sessions'], environment);
      assert.notEqual(left.code, 0, 'the demo left its server running');
    } finally {
      await rm(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    }
  });
});
