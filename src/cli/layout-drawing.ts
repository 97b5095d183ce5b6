import type { LayoutCell } from '../mux/layout.js';
import { displayWidth, printable, truncateToWidth } from './printable-text.js';

/**
 * A window's layout drawn with box-drawing characters, so a user recognises a save at a glance.
 * Pure: lines of text in, lines of text out; the command prints them.
 */
export type LayoutDrawing =
  | { readonly drawn: true; readonly lines: readonly string[] }
  /** Even with one column per pane the panes side by side need more than the width given. */
  | { readonly drawn: false; readonly neededWidth: number };

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface Box {
  /** Border positions in the window's coordinates: the column before the pane and the one after it. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly label: string;
}

/**
 * Columns a box is widened to, past its share of the width, so its label can be read: tried in
 * turn until the drawing fits, down to one column per pane. Capped, so that a long program name
 * cannot make a small pane look like a large one.
 */
const labelMinimums = [12, 6, 3, 1] as const;

/**
 * Draws `root` (a parsed layout) at most `width` columns wide, one box per pane with
 * `labelFor(pane, position)` on its first line (cut with `…` when the box is narrower), and
 * at most `maxHeight` lines high when the panes stacked allow it.
 *
 * tmux's own coordinates put one border column between panes; adding a frame around the window
 * makes every pane a box whose edges sit at `x - 1` and `x + width`, so the window is
 * `width + 2` characters wide at full size. Both axes are scaled by the same factor (never
 * enlarged): tmux counts both in character cells, so the drawing keeps the window's shape, unless
 * that makes it higher than `maxHeight`.
 * Every pane keeps at least one column and one line inside its box, whatever its size.
 */
export function drawLayout(
  root: LayoutCell,
  labelFor: (pane: LayoutCell, position: number) => string,
  size: { readonly width: number; readonly maxHeight?: number },
): LayoutDrawing {
  const { width, maxHeight = Number.POSITIVE_INFINITY } = size;
  const boxes = leaves(root).map((pane, position) => ({
    left: pane.x - 1,
    right: pane.x + pane.width,
    top: pane.y - 1,
    bottom: pane.y + pane.height,
    label: printable(labelFor(pane, position)),
  }));
  let neededWidth = Number.POSITIVE_INFINITY;
  for (const labelMinimum of labelMinimums) {
    const minimumInside = (box: Box) => Math.max(1, Math.min(displayWidth(box.label), labelMinimum));
    // A minimum may push the drawing past the width: shrink the scale by the excess and try again.
    let target = width;
    for (let attempt = 0; attempt < 64; attempt++) {
      const scale = Math.min(1, Math.max(0, (target - 1) / (root.width + 1)));
      const columns = placeBorders(
        boxes.map((box) => ({ start: box.left, end: box.right, minimum: minimumInside(box) })),
        scale,
      );
      const drawingWidth = (columns.get(root.width) ?? 0) + 1;
      if (drawingWidth <= width) {
        // A tall window would take a screenful: its lines are squeezed to the height limit.
        const rowScale = Math.min(scale, Math.max(0, (maxHeight - 1) / (root.height + 1)));
        const rows = placeBorders(
          boxes.map((box) => ({ start: box.top, end: box.bottom, minimum: 1 })),
          rowScale,
        );
        return {
          drawn: true,
          lines: render(boxes, columns, rows, drawingWidth, (rows.get(root.height) ?? 0) + 1),
        };
      }
      neededWidth = Math.min(neededWidth, drawingWidth);
      if (scale === 0) break;
      target = Math.max(1, target - (drawingWidth - width));
    }
  }
  return { drawn: false, neededWidth };
}

/** The panes of a layout in tmux's order: the order `select-layout` gives cells to panes. */
export function leaves(cell: LayoutCell): LayoutCell[] {
  return cell.direction === undefined ? [cell] : cell.children.flatMap(leaves);
}

interface Span {
  readonly start: number;
  readonly end: number;
  /** Characters the box needs between its two borders. */
  readonly minimum: number;
}

/**
 * Where each border lands in the drawing. Every distinct border of the window is placed once, so
 * edges that line up in tmux line up in the drawing; positions never decrease from one border to
 * the next (nothing overlaps), and a box's far border moves out until its inside is wide enough.
 */
function placeBorders(spans: readonly Span[], scale: number): Map<number, number> {
  const borders = [...new Set(spans.flatMap((span) => [span.start, span.end]))].sort((a, b) => a - b);
  const placed = new Map<number, number>();
  let previous = 0;
  for (const border of borders) {
    let position = Math.max(previous, Math.round((border - (borders[0] ?? 0)) * scale));
    for (const span of spans) {
      if (span.end === border)
        position = Math.max(position, (placed.get(span.start) ?? 0) + span.minimum + 1);
    }
    placed.set(border, position);
    previous = position;
  }
  return placed;
}

interface Links {
  left: boolean;
  right: boolean;
  up: boolean;
  down: boolean;
}

function render(
  boxes: readonly Box[],
  columns: ReadonlyMap<number, number>,
  rows: ReadonlyMap<number, number>,
  width: number,
  height: number,
): string[] {
  const links: Links[][] = Array.from({ length: height }, () =>
    Array.from({ length: width }, () => ({ left: false, right: false, up: false, down: false })),
  );
  const cells: string[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const placedBoxes = boxes.map((box) => ({
    left: columns.get(box.left) ?? 0,
    right: columns.get(box.right) ?? 0,
    top: rows.get(box.top) ?? 0,
    bottom: rows.get(box.bottom) ?? 0,
    label: box.label,
  }));
  for (const box of placedBoxes) {
    for (const row of [box.top, box.bottom]) {
      for (let column = box.left; column < box.right; column++) {
        links[row]![column]!.right = true;
        links[row]![column + 1]!.left = true;
      }
    }
    for (const column of [box.left, box.right]) {
      for (let row = box.top; row < box.bottom; row++) {
        links[row]![column]!.down = true;
        links[row + 1]![column]!.up = true;
      }
    }
  }
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const character = junction(links[row]![column]!);
      if (character) cells[row]![column] = character;
    }
  }
  for (const box of placedBoxes) {
    const text = fitLabel(box.label, box.right - box.left - 1);
    let column = box.left + 1;
    for (const { segment } of graphemes.segment(text)) {
      const columnsTaken = displayWidth(segment);
      if (columnsTaken === 0) {
        // A combining mark belongs to the character before it; with none, it has nothing to mark.
        if (column > box.left + 1) cells[box.top + 1]![column - 1] += segment;
        continue;
      }
      cells[box.top + 1]![column] = segment;
      // The second column of a wide character is drawn by the terminal, not by us.
      for (let extra = 1; extra < columnsTaken; extra++) cells[box.top + 1]![column + extra] = '';
      column += columnsTaken;
    }
  }
  return cells.map((line) => line.join(''));
}

/**
 * The label cut to the inside of its box. In a box one or two columns wide an ellipsis would
 * leave no room for anything: there the label's start (the pane index) is shown uncut.
 */
function fitLabel(label: string, columns: number): string {
  if (columns > 2 || displayWidth(label) <= columns) return truncateToWidth(label, columns);
  let result = '';
  for (const { segment } of graphemes.segment(label)) {
    if (displayWidth(result + segment) > columns) break;
    result += segment;
  }
  return result;
}

/** The box-drawing character that joins the lines meeting at one point. */
function junction({ left, right, up, down }: Links): string | undefined {
  const horizontal = left || right;
  const vertical = up || down;
  if (horizontal && vertical) {
    if (left && right && up && down) return '┼';
    if (left && right) return up ? '┴' : '┬';
    if (up && down) return left ? '┤' : '├';
    if (right) return down ? '┌' : '└';
    return down ? '┐' : '┘';
  }
  if (horizontal) return '─';
  if (vertical) return '│';
  return undefined;
}
