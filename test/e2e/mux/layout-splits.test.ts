import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseLayout } from '../../../src/mux/layout.js';
import { layoutSplits, splitCommand } from '../../../src/mux/layout-splits.js';
import { TestServer } from '../../support/tmux-server.js';

interface PaneBox {
  readonly index: number;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The panes of a window as tmux itself reports them, in pane index order. */
async function boxes(server: TestServer, window: string): Promise<PaneBox[]> {
  const output = await server.tmux(
    'list-panes',
    '-t',
    window,
    '-F',
    '#{pane_index} #{pane_left} #{pane_top} #{pane_width} #{pane_height}',
  );
  return output
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map(Number))
    .map(([index, left, top, width, height]) => ({
      index: index!,
      left: left!,
      top: top!,
      width: width!,
      height: height!,
    }))
    .sort((a, b) => a.index - b.index);
}

/**
 * The fallback psmux needs when it will not take a layout string: the window is rebuilt from one
 * pane with `split-window -p`, and every pane must land within one cell of where it was. tmux
 * stands in for psmux here: both give the new pane floor(size × percentage / 100).
 */
describe('layout fallback: percentage splits reproduce a window within one cell', () => {
  let server: TestServer;
  before(async () => {
    server = await TestServer.create();
    await server.start();
  });
  after(async () => {
    await server.dispose();
  });

  const cases: { name: string; width: number; height: number; build: string[][] }[] = [
    {
      name: 'two columns',
      width: 120,
      height: 40,
      build: [['split-window', '-h', '-l', '37', '-t', '{w}.0']],
    },
    {
      name: 'editor with a terminal under it and a side column',
      width: 160,
      height: 48,
      build: [
        ['split-window', '-h', '-l', '50', '-t', '{w}.0'],
        ['split-window', '-v', '-l', '12', '-t', '{w}.0'],
        ['split-window', '-v', '-t', '{w}.2'],
        ['split-window', '-h', '-l', '20', '-t', '{w}.1'],
      ],
    },
    {
      name: 'four stacked rows of uneven height',
      width: 100,
      height: 60,
      build: [
        ['split-window', '-v', '-l', '40', '-t', '{w}.0'],
        ['split-window', '-v', '-l', '9', '-t', '{w}.1'],
        ['split-window', '-v', '-l', '3', '-t', '{w}.2'],
      ],
    },
    {
      name: 'a small window with nested splits both ways',
      width: 80,
      height: 24,
      build: [
        ['split-window', '-v', '-t', '{w}.0'],
        ['split-window', '-h', '-l', '25', '-t', '{w}.0'],
        ['split-window', '-h', '-t', '{w}.2'],
        ['split-window', '-v', '-t', '{w}.3'],
      ],
    },
  ];

  for (const [position, example] of cases.entries()) {
    it(example.name, async () => {
      const original = `original${position}`;
      const rebuilt = `rebuilt${position}`;
      for (const name of [original, rebuilt])
        await server.tmux(
          'new-session',
          '-d',
          '-s',
          name,
          '-x',
          String(example.width),
          '-y',
          String(example.height),
        );
      for (const command of example.build)
        await server.tmux(...command.map((argument) => argument.replace('{w}', `=${original}:0`)));
      const layout = (
        await server.tmux('display-message', '-p', '-t', `=${original}:0`, '#{window_layout}')
      ).trim();
      const parsed = parseLayout(layout);
      assert.ok(parsed.ok, `tmux wrote a layout continuum cannot parse: ${layout}`);

      const plan = layoutSplits(parsed.root);
      assert.ok(plan.largestError <= 1, `largest error ${plan.largestError}`);
      const paneIds = [
        (await server.tmux('display-message', '-p', '-t', `=${rebuilt}:0.0`, '#{pane_id}')).trim(),
      ];
      for (const split of plan.splits) {
        const output = await server.tmux(...splitCommand(paneIds[split.pane]!, split));
        paneIds[split.newPane] = output.trim();
      }

      const expected = await boxes(server, `=${original}:0`);
      const actual = await boxes(server, `=${rebuilt}:0`);
      assert.equal(actual.length, expected.length);
      for (const [index, box] of expected.entries()) {
        const other = actual[index]!;
        for (const key of ['left', 'top', 'width', 'height'] as const)
          assert.ok(
            Math.abs(other[key] - box[key]) <= 1,
            `pane ${box.index} ${key}: ${other[key]} instead of ${box[key]} (layout ${layout})`,
          );
      }
      // The splits name every pane in layout order, and tmux numbers them the same way.
      assert.deepEqual(
        (await server.tmux('list-panes', '-t', `=${rebuilt}:0`, '-F', '#{pane_id}')).trim().split('\n'),
        paneIds,
      );
    });
  }
});
