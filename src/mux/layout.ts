import { plural } from '../human-text.js';
import { type LayoutCell, LayoutProblem, maximumCellSize, maximumPaneId, readNumber } from './layout-cell.js';
import { looksLikeJsonLayout, readJsonLayout } from './layout-json.js';

export type { LayoutCell } from './layout-cell.js';

/**
 * tmux's window layout strings (`#{window_layout}`, given back to `select-layout`), checked
 * strictly before one reaches tmux. tmux 3.3a's layout_parse (layout-custom.c) crashes the whole
 * server on some malformed strings: when sscanf finds no hexadecimal checksum it returns without
 * setting the error message, which cmd-select-layout prints and frees (`garbage-layout` or an
 * empty layout kill the server; tmux fixed it in 3.4). It also skips five characters whatever the
 * checksum's length, past the end of a short string (fixed in 3.7), and its sscanf wraps huge
 * numbers and sizes the window beyond tmux's maximum. So only what tmux itself writes passes:
 * layout_dump's exact syntax, its checksum, and cells whose sizes and offsets add up. Positions
 * in problems count the layout's characters from 1. tmux 3.8 prints the JSON form
 * (src/mux/layout-json.ts), read into the same tree and checked the same way.
 */

export type LayoutValidation = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** layout_dump writes into an 8192-byte buffer: tmux never writes a longer layout. */
const maximumBodyLength = 8191;

type Cell = LayoutCell;

export type LayoutParse =
  | { readonly ok: true; readonly root: LayoutCell }
  | { readonly ok: false; readonly problem: string };

/**
 * tmux's layout_checksum: a 16-bit rotate-and-add over the part after `CSUM,`. tmux adds each
 * byte as a (signed) char; the parser accepts ASCII only, where that makes no difference.
 */
export function layoutChecksum(body: string): number {
  let checksum = 0;
  for (let position = 0; position < body.length; position++) {
    checksum = (checksum >> 1) + ((checksum & 1) << 15);
    checksum = (checksum + body.charCodeAt(position)) & 0xffff;
  }
  return checksum;
}

/**
 * Checks a layout string for a window of `paneCount` panes. Pure; only a layout for which it
 * returns `ok: true` may be given to `select-layout`.
 */
export function validateLayout(layout: string, paneCount: number): LayoutValidation {
  const parsed = parseLayout(layout, paneCount);
  return parsed.ok ? { ok: true } : parsed;
}

/**
 * The cell tree of a layout string, with the same checks as `validateLayout` (a layout it
 * refuses has no tree), and the pane count when one is given. Pure; for drawing a saved window's
 * panes, and for a dialect that cannot take the string itself and rebuilds it with splits.
 */
