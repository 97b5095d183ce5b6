import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Shell, shellCommand, skipReason, startWithShell } from '../support/shells.js';
import { TestServer, waitFor } from '../support/tmux-server.js';

/** Mounts a 16 KiB tmpfs at `path`, or says why it cannot (not root, no mount permitted here). */
function mountTinyFileSystem(path: string): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux tmpfs';
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'continuum-test', path], {
      stdio: 'pipe',
      timeout: 10_000,
    });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Writes zeros until the file system says it is full. */
async function fill(path: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const block = Buffer.alloc(4096);
    for (;;) await handle.write(block);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

describe('a full runtime file system', () => {
  let server: TestServer;
  let runtime: string;
  let mounted: string | undefined;
  let mountProblem: string | undefined;
  beforeEach(async () => {
    server = await TestServer.create();
    runtime = join(server.root, 'runtime');
    await mkdir(runtime, { mode: 0o700 });
    mountProblem = mountTinyFileSystem(runtime);
    mounted = mountProblem === undefined ? runtime : undefined;
    if (mountProblem) return;
    server.environment.XDG_RUNTIME_DIR = runtime;
    await mkdir(join(runtime, 'continuum', 'panes'), { recursive: true, mode: 0o700 });
    await fill(join(runtime, 'filler'));
  });
  afterEach(async () => {
    await server.kill();
    if (mounted) execFileSync('umount', [mounted], { stdio: 'pipe', timeout: 10_000 });
    await server.dispose();
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const satisfies readonly Shell[]) {
    it(`${shell} stays silent at every prompt`, { skip: skipReason(shell) }, async (context) => {
      if (!mounted) {
        context.skip(mountProblem);
        return;
      }
      await startWithShell(server, await shellCommand(server, shell));
      for (const word of ['one', 'two', 'three']) {
        await server.tmux('send-keys', '-t', '=work:0.0', '-l', `echo ${word}-4''2`);
        await server.tmux('send-keys', '-t', '=work:0.0', 'Enter');
      }
      let screen = '';
      await waitFor(
        async () => {
          screen = await server.tmux('capture-pane', '-p', '-J', '-t', '=work:0.0');
          // The prompt after the last command has been drawn.
          return /three-42\n\$ /.test(screen);
        },
        15_000,
        `${shell} to run three commands`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the pane shows:\n${screen}`);
      });
      assert.doesNotMatch(screen, /No space left|write:/, `what ${shell} printed`);
    });
  }
});
