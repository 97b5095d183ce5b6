/**
 * One cell of a window layout, whichever form tmux printed it in: a pane (no children,
 * `direction` undefined, `paneId` the number after `%` of the pane's id) or a container of two or
 * more cells side by side (`left-right`: tmux's `{…}`, or `"t":"h"` in 3.8's JSON) or stacked
 * (`top-bottom`: `[…]`, `"t":"v"`). Sizes and offsets are in character cells of the window.
 */
export interface LayoutCell {
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
  /** Where the cell starts in the string (counting from 1), to name it in a problem. */
  readonly position: number;
  readonly children: readonly LayoutCell[];
  readonly direction: 'left-right' | 'top-bottom' | undefined;
  readonly paneId: number | undefined;
}

/** Why a layout string was refused, in words for a warning. */
export class LayoutProblem extends Error {}

/** tmux's WINDOW_MAXIMUM: no window, and so no cell, is larger. */
export const maximumCellSize = 10_000;
/** Pane ids are tmux's u_int. */
export const maximumPaneId = 0xffff_ffff;

/**
 * Reads a decimal number as tmux's %u writes it (no sign, no leading zero) at `index` of `text`;
 * `offset` is added to positions in problems.
 */
export function readNumber(
  text: string,
  index: number,
  offset: number,
  maximum: number,
  what: string,
): { value: number; next: number } {
  let end = index;
  while (end < text.length && text[end]! >= '0' && text[end]! <= '9') end += 1;
  const digits = text.slice(index, end);
  if (digits === '') {
    throw new LayoutProblem(
      index >= text.length
        ? `it ends where a ${what} was expected`
        : `expected a ${what} at position ${offset + index}`,
    );
  }
  if (digits.length > 1 && digits.startsWith('0'))
    throw new LayoutProblem(`the ${what} at position ${offset + index} has a leading zero`);
  // Compared by length first: a long run of digits is no safe integer.
  if (digits.length > String(maximum).length || Number(digits) > maximum)
    throw new LayoutProblem(`the ${what} at position ${offset + index} is larger than ${maximum}`);
  return { value: Number(digits), next: end };
}
