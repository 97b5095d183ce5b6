import { layoutChecksum } from './layout.js';
import type { LayoutCell } from './layout-cell.js';

/**
 * A layout tree in tmux's classic form (`CSUM,WxH,X,Y{…}`), the one every tmux from 1.8 to 3.8
 * accepts in `select-layout` (3.8 prints JSON but takes both; 3.3a crashes on a string without a
 * checksum, so JSON must never reach it). Pane ids are written as the tree holds them; tmux gives
 * the cells to the window's panes in order and ignores them.
 */
export function printClassicLayout(root: LayoutCell): string {
  const body = classicBody(root);
  return `${layoutChecksum(body).toString(16).padStart(4, '0')},${body}`;
}

/**
 * The geometry alone (`WxH,X,Y{…}` without checksum and pane ids), whichever form the layout
 * came in: two layouts with equal geometry are the same arrangement.
 */
export function classicGeometry(root: LayoutCell): string {
  return classicBody(root, false);
}

function classicBody(cell: LayoutCell, withPaneIds = true): string {
  const head = `${cell.width}x${cell.height},${cell.x},${cell.y}`;
  if (cell.direction === undefined) return withPaneIds ? `${head},${cell.paneId ?? 0}` : head;
  const [open, close] = cell.direction === 'left-right' ? ['{', '}'] : ['[', ']'];
  return `${head}${open}${cell.children.map((child) => classicBody(child, withPaneIds)).join(',')}${close}`;
}
