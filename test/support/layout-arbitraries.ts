// Generated layouts for the layout properties: valid trees placed at a size as tmux places them,
// in both of tmux's forms, and mutations of their text.
import fc from 'fast-check';
import { withChecksum } from './layouts.js';

/** A layout tree without sizes: panes, and containers of two or more weighted cells. */
type Shape =
  | { readonly kind: 'pane' }
  | {
      readonly kind: 'left-right' | 'top-bottom';
      readonly children: readonly { readonly shape: Shape; readonly weight: number }[];
    };

function shapeArbitrary(maxDepth: number, maxChildren: number): fc.Arbitrary<Shape> {
  return fc.letrec<{ shape: Shape; container: Shape }>((tie) => ({
    shape: fc.oneof(
      { maxDepth, depthIdentifier: 'layout' },
      fc.constant<Shape>({ kind: 'pane' }),
      tie('container'),
    ),
    container: fc.record({
      kind: fc.constantFrom('left-right' as const, 'top-bottom' as const),
      children: fc.array(fc.record({ shape: tie('shape'), weight: fc.nat(6) }), {
        minLength: 2,
        maxLength: maxChildren,
        depthIdentifier: 'layout',
      }),
    }),
  })).shape;
}

const leaves = (shape: Shape): number =>
  shape.kind === 'pane' ? 1 : shape.children.reduce((total, child) => total + leaves(child.shape), 0);

/** The smallest size the tree fits in: one cell per pane, one cell of border between neighbours. */
function minimumSize(shape: Shape): { width: number; height: number } {
  if (shape.kind === 'pane') return { width: 1, height: 1 };
  const sizes = shape.children.map((child) => minimumSize(child.shape));
  const along = (size: { width: number; height: number }) =>
    shape.kind === 'left-right' ? size.width : size.height;
  const across = (size: { width: number; height: number }) =>
    shape.kind === 'left-right' ? size.height : size.width;
  const total = sizes.reduce((sum, size) => sum + along(size), 0) + sizes.length - 1;
  const widest = Math.max(...sizes.map(across));
  return shape.kind === 'left-right' ? { width: total, height: widest } : { width: widest, height: total };
}

/** A cell placed in the window: what both of tmux's forms write. */
interface Placed {
  readonly w: number;
  readonly h: number;
  readonly x: number;
  readonly y: number;
  readonly id?: number;
  readonly kind?: 'left-right' | 'top-bottom';
  readonly children?: readonly Placed[];
}

/** Places the tree at a size as tmux's layout_append does, numbering panes from `firstId`. */
function place(shape: Shape, width: number, height: number, firstId: number): Placed {
  let nextId = firstId;
  const cell = (node: Shape, w: number, h: number, x: number, y: number): Placed => {
    if (node.kind === 'pane') return { w, h, x, y, id: nextId++ };
    const leftRight = node.kind === 'left-right';
    const minimums = node.children.map((child) => minimumSize(child.shape));
    const size = leftRight ? w : h;
    const minimum = minimums.reduce((sum, m) => sum + (leftRight ? m.width : m.height), 0);
    let slack = size - minimum - (node.children.length - 1);
    const weights = node.children.map((child) => child.weight + 1);
    let weightLeft = weights.reduce((sum, weight) => sum + weight, 0);
    let offset = leftRight ? x : y;
    const children = node.children.map((child, position) => {
      const share =
        position === node.children.length - 1 ? slack : Math.floor((slack * weights[position]!) / weightLeft);
      slack -= share;
      weightLeft -= weights[position]!;
      const length = (leftRight ? minimums[position]!.width : minimums[position]!.height) + share;
      const placed = leftRight
        ? cell(child.shape, length, h, offset, y)
        : cell(child.shape, w, length, x, offset);
      offset += length + 1;
      return placed;
    });
    return { w, h, x, y, kind: node.kind, children };
  };
  return cell(shape, width, height, 0, 0);
}

/** The classic form, as layout_dump writes it. */
function classic(cell: Placed): string {
  const head = `${cell.w}x${cell.h},${cell.x},${cell.y}`;
  if (cell.children === undefined) return `${head},${cell.id}`;
  const [open, close] = cell.kind === 'left-right' ? ['{', '}'] : ['[', ']'];
  return `${head}${open}${cell.children.map(classic).join(',')}${close}`;
}

/** The JSON form, as tmux 3.8 writes it (the first pane active, the others with no flag). */
function json(root: Placed): string {
  let index = 0;
  const cell = (node: Placed): string => {
    const head = `"w":${node.w},"h":${node.h},"x":${node.x},"y":${node.y}`;
    if (node.children === undefined) {
      const flag = index === 0 ? ',"a":true' : '';
      return `{"t":"p",${head}${flag},"i":${index++},"I":"%${node.id}"}`;
    }
    return `{"t":"${node.kind === 'left-right' ? 'h' : 'v'}",${head},"c":[${node.children.map(cell).join(',')}]}`;
  };
  return `{"V":2,"L":${cell(root)}}`;
}

export interface Generated {
  readonly layout: string;
  /** The same layout in tmux 3.8's JSON form. */
  readonly json: string;
  readonly panes: number;
  readonly width: number;
  readonly height: number;
}

/** A valid layout: a tree, a window size it fits (plus `extra` cells of room), pane ids. */
export function layoutArbitrary(maxDepth: number, maxChildren: number, room: (panes: number) => number) {
  return fc
    .record({
      shape: shapeArbitrary(maxDepth, maxChildren),
      extraWidth: fc.nat(60),
      extraHeight: fc.nat(30),
      firstId: fc.nat(100_000),
    })
    .map(({ shape, extraWidth, extraHeight, firstId }): Generated => {
      const minimum = minimumSize(shape);
      const panes = leaves(shape);
      const width = Math.max(minimum.width, room(panes)) + extraWidth;
      const height = Math.max(minimum.height, room(panes)) + extraHeight;
      const placed = place(shape, width, height, firstId);
      return { layout: withChecksum(classic(placed)), json: json(placed), panes, width, height };
    });
}

const alphabet = [...'0123456789x,{}[]', '-', ' ', 'a', '\n', 'é'];
export const mutationArbitrary = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'truncate'),
  /** A fraction of the length, so the position falls inside whatever string it is applied to. */
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  character: fc.constantFrom(...alphabet),
  recomputeChecksum: fc.boolean(),
});
export type Mutation = typeof mutationArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

export function mutate(layout: string, mutation: Mutation): string {
  const text = mutation.recomputeChecksum ? layout.slice(5) : layout;
  const position = Math.floor(mutation.at * text.length);
  const changed =
    mutation.kind === 'delete'
      ? text.slice(0, position) + text.slice(position + 1)
      : mutation.kind === 'insert'
        ? text.slice(0, position) + mutation.character + text.slice(position)
        : mutation.kind === 'replace'
          ? text.slice(0, position) + mutation.character + text.slice(position + 1)
          : text.slice(0, position);
  return mutation.recomputeChecksum ? withChecksum(changed) : changed;
}
