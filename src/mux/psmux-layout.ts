import type { LayoutCell } from './layout.js';

/** The layouts psmux knows by name (compatibility.md, `select-layout`); anything else is a string. */
export const layoutPresets: ReadonlySet<string> = new Set([
  'even-horizontal',
  'even-vertical',
  'main-horizontal',
  'main-vertical',
  'tiled',
]);

/** Where a pane sits in its window, in cells. */
export interface PaneBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Pure: the boxes of a layout's panes, in layout order (psmux's and tmux's pane index order). */
export function layoutBoxes(root: LayoutCell): PaneBox[] {
  if (root.direction === undefined)
    return [{ left: root.x, top: root.y, width: root.width, height: root.height }];
  return root.children.flatMap(layoutBoxes);
}

/** The format that `parsePaneBoxes` reads: one pane a line, in pane index order. */
export const paneBoxFormat = '#{pane_id} #{pane_left} #{pane_top} #{pane_width} #{pane_height}';

/** Pure: `list-panes -F paneBoxFormat` output as pane ids and boxes. */
export function parsePaneBoxes(output: string): { readonly id: string; readonly box: PaneBox }[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', left, top, width, height] = line.trim().split(' ');
      return {
        id,
        box: { left: Number(left), top: Number(top), width: Number(width), height: Number(height) },
      };
    });
}

/**
 * Pure: the largest distance, in cells, between an edge of a pane as the layout wants it and as the
 * window holds it; Infinity when the number of panes differs. psmux keeps each split as a whole
 * percentage (docs/psmux.md, Layouts), so an exact layout string comes back up to a cell off: one
 * cell is "the same", more is a layout psmux did not apply.
 */
export function largestBoxDifference(wanted: readonly PaneBox[], actual: readonly PaneBox[]): number {
  if (wanted.length !== actual.length) return Number.POSITIVE_INFINITY;
  let largest = 0;
  for (const [position, box] of wanted.entries()) {
    const other = actual[position]!;
    for (const key of ['left', 'top', 'width', 'height'] as const)
      largest = Math.max(largest, Math.abs(box[key] - other[key]));
  }
  return largest;
}