export function parseLayout(layout: string, paneCount?: number): LayoutParse {
  try {
    const root = looksLikeJsonLayout(layout) ? readJsonLayout(layout) : readClassicLayout(layout);
    if (root.x !== 0 || root.y !== 0)
      throw new LayoutProblem(`the window's cell is at ${root.x},${root.y}, not at 0,0`);
    checkGeometry(root);
    const leaves = countLeaves(root);
    if (paneCount !== undefined && leaves !== paneCount)
      throw new LayoutProblem(`it has ${plural(leaves, 'pane')} but the window has ${paneCount}`);
    return { ok: true, root };
  } catch (error) {
    if (error instanceof LayoutProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

/** The cell tree of a classic layout (`CSUM,WxH,X,Y…`), checksum and syntax checked. */
function readClassicLayout(layout: string): Cell {
  const match = layout.match(/^([0-9a-f]{4}),/);
  if (!match) {
    throw new LayoutProblem(
      layout === ''
        ? 'the layout is empty'
        : 'it does not start with a 4-digit hexadecimal checksum and a comma',
    );
  }
  const body = layout.slice(5);
  if (body.length > maximumBodyLength)
    throw new LayoutProblem(`it is longer than tmux writes (${maximumBodyLength} characters)`);
  const unexpected = body.match(/[^0-9x,{}[\]]/u);
  if (unexpected) {
    throw new LayoutProblem(
      `character ${describeCharacter(unexpected[0])} at position ${6 + (unexpected.index ?? 0)} has no place in a layout`,
    );
  }
  const expected = layoutChecksum(body);
  const written = Number.parseInt(match[1]!, 16);
  if (written !== expected) {
    throw new LayoutProblem(
      `its checksum ${match[1]} does not match its contents (tmux computes ${hex4(expected)})`,
    );
  }
  const reader = new Reader(body, 6);
  const root = reader.cell();
  if (!reader.atEnd()) throw new LayoutProblem(`unexpected characters at position ${reader.position}`);
  return root;
}

/** A recursive-descent reader of layout_dump's grammar: `WxH,X,Y` then `,ID`, `{cells}` or `[cells]`. */
class Reader {
  readonly #text: string;
  /** Added to indexes in problems, so they count from 1 at the start of the whole layout. */
  readonly #offset: number;
  #index = 0;

  constructor(text: string, offset: number) {
    this.#text = text;
    this.#offset = offset;
  }

  get position(): number {
    return this.#offset + this.#index;
  }

  atEnd(): boolean {
    return this.#index === this.#text.length;
  }

  cell(): Cell {
    const position = this.position;
    const width = this.#number(maximumCellSize, 'width');
    this.#expect('x');
    const height = this.#number(maximumCellSize, 'height');
    this.#expect(',');
    const x = this.#number(maximumCellSize, 'x offset');
    this.#expect(',');
    const y = this.#number(maximumCellSize, 'y offset');
    if (width < 1 || height < 1)
      throw new LayoutProblem(`the cell at position ${position} is ${width}x${height}: too small for a pane`);
    const next = this.#text[this.#index];
    if (next === ',') {
      this.#index++;
      const paneId = this.#number(maximumPaneId, 'pane id');
      return { width, height, x, y, position, children: [], direction: undefined, paneId };
    }
    if (next === '{' || next === '[') {
      this.#index++;
      const close = next === '{' ? '}' : ']';
      const children = [this.cell()];
      while (this.#text[this.#index] === ',') {
        this.#index++;
        children.push(this.cell());
      }
      this.#expect(close);
      const direction = next === '{' ? 'left-right' : 'top-bottom';
      return { width, height, x, y, position, children, direction, paneId: undefined };
    }
    throw new LayoutProblem(
      next === undefined
        ? 'it ends in the middle of a cell'
        : `expected ",", "{" or "[" at position ${this.position}`,
    );
  }

  #expect(character: string): void {
    const found = this.#text[this.#index];
    if (found !== character) {
      throw new LayoutProblem(
        found === undefined
          ? `it ends where "${character}" was expected`
          : `expected "${character}" at position ${this.position}`,
      );
    }
    this.#index++;
  }

  /** A decimal number as tmux's %u writes it: no sign, no leading zero. */
  #number(maximum: number, what: string): number {
    const { value, next } = readNumber(this.#text, this.#index, this.#offset, maximum, what);
    this.#index = next;
    return value;
  }
}

/**
 * layout_check's rule, and stricter: the cells of `{…}` (left-right) have the container's height
 * and y, and follow each other from its x with one column of border between them, filling its
 * width exactly; likewise for `[…]` (top-bottom) with heights and y. A container holds at least
 * two cells: tmux never writes one with a single cell.
 */
function checkGeometry(cell: Cell): void {
  if (cell.direction === undefined) return;
  if (cell.children.length < 2)
    throw new LayoutProblem(`the container at position ${cell.position} holds only one cell`);
  const leftRight = cell.direction === 'left-right';
  let next = leftRight ? cell.x : cell.y;
  for (const child of cell.children) {
    const [along, across, size, crossSize] = leftRight
      ? [child.x, child.y, child.width, child.height]
      : [child.y, child.x, child.height, child.width];
    const [parentAcross, parentCrossSize] = leftRight ? [cell.y, cell.height] : [cell.x, cell.width];
    if (across !== parentAcross || crossSize !== parentCrossSize || along !== next) {
      throw new LayoutProblem(
        `the cell at position ${child.position} does not fit its container at position ${cell.position}`,
      );
    }
    next = along + size + 1;
    checkGeometry(child);
  }
  const end = (leftRight ? cell.x + cell.width : cell.y + cell.height) + 1;
  if (next !== end) {
    throw new LayoutProblem(
      `the cells of the container at position ${cell.position} do not add up to its ${leftRight ? 'width' : 'height'}`,
    );
  }
}

function countLeaves(cell: LayoutCell): number {
  return cell.direction === undefined
    ? 1
    : cell.children.reduce((total, child) => total + countLeaves(child), 0);
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/** A character from a hand-edited file, safe to print on a terminal. */
function describeCharacter(character: string): string {
  return /^[\x21-\x7e]$/.test(character)
    ? JSON.stringify(character)
    : `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
