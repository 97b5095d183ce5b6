import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLayout } from '../../../src/mux/layout.js';
import { bestPercentage, layoutSplits, splitCommand } from '../../../src/mux/layout-splits.js';
import { withChecksum } from '../../support/layouts.js';

function tree(body: string) {
  const parsed = parseLayout(withChecksum(body));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
  return parsed.root;
}

describe('layoutSplits: a layout rebuilt with percentage splits', () => {
  it('a single pane needs no split', () => {
    assert.deepEqual(layoutSplits(tree('80x24,0,0,3')), { splits: [], largestError: 0 });
  });

  it('two panes side by side: the new right pane gets 39 of 80 columns', () => {
    // floor(80 × 49 / 100) = 39; the split pane keeps 80 − 39 − 1 = 40.
    assert.deepEqual(layoutSplits(tree('80x24,0,0{40x24,0,0,1,39x24,41,0,2}')), {
      splits: [{ pane: 0, newPane: 1, direction: 'horizontal', percentage: 49, cells: 39, splitSize: 80 }],
      largestError: 0,
    });
  });

  it('a top pane over two side by side: the outer split first, then inside the second cell', () => {
    // 24 rows: top 12, border, bottom 11 → floor(24 × 46 / 100) = 11.
    assert.deepEqual(layoutSplits(tree('80x24,0,0[80x12,0,0,1,80x11,0,13{40x11,0,13,2,39x11,41,13,3}]')), {
      splits: [
        { pane: 0, newPane: 1, direction: 'vertical', percentage: 46, cells: 11, splitSize: 24 },
        { pane: 1, newPane: 2, direction: 'horizontal', percentage: 49, cells: 39, splitSize: 80 },
      ],
      largestError: 0,
    });
  });

  it('three columns: each split takes what is left of the row', () => {
    // 100 columns: 30 | 30 | 38. First the new pane must hold 69 (30 + 1 + 38) of 100, then 38 of 69.
    const plan = layoutSplits(tree('100x20,0,0{30x20,0,0,1,30x20,31,0,2,38x20,62,0,3}'));
    assert.deepEqual(
      plan.splits.map(({ pane, newPane, cells, splitSize }) => ({ pane, newPane, cells, splitSize })),
      [
        { pane: 0, newPane: 1, cells: 69, splitSize: 100 },
        { pane: 1, newPane: 2, cells: 38, splitSize: 69 },
      ],
    );
    assert.deepEqual(
      plan.splits.map((split) => split.percentage),
      [69, 56],
    );
    assert.equal(plan.largestError, 0);
  });

  it('panes are numbered in layout order: the first pane of a nested cell before the next cell', () => {
    const plan = layoutSplits(tree('80x24,0,0{40x24,0,0[40x12,0,0,1,40x11,0,13,2],39x24,41,0,3}'));
    assert.deepEqual(
      plan.splits.map(({ pane, newPane, direction }) => [pane, newPane, direction]),
      [
        [0, 2, 'horizontal'],
        [0, 1, 'vertical'],
      ],
    );
  });

  it('a very wide window cannot be matched to the cell: the error is reported, not hidden', () => {
    // 1000 columns: one percent is 10 columns, so 333 can be reached only to within 3.
    const plan = layoutSplits(tree('1000x20,0,0{666x20,0,0,1,333x20,667,0,2}'));
    assert.equal(plan.splits[0]!.percentage, 33);
    assert.equal(plan.splits[0]!.cells, 330);
    assert.equal(plan.largestError, 3);
  });

  it('bestPercentage finds the percentage whose floor comes closest', () => {
    assert.equal(bestPercentage(80, 39), 49);
    assert.equal(bestPercentage(24, 11), 46);
    assert.equal(bestPercentage(3, 1), 34);
  });

  it('splitCommand names the pane by id and asks for the new id back', () => {
    const [split] = layoutSplits(tree('80x24,0,0{40x24,0,0,1,39x24,41,0,2}')).splits;
    assert.deepEqual(splitCommand('%5', split!, 'C:\\src'), [
      'split-window',
      '-h',
      '-d',
      '-p',
      '49',
      '-t',
      '%5',
      '-c',
      'C:\\src',
      '-P',
      '-F',
      '#{pane_id}',
    ]);
  });
});
