import type { LiveClient } from '../snapshot/capture.js';
import { validateLayout } from '../snapshot/layout.js';
import type { PaneSnapshot, SessionSnapshot, Snapshot, WindowSnapshot } from '../snapshot/schema.js';
import type { PaneAddress, PaneLaunch, RestoreAction, WindowAddress } from './actions.js';

/** The server as it is before the restore. */
export interface LiveState {
  readonly snapshot: Snapshot;
  readonly clients: readonly LiveClient[];
}

export interface PlanEnvironment {
  readonly directoryExists: (path: string) => boolean;
  readonly home: string;
  /** Name to park a fresh server's own session under while the restored ones are created. */
  readonly bootstrapParkingName: string;
  /** Prefix of the temporary names under which sessions whose names tmux cannot target are built. */
  readonly temporarySessionPrefix?: string;
  /** How a created pane starts instead of with the default shell (to show its saved contents). */
  readonly paneLaunch?: (pane: PaneSnapshot) => PaneLaunch | undefined;
}

export interface RestorePlan {
  readonly actions: readonly RestoreAction[];
  readonly warnings: readonly string[];
  readonly sessionsCreated: readonly string[];
  readonly windowsCreated: number;
  /** The fresh server's own session, replaced by the restored environment. */
  readonly replacedBootstrap: string | undefined;
  /** Every pane the plan creates with its address: the only panes programs may be typed into. */
  readonly panesCreated: readonly { readonly address: PaneAddress; readonly pane: PaneSnapshot }[];
  /** Renames that give temporarily named sessions their saved names; run after everything else, programs included. */
  readonly finalActions: readonly RestoreAction[];
}

/**
 * tmux reads a target that starts with `$` as a session id, even after `=`, and keeps `$` unescaped
 * in a stored name when a digit, a space or punctuation follows it: such a session cannot be
 * addressed by its name (`$1`, `$ x`).
 */
function nameIsTargetable(name: string): boolean {
  return !name.startsWith('$');
}

/**
 * A server that holds nothing but what `tmux` or `tmux new -d` made: one session, one window, one
 * pane with an idle shell. It is replaced by the restore, never left beside it (and never killed
 * when there is nothing to restore: the plan is only made from a valid, non-empty save).
 */
export function findBootstrapSession(live: Snapshot): SessionSnapshot | undefined {
  if (live.sessions.length !== 1) return undefined;
  const session = live.sessions[0]!;
  const window = session.windows.length === 1 ? session.windows[0]! : undefined;
  const pane = window?.panes.length === 1 ? window.panes[0]! : undefined;
  return pane && pane.program === null && session.group === null ? session : undefined;
}

/** A bootstrap session that the save would merely reproduce is kept, so a second restore changes nothing. */
function replaceableBootstrap(saved: Snapshot, live: Snapshot): SessionSnapshot | undefined {
  const bootstrap = findBootstrapSession(live);
  if (!bootstrap) return undefined;
  const twin = saved.sessions.find((session) => session.name === bootstrap.name);
  const reproduced =
    twin !== undefined &&
    twin.windows.length === 1 &&
    twin.windows[0]!.panes.length === 1 &&
    twin.windows[0]!.index === bootstrap.windows[0]!.index;
  return reproduced ? undefined : bootstrap;
}

/**
 * Pure: what to do to bring `saved` into the server described by `live`. Existing sessions only
 * get their missing windows and existing windows are left alone, so a second restore plans nothing.
 */
