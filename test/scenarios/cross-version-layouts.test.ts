import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startWithConfig } from '../support/live-server.js';
import { missingMatrixVersions, useMatrixVersion } from '../support/tmux-matrix.js';
import { TestServer } from '../support/tmux-server.js';

/**
 * A save made on one tmux restored on another: tmux 3.3a writes layouts in the classic form and
 * 3.8 in JSON. The binaries come from the version matrix's cache (scripts/tmux-matrix.sh);
 * without them the test is skipped, naming what is missing.
 */
const skip = await missingMatrixVersions(['3.3a', '3.8']);

/**
 * Each window's layout as geometry in the classic syntax, pane ids and checksum dropped. Written
 * here from either form (JSON.parse for 3.8's), not with the product's layout code.
 */
function geometry(layout: string): string {
  if (!layout.startsWith('{'))
    return layout.replace(/^[0-9a-f]{4},/, '').replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');
  type Node = { t: string; w: number; h: number; x: number; y: number; c?: Node[] };
  const cell = (node: Node): string => {
    const head = `${node.w}x${node.h},${node.x},${node.y}`;
    if (node.t === 'p') return head;
    const [open, close] = node.t === 'h' ? ['{', '}'] : ['[', ']'];
    return `${head}${open}${node.c!.map(cell).join(',')}${close}`;
  };
  return cell((JSON.parse(layout) as { L: Node }).L);
}

async function layouts(server: TestServer): Promise<string[]> {
  const output = await server.tmux(
    'list-windows',
    '-a',
    '-F',
    '#{session_name}:#{window_index} #{window_layout}',
  );
  return output
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('0:'))
    .map((line) => {
      const [window, layout] = line.split(' ');
      return `${window} ${geometry(layout!)}`;
    })
    .sort();
}

/** Two windows of uneven splits, nested both ways. */
async function buildWindows(server: TestServer): Promise<void> {
  await server.tmux('new-session', '-d', '-s', 'work', '-x', '160', '-y', '48');
  await server.tmux('split-window', '-h', '-t', '=work:0', '-l', '50');
  await server.tmux('split-window', '-v', '-t', '=work:0.1', '-l', '10');
  await server.tmux('split-window', '-h', '-t', '=work:0.0');
  await server.tmux('new-window', '-t', '=work:');
  await server.tmux('split-window', '-v', '-t', '=work:1', '-l', '7');
  await server.tmux('split-window', '-h', '-t', '=work:1.0', '-l', '33');
  await server.tmux('split-window', '-v', '-t', '=work:1.1');
}

describe('a save restored on a tmux that writes layouts in the other form', { skip }, () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  for (const [from, to] of [
    ['3.3a', '3.8'],
    ['3.8', '3.3a'],
  ] as const) {
    it(`restores a save made on tmux ${from} exactly on tmux ${to}`, async () => {
      useMatrixVersion(server, from);
      await startWithConfig(server, []);
      await buildWindows(server);
      const before = await layouts(server);
      assert.equal(before.length, 2);
      const saved = await server.cli('save');
      assert.equal(saved.stderr, '');
      assert.equal(saved.code, 0);
      await server.kill();

      useMatrixVersion(server, to);
      await startWithConfig(server, []);
      assert.match(
        await server.tmux('display-message', '-p', '#{version}'),
        new RegExp(`^${to.replace('.', '\\.')}`),
      );
      const restored = await server.cli('restore');
      assert.equal(restored.stderr, '');
      assert.equal(restored.code, 0);
      assert.deepEqual(await layouts(server), before);
      // And the server is whole: nothing differs from the save.
      const diff = await server.cli('diff');
      assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    });
  }
});
