import type { LayoutCell } from './layout.js';

/**
 * One `split-window` that rebuilds part of a layout. Panes are named by their position among the
 * layout's panes in layout order (0 = the first pane of the string, which is the window's first
 * pane and is never created by a split).
 */
export interface LayoutSplit {
  /** The pane to split (it keeps the left or top part). */
  readonly pane: number;
  /** The pane the split creates (it takes the right or bottom part). */
  readonly newPane: number;
  /** `horizontal` = side by side (`split-window -h`), `vertical` = one above the other (`-v`). */
  readonly direction: 'horizontal' | 'vertical';
  /** `split-window -p`: the new pane's share of the split pane's width or height, 1 to 99. */
  readonly percentage: number;
  /** The new pane's size in cells that the percentage stands for (`split-window -l`). */
  readonly cells: number;
  /** The width or height of the pane being split, when it is split. */
  readonly splitSize: number;
}

export interface LayoutSplitPlan {
  readonly splits: readonly LayoutSplit[];
  /**
   * The largest difference, in cells, between a pane edge the percentages produce (tmux's and
   * psmux's rule: the new pane gets floor(size × percentage / 100)) and the edge in the layout.
   */
  readonly largestError: number;
}

/**
 * Pure: the splits that rebuild `root` from one pane, for a multiplexer that refuses (or silently
 * mangles) a layout string. psmux's `select-layout` falls back to even-horizontal when it cannot
 * parse a string and reports nothing (see docs/psmux.md), so splitting is the one way whose
 * result can be predicted. Each container is split from its first cell onwards: the pane that
 * holds cells i..n splits off the pane that will hold cells i+1..n. Then every cell that is itself
 * a container is rebuilt inside its own pane the same way. Because a split puts the new pane right
 * after the split pane in the window's pane list, the panes end up in layout order.
 */
export function layoutSplits(root: LayoutCell): LayoutSplitPlan {
  const splits: LayoutSplit[] = [];
  let largestError = 0;
  const firstPaneOf = new Map<LayoutCell, number>();
  let counter = 0;
  const number = (cell: LayoutCell): void => {
    firstPaneOf.set(cell, counter);
    if (cell.direction === undefined) counter += 1;
    else for (const child of cell.children) number(child);
  };
  number(root);

  const build = (cell: LayoutCell): void => {
    if (cell.direction === undefined) return;
    const horizontal = cell.direction === 'left-right';
    const sizeOf = (child: LayoutCell): number => (horizontal ? child.width : child.height);
    const startOf = (child: LayoutCell): number => (horizontal ? child.x : child.y);
    const end = startOf(cell) + sizeOf(cell);
    let owner = firstPaneOf.get(cell)!;
    // Where the pane that holds the remaining cells starts: the split pane keeps what is before.
    let start = startOf(cell);
    for (const next of cell.children.slice(1)) {
      const splitSize = end - start;
      const wanted = end - startOf(next);
      const percentage = bestPercentage(splitSize, wanted);
      const cells = Math.floor((splitSize * percentage) / 100);
      largestError = Math.max(largestError, Math.abs(cells - wanted));
      const newPane = firstPaneOf.get(next)!;
      splits.push({
        pane: owner,
        newPane,
        direction: horizontal ? 'horizontal' : 'vertical',
        percentage,
        cells,
        splitSize,
      });
      owner = newPane;
      start = startOf(next);
    }
    for (const child of cell.children) build(child);
  };
  build(root);
  return { splits, largestError };
}

/** The percentage p in 1..99 for which floor(size × p / 100) comes closest to `wanted`. */
export function bestPercentage(size: number, wanted: number): number {
  let best = 1;
  let bestError = Number.POSITIVE_INFINITY;
  const estimate = Math.round((wanted * 100) / size);
  for (let candidate = Math.max(1, estimate - 2); candidate <= Math.min(99, estimate + 2); candidate++) {
    const error = Math.abs(Math.floor((size * candidate) / 100) - wanted);
    if (error < bestError) {
      best = candidate;
      bestError = error;
    }
  }
  return best;
}

/**
 * The `split-window` for one step, with the pane to split named by id (`%N`, known only once the
 * splits before it have run: each prints its new pane's id). `-p` rather than `-l`: psmux keeps a
 * split's sizes as whole percentages whatever it is given (docs/psmux.md), and tmux 3.3a still
 * takes `-p`.
 */
export function splitCommand(paneId: string, split: LayoutSplit, cwd?: string): string[] {
  return [
    'split-window',
    split.direction === 'horizontal' ? '-h' : '-v',
    '-d',
    '-p',
    String(split.percentage),
    '-t',
    paneId,
    ...(cwd === undefined ? [] : ['-c', cwd]),
    '-P',
    '-F',
    '#{pane_id}',
  ];
}
