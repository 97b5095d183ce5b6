import { type LayoutCell, LayoutProblem, maximumCellSize, maximumPaneId, readNumber } from './layout-cell.js';

/**
 * tmux 3.8's JSON form of `#{window_layout}`, read as strictly as the classic form: exactly what
 * tmux writes, no whitespace, keys in its order. Seen on tmux 3.8 (Debian sid):
 *
 *   {"V":2,"L":{"t":"h","w":120,"h":40,"x":0,"y":0,"c":[
 *     {"t":"p","w":60,"h":40,"x":0,"y":0,"a":true,"i":0,"I":"%0"},
 *     {"t":"v",…,"c":[{"t":"p",…,"l":1,"i":1,"I":"%1"},…]}]}}
 *
 * `t` is `p` (pane), `h` (cells side by side) or `v` (stacked); a pane has `a` (the active pane)
 * or `l` (how recently it was active) or neither, then `i` (its index; tmux refuses duplicates) and
 * `I` (its id). There is no checksum. Anything else (another version `V`, floating panes, a key
 * tmux does not write) is refused, and falls back as any layout tmux cannot use does.
 */

/** A generous bound: tmux writes some 70 characters per pane and a window holds a few hundred. */
const maximumJsonLength = 65_536;

export function looksLikeJsonLayout(layout: string): boolean {
  return layout.startsWith('{');
}

/** The cell tree of a JSON layout, or a LayoutProblem. Geometry is checked by the caller. */
export function readJsonLayout(layout: string): LayoutCell {
  if (layout.length > maximumJsonLength)
    throw new LayoutProblem(`it is longer than tmux writes (${maximumJsonLength} characters)`);
  const reader = new JsonLayoutReader(layout);
  reader.expect('{"V":');
  const version = reader.number(9, 'version');
  if (version !== 2) throw new LayoutProblem(`it is a layout of JSON version ${version}, not 2`);
  reader.expect(',"L":');
  const root = reader.cell();
  reader.expect('}');
  if (!reader.atEnd()) throw new LayoutProblem(`unexpected characters at position ${reader.position}`);
  const indexes = new Set<number>();
  for (const index of reader.paneIndexes) {
    if (indexes.has(index)) throw new LayoutProblem(`pane index ${index} appears twice`);
    indexes.add(index);
  }
  return root;
}

class JsonLayoutReader {
  readonly #text: string;
  #index = 0;
  readonly paneIndexes: number[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  get position(): number {
    return this.#index + 1;
  }

  atEnd(): boolean {
    return this.#index === this.#text.length;
  }

  expect(literal: string): void {
    if (!this.#text.startsWith(literal, this.#index)) {
      throw new LayoutProblem(
        literal.startsWith(this.#text.slice(this.#index))
          ? `it ends where ${JSON.stringify(literal)} was expected`
          : `expected ${JSON.stringify(literal)} at position ${this.position}`,
      );
    }
    this.#index += literal.length;
  }

  number(maximum: number, what: string): number {
    const { value, next } = readNumber(this.#text, this.#index, 1, maximum, what);
    this.#index = next;
    return value;
  }

  cell(): LayoutCell {
    const position = this.position;
    this.expect('{"t":"');
    const type = this.#text[this.#index];
    if (type !== 'p' && type !== 'h' && type !== 'v')
      throw new LayoutProblem(`expected a cell type "p", "h" or "v" at position ${this.position}`);
    this.#index += 1;
    this.expect('","w":');
    const width = this.number(maximumCellSize, 'width');
    this.expect(',"h":');
    const height = this.number(maximumCellSize, 'height');
    this.expect(',"x":');
    const x = this.number(maximumCellSize, 'x offset');
    this.expect(',"y":');
    const y = this.number(maximumCellSize, 'y offset');
    if (width < 1 || height < 1)
      throw new LayoutProblem(`the cell at position ${position} is ${width}x${height}: too small for a pane`);
    if (type === 'p') {
      if (this.#text.startsWith(',"a":true', this.#index)) this.#index += ',"a":true'.length;
      else if (this.#text.startsWith(',"l":', this.#index)) {
        this.#index += ',"l":'.length;
        this.number(maximumPaneId, 'last-active order');
      }
      this.expect(',"i":');
      this.paneIndexes.push(this.number(maximumPaneId, 'pane index'));
      this.expect(',"I":"%');
      const paneId = this.number(maximumPaneId, 'pane id');
      this.expect('"}');
      return { width, height, x, y, position, children: [], direction: undefined, paneId };
    }
    this.expect(',"c":[');
    const children = [this.cell()];
    while (this.#text[this.#index] === ',') {
      this.#index += 1;
      children.push(this.cell());
    }
    this.expect(']}');
    const direction = type === 'h' ? 'left-right' : 'top-bottom';
    return { width, height, x, y, position, children, direction, paneId: undefined };
  }
}
