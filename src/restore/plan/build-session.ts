import { parseLayout } from '../../mux/layout.js';
import { printClassicLayout } from '../../mux/layout-print.js';
import type { PaneSnapshot, SessionSnapshot, Snapshot, WindowSnapshot } from '../../snapshot/schema.js';
import type { PaneLaunch, WindowAddress } from '../actions.js';
import type { PlanContext, PlanOutput } from './plan-types.js';
import { placeWindows } from './window-placement.js';

/** Saved groups whose live member already exists: the sessions created for them join it. */
export function liveGroupCarriers(
  saved: Snapshot,
  liveSessions: ReadonlyMap<string, SessionSnapshot>,
  targetOf: (name: string) => string,
): Map<string, string> {
  const groupCarriers = new Map<string, string>();
  for (const session of liveSessions.values()) {
    const savedTwin = saved.sessions.find((candidate) => candidate.name === session.name);
    if (savedTwin?.group && session.group !== null)
      groupCarriers.set(savedTwin.group, targetOf(session.name));
  }
  return groupCarriers;
}

function firstPaneOf(window: WindowSnapshot): PaneSnapshot {
  return [...window.panes].sort((a, b) => a.index - b.index)[0]!;
}

function launchOf(context: PlanContext, pane: PaneSnapshot | undefined): { launch?: PaneLaunch } {
  const launch = pane ? context.environment.paneLaunch?.(pane) : undefined;
  return launch ? { launch } : {};
}

function cwdFor(
  context: PlanContext,
  session: SessionSnapshot,
  window: WindowSnapshot,
  pane: PaneSnapshot,
  output: PlanOutput,
): string {
  if (pane.cwd !== '' && context.environment.directoryExists(pane.cwd)) return pane.cwd;
  output.warnings.push(
    `pane ${JSON.stringify(session.name)}:${window.index}.${pane.index}: directory ${JSON.stringify(pane.cwd)} no longer exists; it starts in ${context.environment.home}`,
  );
  return context.environment.home;
}

/** The saved windows missing from a live session of the same name, each built where it fits. */
export function placeMissingWindows(
  context: PlanContext,
  session: SessionSnapshot,
  existing: SessionSnapshot,
  output: PlanOutput,
): void {
  for (const { window, index } of placeWindows(session, existing).placements) {
    const firstPane = firstPaneOf(window);
    output.actions.push({
      kind: 'create-window',
      address: { session: context.targetOf(session.name), windowIndex: index },
      windowName: window.name,
      cwd: cwdFor(context, session, window, firstPane, output),
      ...launchOf(context, firstPane),
    });
    buildWindow(context, session, window, index, output);
    if (index !== window.index)
      output.placedElsewhere.push({
        session: session.name,
        windowName: window.name,
        savedIndex: window.index,
        index,
      });
  }
}

/** A saved session that does not exist: a member joining its group's carrier, or built window by window. */
export function createSession(
  context: PlanContext,
  session: SessionSnapshot,
  groupCarriers: Map<string, string>,
  output: PlanOutput,
): void {
  const target = context.targetOf(session.name);
  const carrier = session.group === null ? undefined : groupCarriers.get(session.group);
  output.sessionsCreated.push(session.name);
  if (carrier) {
    output.actions.push({ kind: 'join-group', session: target, carrier });
    setBaseIndex(context, session, output);
    selectWindows(context, session, output);
    return;
  }
  if (session.group !== null) groupCarriers.set(session.group, target);

  const [firstWindow, ...otherWindows] = [...session.windows].sort((a, b) => a.index - b.index);
  if (!firstWindow) return;
  const firstPane = firstPaneOf(firstWindow);
  output.actions.push({
    kind: 'create-session',
    session: target,
    windowIndex: firstWindow.index,
    windowName: firstWindow.name,
    cwd: cwdFor(context, session, firstWindow, firstPane, output),
    initialWindowIndex: context.liveBaseIndex,
    width: firstWindow.width,
    height: firstWindow.height,
    ...launchOf(context, firstPane),
  });
  buildWindow(context, session, firstWindow, firstWindow.index, output);
  for (const window of otherWindows) {
    const firstPaneOfWindow = firstPaneOf(window);
    output.actions.push({
      kind: 'create-window',
      address: { session: target, windowIndex: window.index },
      windowName: window.name,
      cwd: cwdFor(context, session, window, firstPaneOfWindow, output),
      ...launchOf(context, firstPaneOfWindow),
    });
    buildWindow(context, session, window, window.index, output);
  }
  // new-session -x/-y leaves a session-local default-size behind; the session should follow the server's.
  output.actions.push({ kind: 'set-session-option', session: target, name: 'default-size', value: null });
  setBaseIndex(context, session, output);
  selectWindows(context, session, output);
}