export function planRestore(saved: Snapshot, live: LiveState, environment: PlanEnvironment): RestorePlan {
  const actions: RestoreAction[] = [];
  const warnings: string[] = [];
  const sessionsCreated: string[] = [];
  const panesCreated: { address: PaneAddress; pane: PaneSnapshot }[] = [];
  let windowsCreated = 0;
  const launchOf = (pane: PaneSnapshot | undefined): { launch?: PaneLaunch } => {
    const launch = pane ? environment.paneLaunch?.(pane) : undefined;
    return launch ? { launch } : {};
  };

  const bootstrap = replaceableBootstrap(saved, live.snapshot);
  const liveSessions = new Map(live.snapshot.sessions.map((session) => [session.name, session]));
  const liveTarget = (session: SessionSnapshot): string =>
    nameIsTargetable(session.name) ? session.name : session.id;
  if (bootstrap) {
    liveSessions.delete(bootstrap.name);
    if (saved.sessions.some((session) => session.name === bootstrap.name)) {
      actions.push({
        kind: 'rename-session',
        from: liveTarget(bootstrap),
        to: environment.bootstrapParkingName,
      });
    }
  }
  const bootstrapTarget =
    bootstrap && saved.sessions.some((session) => session.name === bootstrap.name)
      ? environment.bootstrapParkingName
      : bootstrap && liveTarget(bootstrap);

  // Sessions are addressed by name, except where tmux cannot target the name: an existing one is
  // then addressed by its id, and a created one is built under a temporary name, renamed at the end.
  const targets = new Map<string, string>();
  const finalActions: RestoreAction[] = [];
  const targetOf = (name: string): string => targets.get(name) ?? name;
  for (const session of liveSessions.values()) {
    if (!nameIsTargetable(session.name)) targets.set(session.name, session.id);
  }
  for (const session of saved.sessions) {
    if (nameIsTargetable(session.name) || liveSessions.has(session.name)) continue;
    const temporary = `${environment.temporarySessionPrefix ?? 'continuum-restoring'}-${targets.size + 1}`;
    targets.set(session.name, temporary);
    finalActions.push({ kind: 'rename-session', from: temporary, to: session.name });
  }

  const liveBaseIndex = live.snapshot.sessions[0]?.baseIndex ?? 0;
  const livePaneBaseIndex = live.snapshot.sessions[0]?.windows[0]?.paneBaseIndex ?? 0;

  const cwdFor = (session: SessionSnapshot, window: WindowSnapshot, pane: PaneSnapshot): string => {
    if (pane.cwd !== '' && environment.directoryExists(pane.cwd)) return pane.cwd;
    warnings.push(
      `pane ${JSON.stringify(session.name)}:${window.index}.${pane.index}: directory ${JSON.stringify(pane.cwd)} no longer exists; it starts in ${environment.home}`,
    );
    return environment.home;
  };

  /** Panes, layout, titles, active pane and zoom of a window that was just created. */
  const buildWindow = (session: SessionSnapshot, window: WindowSnapshot): void => {
    const address: WindowAddress = { session: targetOf(session.name), windowIndex: window.index };
    const panes = [...window.panes].sort((a, b) => a.index - b.index);
    if (window.paneBaseIndex !== livePaneBaseIndex) {
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
        cwd: cwdFor(session, window, pane),
        ...launchOf(pane),
      });
    });
    panes.forEach((pane, position) => {
      panesCreated.push({ address: { ...address, paneIndex: window.paneBaseIndex + position }, pane });
    });
    // tmux 3.3a crashes the whole server on some malformed layouts: a layout it did not write is
    // never sent, and the panes keep the tiled arrangement the splits left.
    const layout = validateLayout(window.layout, panes.length);
    if (layout.ok) actions.push({ kind: 'set-layout', address, layout: window.layout });
    else
      warnings.push(
        `window ${JSON.stringify(session.name)}:${window.index} (${JSON.stringify(window.name)}): the saved layout is not one tmux can use (${layout.problem}); its ${panes.length} pane(s) are restored tiled`,
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
    windowsCreated += 1;
  };

  const selectWindows = (session: SessionSnapshot): void => {
    const alternate = session.windows.find((window) => window.alternate);
    const active = session.windows.find((window) => window.active);
    for (const window of [alternate, active]) {
      if (window)
        actions.push({
          kind: 'select-window',
          address: { session: targetOf(session.name), windowIndex: window.index },
        });
    }
  };

  const groupCarriers = new Map<string, string>();
  for (const session of liveSessions.values()) {
    const savedTwin = saved.sessions.find((candidate) => candidate.name === session.name);
    if (savedTwin?.group && session.group !== null)
      groupCarriers.set(savedTwin.group, targetOf(session.name));
  }

  for (const session of orderForCreation(saved)) {
    const sortedWindows = [...session.windows].sort((a, b) => a.index - b.index);
    const existing = liveSessions.get(session.name);
    if (existing) {
      const existingIndexes = new Set(existing.windows.map((window) => window.index));
      for (const window of sortedWindows) {
        if (existingIndexes.has(window.index)) continue;
        const firstPane = [...window.panes].sort((a, b) => a.index - b.index)[0]!;
        actions.push({
          kind: 'create-window',
          address: { session: targetOf(session.name), windowIndex: window.index },
          windowName: window.name,
          cwd: cwdFor(session, window, firstPane),
          ...launchOf(firstPane),
        });
        buildWindow(session, window);
      }
      continue;
    }

    const carrier = session.group === null ? undefined : groupCarriers.get(session.group);
    sessionsCreated.push(session.name);
    if (carrier) {
      actions.push({ kind: 'join-group', session: targetOf(session.name), carrier });
      if (session.baseIndex !== liveBaseIndex) {
        actions.push({
          kind: 'set-session-option',
          session: targetOf(session.name),
          name: 'base-index',
          value: String(session.baseIndex),
        });
      }
      selectWindows(session);
      continue;
    }
    if (session.group !== null) groupCarriers.set(session.group, targetOf(session.name));

    const [firstWindow, ...otherWindows] = sortedWindows;
    if (!firstWindow) continue;
    const firstPane = [...firstWindow.panes].sort((a, b) => a.index - b.index)[0]!;
    actions.push({
      kind: 'create-session',
      session: targetOf(session.name),
      windowIndex: firstWindow.index,
      windowName: firstWindow.name,
      cwd: cwdFor(session, firstWindow, firstPane),
      initialWindowIndex: liveBaseIndex,
      width: firstWindow.width,
      height: firstWindow.height,
      ...launchOf(firstPane),
    });
    buildWindow(session, firstWindow);
    for (const window of otherWindows) {
      const firstPaneOfWindow = [...window.panes].sort((a, b) => a.index - b.index)[0]!;
      actions.push({
        kind: 'create-window',
        address: { session: targetOf(session.name), windowIndex: window.index },
        windowName: window.name,
        cwd: cwdFor(session, window, firstPaneOfWindow),
        ...launchOf(firstPaneOfWindow),
      });
      buildWindow(session, window);
    }
    // new-session -x/-y leaves a session-local default-size behind; the session should follow the server's.
    actions.push({
      kind: 'set-session-option',
      session: targetOf(session.name),
      name: 'default-size',
      value: null,
    });
    if (session.baseIndex !== liveBaseIndex) {
      actions.push({
        kind: 'set-session-option',
        session: targetOf(session.name),
        name: 'base-index',
        value: String(session.baseIndex),
      });
    }
    selectWindows(session);
  }

  const clientTarget = [saved.activeSession, ...sessionsCreated].find(
    (name): name is string =>
      name !== null && name !== undefined && saved.sessions.some((s) => s.name === name),
  );
  if (sessionsCreated.length > 0 && clientTarget) {
    const clients = [...live.clients].sort((a, b) => b.activity - a.activity);
    const mostRecent = clients[0];
    for (const client of clients) {
      if (client === mostRecent) {
        const alternate = saved.alternateSession;
        if (alternate && alternate !== clientTarget && saved.sessions.some((s) => s.name === alternate)) {
          actions.push({ kind: 'switch-client', client: client.name, session: targetOf(alternate) });
        }
        actions.push({ kind: 'switch-client', client: client.name, session: targetOf(clientTarget) });
      } else if (bootstrap && client.session === bootstrap.name) {
        actions.push({ kind: 'switch-client', client: client.name, session: targetOf(clientTarget) });
      }
    }
  }
  if (bootstrapTarget && sessionsCreated.length > 0)
    actions.push({ kind: 'kill-session', session: bootstrapTarget });

  return {
    actions,
    warnings,
    sessionsCreated,
    windowsCreated,
    replacedBootstrap: bootstrap?.name,
    panesCreated,
    finalActions,
  };
}

/**
 * tmux attaches a new client to the session created last (cmd_find_best_session compares
 * activity times), so the saved active session comes last and the alternate just before it.
 * Within a group, the first member created carries the windows and the others join it.
 */
export function orderForCreation(snapshot: Snapshot): SessionSnapshot[] {
  const rank = (session: SessionSnapshot): number =>
    session.name === snapshot.activeSession ? 2 : session.name === snapshot.alternateSession ? 1 : 0;
  return [...snapshot.sessions].sort((a, b) => rank(a) - rank(b));
}
