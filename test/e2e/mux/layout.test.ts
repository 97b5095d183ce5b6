import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { validateLayout } from '../../../src/mux/layout.js';
import { joinCommandArguments } from '../../../src/mux/script.js';
import {
  type Generated,
  layoutArbitrary,
  mutate,
  mutationArbitrary,
} from '../../support/layout-arbitraries.js';
import { TestServer } from '../../support/tmux-server.js';

/** The layout without its checksum and pane ids: what tmux must reproduce in a window with other panes. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

describe('layout validator against tmux 3.3a (property)', () => {
  let server: TestServer;
  let sessionNumber = 0;
  before(async () => {
    server = await TestServer.create();
    await server.start('keep');
  });
  after(async () => {
    await server.dispose();
  });

  /**
   * Builds a window of that size and pane count as the restore does (split, relayout tiled), gives
   * it the layout, and returns the layout tmux then reports. A split needs room: `room` below
   * keeps every tiled pane at least three cells in each direction.
   */
  async function applyInTmux(generated: Generated, layout: string): Promise<string> {
    sessionNumber += 1;
    const session = `layout-${sessionNumber}`;
    const window = `=${session}:0`;
    const commands: string[][] = [
      ['new-session', '-d', '-s', session, '-x', String(generated.width), '-y', String(generated.height)],
    ];
    for (let pane = 1; pane < generated.panes; pane++) {
      commands.push(['split-window', '-d', '-t', window], ['select-layout', '-t', window, 'tiled']);
    }
    commands.push(
      ['select-layout', '-t', window, layout],
      ['display-message', '-p', '-t', window, '#{window_layout}'],
    );
    const result = await server.tmuxResult(...joinCommandArguments(commands));
    assert.ok(await server.isRunning(), `the tmux server died on ${layout}`);
    assert.equal(result.code, 0, `tmux refused ${layout}: ${result.stderr}`);
    await server.tmux('kill-session', '-t', `=${session}`);
    return result.stdout.trim();
  }

  const room = (panes: number) => 4 * Math.ceil(Math.sqrt(panes)) + 1;

  it('tmux accepts a sample of generated valid layouts and arranges the window exactly so', async () => {
    await fc.assert(
      fc.asyncProperty(layoutArbitrary(3, 3, room), async (generated) => {
        const applied = await applyInTmux(generated, generated.layout);
        assert.equal(geometry(applied), geometry(generated.layout));
      }),
      { numRuns: 25 },
    );
  });

  it('tmux accepts every mutated layout the validator lets through', async () => {
    let fed = 0;
    await fc.assert(
      fc.asyncProperty(
        layoutArbitrary(2, 3, room),
        mutationArbitrary.map((mutation) => ({ ...mutation, recomputeChecksum: true })),
        async (generated, mutation) => {
          const mutated = mutate(generated.layout, mutation);
          if (!validateLayout(mutated, generated.panes).ok) return;
          fed += 1;
          const applied = await applyInTmux(generated, mutated);
          assert.equal(geometry(applied), geometry(mutated));
        },
      ),
      { numRuns: 150 },
    );
    assert.ok(fed > 0, 'no mutated layout passed the validator: the property checked nothing');
  });
});