function setBaseIndex(context: PlanContext, session: SessionSnapshot, output: PlanOutput): void {
  if (session.baseIndex === context.liveBaseIndex) return;
  output.actions.push({
    kind: 'set-session-option',
    session: context.targetOf(session.name),
    name: 'base-index',
    value: String(session.baseIndex),
  });
}

/** Panes, layout, titles, active pane and zoom of a window that was just created (at `index`). */
function buildWindow(
  context: PlanContext,
  session: SessionSnapshot,
  window: WindowSnapshot,
  index: number,
  output: PlanOutput,
): void {
  const { actions } = output;
  const address: WindowAddress = { session: context.targetOf(session.name), windowIndex: index };
  const panes = [...window.panes].sort((a, b) => a.index - b.index);
  if (window.paneBaseIndex !== context.livePaneBaseIndex) {
    actions.push({
      kind: 'set-window-option',
      address,
      name: 'pane-base-index',
      value: String(window.paneBaseIndex),
    });
  }
  if (window.automaticRename) {
    actions.push({ kind: 'set-window-option', address, name: 'automatic-rename', value: 'on' });
  }
  panes.slice(1).forEach((pane, position) => {
    actions.push({
      kind: 'split-pane',
      after: { ...address, paneIndex: window.paneBaseIndex + position },
      cwd: cwdFor(context, session, window, pane, output),
      ...launchOf(context, pane),
    });
  });
  panes.forEach((pane, position) => {
    output.panesCreated.push({ address: { ...address, paneIndex: window.paneBaseIndex + position }, pane });
  });
  // tmux 3.3a crashes the whole server on some malformed layouts: a layout it did not write is
  // never sent, and the panes keep the tiled arrangement the splits left. A valid one is sent in
  // the classic form, which every tmux accepts (3.8 saves JSON; 3.3a would crash on it).
  const layout = parseLayout(window.layout, panes.length);
  if (layout.ok) actions.push({ kind: 'set-layout', address, layout: printClassicLayout(layout.root) });
  else
    output.warnings.push(
      `window ${JSON.stringify(session.name)}:${window.index} (${JSON.stringify(window.name)}): the saved layout is not one tmux can use (${layout.problem}); ${panes.length === 1 ? 'its pane is restored' : `its ${panes.length} panes are restored tiled`}`,
    );
  panes.forEach((pane, position) => {
    actions.push({
      kind: 'set-pane-title',
      address: { ...address, paneIndex: window.paneBaseIndex + position },
      title: pane.title,
    });
  });
  const activePosition = Math.max(
    0,
    panes.findIndex((pane) => pane.active),
  );
  const activePane = { ...address, paneIndex: window.paneBaseIndex + activePosition };
  actions.push({ kind: 'select-pane', address: activePane });
  if (window.zoomed) actions.push({ kind: 'zoom-pane', address: activePane });
  output.windowsCreated += 1;
}

function selectWindows(context: PlanContext, session: SessionSnapshot, output: PlanOutput): void {
  const alternate = session.windows.find((window) => window.alternate);
  const active = session.windows.find((window) => window.active);
  for (const window of [alternate, active]) {
    if (window)
      output.actions.push({
        kind: 'select-window',
        address: { session: context.targetOf(session.name), windowIndex: window.index },
      });
  }
}
