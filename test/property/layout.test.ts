import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLayout, validateLayout } from '../../src/mux/layout.js';
import { printClassicLayout } from '../../src/mux/layout-print.js';
import { joinCommandArguments } from '../../src/mux/script.js';
import { tmuxLayoutChecksum, withChecksum } from '../fixtures/layouts.js';
import { TestServer } from '../helpers/tmux-server.js';

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

interface Generated {
  readonly layout: string;
  /** The same layout in tmux 3.8's JSON form. */
  readonly json: string;
  readonly panes: number;
  readonly width: number;
  readonly height: number;
}

/** A valid layout: a tree, a window size it fits (plus `extra` cells of room), pane ids. */
function layoutArbitrary(maxDepth: number, maxChildren: number, room: (panes: number) => number) {
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
const mutationArbitrary = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'truncate'),
  /** A fraction of the length, so the position falls inside whatever string it is applied to. */
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  character: fc.constantFrom(...alphabet),
  recomputeChecksum: fc.boolean(),
});
type Mutation = typeof mutationArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

function mutate(layout: string, mutation: Mutation): string {
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

/** The layout without its checksum and pane ids: what tmux must reproduce in a window with other panes. */
const geometry = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

describe('the JSON layout form (property)', () => {
  it('reads every layout tree tmux 3.8 could write into the tree of the same layout in the classic form', () => {
    fc.assert(
      fc.property(
        layoutArbitrary(4, 4, () => 1),
        ({ layout, json: jsonLayout, panes }) => {
          const parsed = parseLayout(jsonLayout, panes);
          assert.ok(parsed.ok, `${jsonLayout}: ${parsed.ok ? '' : parsed.problem}`);
          assert.equal(printClassicLayout(parsed.root), layout);
          assert.equal(validateLayout(jsonLayout, panes + 1).ok, false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('layout validator (property)', () => {
  it('accepts every layout tree rendered as tmux writes it, for exactly its number of panes', () => {
    fc.assert(
      fc.property(
        layoutArbitrary(4, 4, () => 1),
        ({ layout, panes }) => {
          assert.deepEqual(validateLayout(layout, panes), { ok: true }, layout);
          assert.equal(validateLayout(layout, panes + 1).ok, false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a mutated or truncated layout, or finds it still valid, and never throws', () => {
    fc.assert(
      fc.property(
        layoutArbitrary(3, 3, () => 1),
        mutationArbitrary,
        ({ layout, panes }, mutation) => {
          const mutated = mutate(layout, mutation);
          const result = validateLayout(mutated, panes);
          if (result.ok) {
            // Whatever passes carries the checksum tmux computes, in the syntax tmux writes.
            assert.equal(mutated.slice(0, 5), `${tmuxLayoutChecksum(mutated.slice(5))},`);
            assert.match(mutated.slice(5), /^[0-9x,{}[\]]+$/);
            // A changed character under the old checksum never passes: tmux's checksum steps are
            // bijections, so one different byte always gives another sum.
            if (mutation.kind === 'replace' && !mutation.recomputeChecksum) assert.equal(mutated, layout);
          } else {
            assert.ok(result.problem.length > 0);
            // The problem may reach a terminal: no control or non-ASCII characters from the input.
            assert.match(result.problem, /^[\x20-\x7e]+$/);
          }
          if (mutation.kind === 'truncate' && !mutation.recomputeChecksum && mutated !== layout)
            assert.equal(result.ok, false, 'a truncated layout under the old checksum');
        },
      ),
      { numRuns: 1000 },
    );
  });
});

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
