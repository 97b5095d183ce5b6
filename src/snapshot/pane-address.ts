import type { PaneAddress, WindowAddress } from '../mux/actions.js';

/** Where a window or pane is (src/mux/actions.ts): the restore's and the programs' addresses. */
export type { PaneAddress, WindowAddress } from '../mux/actions.js';

export function describeWindow(address: WindowAddress): string {
  return `${JSON.stringify(address.session)}:${address.windowIndex}`;
}

export function describePane(address: PaneAddress): string {
  return `${describeWindow(address)}.${address.paneIndex}`;
}
