/**
 * Where a window or pane is, by session name (exact match) and the saved indexes: restore's
 * actions and the programs typed into created panes both address panes this way.
 */
export interface WindowAddress {
  readonly session: string;
  readonly windowIndex: number;
}

export interface PaneAddress extends WindowAddress {
  readonly paneIndex: number;
}

export function describeWindow(address: WindowAddress): string {
  return `${JSON.stringify(address.session)}:${address.windowIndex}`;
}

export function describePane(address: PaneAddress): string {
  return `${describeWindow(address)}.${address.paneIndex}`;
}
