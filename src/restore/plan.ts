import { parseLayout } from '../mux/layout.js';
import { printClassicLayout } from '../mux/layout-print.js';
import { freshServerSeconds } from '../server/freshness.js';
import type { LiveClient } from '../snapshot/capture.js';
import type { PaneSnapshot, SessionSnapshot, Snapshot, WindowSnapshot } from '../snapshot/schema.js';
import type { PaneAddress, PaneLaunch, RestoreAction, WindowAddress } from './actions.js';

/** The server as it is before the restore. */
export interface LiveState {
  readonly snapshot: Snapshot;
  readonly clients: readonly LiveClient[];
  /** What shows whether the server's lone session is untouched; without it, it is never replaced. */
  readonly firstSession?: FirstSessionFacts;
  /**
   * The global `base-index` and `pane-base-index`: what a new session and a new window get. A
   * live session's own value may be session- or window-local; when absent, the first session's.
   */
  readonly globalIndexes?: { readonly baseIndex: number; readonly paneBaseIndex: number };
}

/** About the only pane of the server's only session (see {@link findBootstrapSession}). */
export interface FirstSessionFacts {
  /** Seconds since the server started (`start_time`). */
  readonly serverAge: number;
  /** Seconds since the session was created (`session_created`). */
  readonly sessionAge: number;
  /**
   * The session is the first the server made (`$0`): tmux numbers sessions per server from 0, so a
   * session restored or made later, however idle, is never taken for the server's own.
   */
  readonly firstOfServer: boolean;
  /** The lines scrolled off the screen (`capture-pane -S -` above the screen). */
  readonly scrollback: readonly string[];
  /** The screen's rows above the cursor's. */
  readonly screenAbove: readonly string[];
  /** The cursor's row up to the cursor: the prompt (and anything typed after it). */
  readonly prompt: string;
  /** The shell has a child in a process group of its own (a job), or that could not be checked. */
  readonly runsJobs: boolean;
}

/** A saved window restored at another index, because a different window holds its saved one. */
export interface PlacedWindow {
  readonly session: string;
  readonly windowName: string;
  readonly savedIndex: number;
  readonly index: number;
}

/** A live session renamed out of the way so that the saved session of its name comes back exactly. */
export interface MovedSession {
  readonly from: string;
  readonly to: string;
}

/**
 * `@resurrect-overwrite on`: a live session of a saved name, renamed aside so that the saved one
 * is built under its name. Removed once that exists, unless `kept` says why not.
 */
export interface OverwrittenSession {
  readonly name: string;
  readonly parkedAs: string;
  /** Left running under `parkedAs`: a client is attached to it, or the restore runs in it. */
  readonly kept: 'attached' | 'own' | undefined;
}

/** The fresh server's own session, killed only once the restored sessions are known to exist. */
export interface BootstrapRemoval {
  /** Its name (or id) when the restore is done. */
  readonly session: string;
  /** Sessions that must exist before it is killed (names as tmux lists them). */
  readonly requiredSessions: readonly string[];
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
  /**
   * Only some of the save's sessions (`restore --session`): no other session is replaced and no
   * client is switched; the restored sessions are there to attach or switch to.
   */
  readonly partial?: boolean;
  /** `@resurrect-overwrite on`: a live session of a saved name gives way to the saved one. */
  readonly overwrite?: boolean;
  /** The session the restore runs in (typed into one of its panes): replaced but never removed. */
  readonly ownSession?: string;
}

export interface RestorePlan {
  readonly actions: readonly RestoreAction[];
  readonly warnings: readonly string[];
  readonly sessionsCreated: readonly string[];
  readonly windowsCreated: number;
  /** The fresh server's own session, replaced by the restored environment. */
  readonly replacedBootstrap: string | undefined;
  /** Not an action of the batch: tmux runs past failed lines, and this kill must follow success only. */
  readonly bootstrapRemoval: BootstrapRemoval | undefined;
  readonly placedElsewhere: readonly PlacedWindow[];
  readonly movedAside: readonly MovedSession[];
  readonly overwritten: readonly OverwrittenSession[];
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
 * pane with an idle shell. The shape only: the daemon does not save such a server over an earlier
 * lifetime's save; a restore replaces it only when {@link isUntouchedFirstSession} too.
 */
export function findBootstrapSession(live: Snapshot): SessionSnapshot | undefined {
  if (live.sessions.length !== 1) return undefined;
  const session = live.sessions[0]!;
  const window = session.windows.length === 1 ? session.windows[0]! : undefined;
  const pane = window?.panes.length === 1 ? window.panes[0]! : undefined;
  return pane && pane.program === null && session.group === null ? session : undefined;
}

/** The first characters of a prompt that mark an earlier prompt line: enough for `$ `, `% `, `> `. */
const promptHeadLength = 3;

/**
 * Only the untouched first session of a server that just started may be killed: a session that
 * has been used (text in its scrollback, a command typed at an earlier prompt, a job in the
 * background) or lived longer than a server start takes is the user's, whatever its shape.
 *
 * What a shell prints before its first prompt differs: zsh's PROMPT_SP scrolls one blank row off
 * the screen (history_size 1), fish prints a two-line greeting, a prompt may take two rows. So
 * blank scrollback and any text above the prompt count as untouched, unless a line above begins
 * as the prompt does: a command entered leaves its prompt line behind, whatever it printed. A
 * prompt that changes with every command (a clock) still shares its first characters; when the
 * greeting happens to, the session is kept, which is the safe side.
 */
export function isUntouchedFirstSession(facts: FirstSessionFacts): boolean {
  const head = facts.prompt.trim().slice(0, promptHeadLength);
  const earlierPrompt = [...facts.scrollback, ...facts.screenAbove].some(
    (line) => line.trim() !== '' && line.trimStart().startsWith(head),
  );
  return (
    facts.serverAge <= freshServerSeconds &&
    facts.sessionAge <= freshServerSeconds &&
    facts.firstOfServer &&
    facts.scrollback.every((line) => line.trim() === '') &&
    !earlierPrompt &&
    !facts.runsJobs
  );
}

/**
 * The fresh server's untouched first session gives way to the restored ones, even to a saved
 * session of its own name whatever that holds (issue 19: a save's own `0` in another directory
 * left a stray `0-1` after every reboot). Only a whole restore replaces it: `--session` touches
 * nothing but the sessions it restores. A second restore changes nothing, since the session the
 * first one made in its place is not the server's first (`$0`).
 */
function replaceableBootstrap(
  saved: Snapshot,
  liveState: LiveState,
  environment: PlanEnvironment,
): SessionSnapshot | undefined {
  if (environment.partial) return undefined;
  const bootstrap = findBootstrapSession(liveState.snapshot);
  if (!bootstrap || !liveState.firstSession || !isUntouchedFirstSession(liveState.firstSession))
    return undefined;
  return isSameLoneSession(saved, bootstrap) ? undefined : bootstrap;
}

/**
 * The save is this very session and nothing else (saved a moment ago, one pane in the same
 * directory): replacing it would only make it again, so the restore has nothing to do.
 */
function isSameLoneSession(saved: Snapshot, live: SessionSnapshot): boolean {
  const [only, ...others] = saved.sessions;
  if (!only || others.length > 0 || only.name !== live.name || !isLoneSession(only)) return false;
  const savedWindow = only.windows[0]!;
  const liveWindow = live.windows[0]!;
  return savedWindow.index === liveWindow.index && savedWindow.panes[0]!.cwd === liveWindow.panes[0]!.cwd;
}

/**
 * The live window is the saved one (a second restore must plan nothing): same pane count and
 * same name, or both named by automatic-rename (the name follows the running program).
 */
function sameWindow(saved: WindowSnapshot, live: WindowSnapshot): boolean {
  return (
    saved.panes.length === live.panes.length &&
    (saved.name === live.name || (saved.automaticRename && live.automaticRename))
  );
}

interface WindowPlacement {
  readonly window: WindowSnapshot;
  readonly index: number;
}

/**
 * Where the saved windows of a session go in its live namesake: nowhere when the same window is
 * already there (at its index, or at an index the save does not use, where an earlier restore
 * placed it), at the saved index when that is free, else at the next free index after it. A
 * saved window is never dropped because its index is taken.
 */
function placeWindows(
  saved: SessionSnapshot,
  live: SessionSnapshot,
): { readonly placements: readonly WindowPlacement[]; readonly conflicts: number } {
  const sorted = [...saved.windows].sort((a, b) => a.index - b.index);
  const liveAt = new Map(live.windows.map((window) => [window.index, window]));
  const claimed = new Set<string>();
  const pending: WindowSnapshot[] = [];
  for (const window of sorted) {
    const there = liveAt.get(window.index);
    if (there && sameWindow(window, there)) claimed.add(there.id);
    else pending.push(window);
  }
  const savedIndexes = new Set(sorted.map((window) => window.index));
  const occupied = new Set(liveAt.keys());
  const placements: WindowPlacement[] = [];
  const conflicting: WindowSnapshot[] = [];
  for (const window of pending) {
    const placedBefore = live.windows.find(
      (candidate) =>
        !claimed.has(candidate.id) && !savedIndexes.has(candidate.index) && sameWindow(window, candidate),
    );
    if (placedBefore) {
      claimed.add(placedBefore.id);
    } else if (occupied.has(window.index)) {
      conflicting.push(window);
    } else {
      occupied.add(window.index);
      placements.push({ window, index: window.index });
    }
  }
  for (const window of conflicting) {
    let index = window.index + 1;
    while (occupied.has(index)) index += 1;
    occupied.add(index);
    placements.push({ window, index });
  }
  return { placements, conflicts: conflicting.length };
}

/** A session of one window with one pane: the shell a user typed `continuum restore` into. */
function isLoneSession(session: SessionSnapshot): boolean {
  return session.group === null && session.windows.length === 1 && session.windows[0]!.panes.length === 1;
}

/** What the steps of a plan add to it, in the order tmux must run it. */
interface PlanOutput {
  readonly actions: RestoreAction[];
  readonly warnings: string[];
  readonly sessionsCreated: string[];
  readonly panesCreated: { address: PaneAddress; pane: PaneSnapshot }[];
  readonly placedElsewhere: PlacedWindow[];
  windowsCreated: number;
}

/** What every step reads: how sessions are addressed and the server's defaults. */
interface PlanContext {
  readonly environment: PlanEnvironment;
  readonly targetOf: (name: string) => string;
  readonly liveBaseIndex: number;
  readonly livePaneBaseIndex: number;
}

const liveTarget = (session: SessionSnapshot): string =>
  nameIsTargetable(session.name) ? session.name : session.id;

/**
 * Pure: what to do to bring `saved` into the server described by `live`. Existing sessions only
 * get their missing windows and existing windows are left alone, so a second restore plans nothing.
 */
export function planRestore(saved: Snapshot, live: LiveState, environment: PlanEnvironment): RestorePlan {
  const output: PlanOutput = {
    actions: [],
    warnings: [],
    sessionsCreated: [],
    panesCreated: [],
    placedElsewhere: [],
    windowsCreated: 0,
  };
  const bootstrap = replaceableBootstrap(saved, live, environment);
  const liveSessions = new Map(live.snapshot.sessions.map((session) => [session.name, session]));
  const bootstrapTarget = handleBootstrap(saved, bootstrap, liveSessions, environment, output);
  const overwritten = environment.overwrite
    ? overwriteNamesakes(saved, live, liveSessions, environment, output)
    : [];
  const movedAside = moveLoneSessionsAside(saved, live, liveSessions, output);
  const { targetOf, finalActions } = sessionTargets(saved, liveSessions, environment);
  const context: PlanContext = {
    environment,
    targetOf,
    liveBaseIndex: live.globalIndexes?.baseIndex ?? live.snapshot.sessions[0]?.baseIndex ?? 0,
    livePaneBaseIndex:
      live.globalIndexes?.paneBaseIndex ?? live.snapshot.sessions[0]?.windows[0]?.paneBaseIndex ?? 0,
  };
  const groupCarriers = liveGroupCarriers(saved, liveSessions, targetOf);
  for (const session of orderForCreation(saved)) {
    const existing = liveSessions.get(session.name);
    if (existing) placeMissingWindows(context, session, existing, output);
    else createSession(context, session, groupCarriers, output);
  }
  if (!environment.partial) switchClients(saved, live, bootstrap, targetOf, output);
  const bootstrapRemoval =
    bootstrapTarget && output.sessionsCreated.length > 0
      ? { session: bootstrapTarget, requiredSessions: [...output.sessionsCreated] }
      : undefined;

  return {
    actions: output.actions,
    warnings: output.warnings,
    sessionsCreated: output.sessionsCreated,
    windowsCreated: output.windowsCreated,
    replacedBootstrap: bootstrapRemoval ? bootstrap?.name : undefined,
    bootstrapRemoval,
    placedElsewhere: output.placedElsewhere,
    movedAside,
    overwritten,
    panesCreated: output.panesCreated,
    finalActions,
  };
}

/**
 * The fresh server's own session leaves the live sessions the plan builds on; it is parked under
 * another name when the save holds a session of its name. Returns how to address it at the end.
 */
function handleBootstrap(
  saved: Snapshot,
  bootstrap: SessionSnapshot | undefined,
  liveSessions: Map<string, SessionSnapshot>,
  environment: PlanEnvironment,
  output: PlanOutput,
): string | undefined {
  if (!bootstrap) return undefined;
  liveSessions.delete(bootstrap.name);
  if (!saved.sessions.some((session) => session.name === bootstrap.name)) return liveTarget(bootstrap);
  output.actions.push({
    kind: 'rename-session',
    from: liveTarget(bootstrap),
    to: environment.bootstrapParkingName,
    purpose: 'park',
  });
  return environment.bootstrapParkingName;
}

/** Every session name the server or the save uses: a session moved aside takes none of them. */
function namesInUse(saved: Snapshot, live: LiveState): Set<string> {
  return new Set([
    ...live.snapshot.sessions.map((session) => session.name),
    ...saved.sessions.map((session) => session.name),
  ]);
}

/** The first `NAME-N` that neither the server nor the save uses; the name is then taken. */
function freeNameAfter(name: string, takenNames: Set<string>): string {
  let suffix = 1;
  while (takenNames.has(`${name}-${suffix}`)) suffix += 1;
  const free = `${name}-${suffix}`;
  takenNames.add(free);
  return free;
}

/**
 * `@resurrect-overwrite on` (psmux-resurrect kills the running namesake and builds the saved one):
 * each live session of a saved name is renamed aside at once, and removed only after the restore
 * built its saved namesake. One a client is attached to, or that the restore runs in, is never
 * removed: it stays under its new name and the restore says so.
 */
function overwriteNamesakes(
  saved: Snapshot,
  live: LiveState,
  liveSessions: Map<string, SessionSnapshot>,
  environment: PlanEnvironment,
  output: PlanOutput,
): OverwrittenSession[] {
  const overwritten: OverwrittenSession[] = [];
  const takenNames = namesInUse(saved, live);
  for (const session of saved.sessions) {
    const existing = liveSessions.get(session.name);
    if (!existing) continue;
    const parkedAs = freeNameAfter(session.name, takenNames);
    output.actions.push({
      kind: 'rename-session',
      from: liveTarget(existing),
      to: parkedAs,
      purpose: 'move-aside',
    });
    liveSessions.delete(session.name);
    const kept =
      environment.ownSession === session.name
        ? 'own'
        : live.clients.some((client) => client.session === session.name)
          ? 'attached'
          : undefined;
    overwritten.push({ name: session.name, parkedAs, kept });
  }
  return overwritten;
}

/**
 * A lone session in the way of its saved namesake (the shell `continuum restore` was typed
 * into, after a reboot without auto-restore) is renamed aside, not killed, and the saved session
 * comes back exactly; a bigger one keeps its windows and gets the saved ones at free indexes.
 */
function moveLoneSessionsAside(
  saved: Snapshot,
  live: LiveState,
  liveSessions: Map<string, SessionSnapshot>,
  output: PlanOutput,
): MovedSession[] {
  const movedAside: MovedSession[] = [];
  const takenNames = namesInUse(saved, live);
  for (const session of saved.sessions) {
    const existing = liveSessions.get(session.name);
    if (!existing || !isLoneSession(existing) || placeWindows(session, existing).conflicts === 0) continue;
    // The save may hold the shell moved aside by the restore after the previous reboot (`0-1`):
    // this one takes its place, so sessions do not pile up over reboots and restores.
    const earlier = saved.sessions.find(
      (candidate) =>
        candidate.name.startsWith(`${session.name}-`) &&
        /^\d+$/.test(candidate.name.slice(session.name.length + 1)) &&
        !liveSessions.has(candidate.name) &&
        placeWindows(candidate, existing).placements.length === 0,
    );
    const to = earlier?.name ?? freeNameAfter(session.name, takenNames);
    takenNames.add(to);
    output.actions.push({ kind: 'rename-session', from: liveTarget(existing), to, purpose: 'move-aside' });
    movedAside.push({ from: session.name, to });
    liveSessions.delete(session.name);
    liveSessions.set(to, { ...existing, name: to });
  }
  return movedAside;
}

/**
 * Sessions are addressed by name, except where tmux cannot target the name: an existing one is
 * then addressed by its id, and a created one is built under a temporary name, renamed at the end.
 */
function sessionTargets(
  saved: Snapshot,
  liveSessions: ReadonlyMap<string, SessionSnapshot>,
  environment: PlanEnvironment,
): { readonly targetOf: (name: string) => string; readonly finalActions: RestoreAction[] } {
  const targets = new Map<string, string>();
  const finalActions: RestoreAction[] = [];
  for (const session of liveSessions.values()) {
    if (!nameIsTargetable(session.name)) targets.set(session.name, session.id);
  }
  for (const session of saved.sessions) {
    if (nameIsTargetable(session.name) || liveSessions.has(session.name)) continue;
    const temporary = `${environment.temporarySessionPrefix ?? 'continuum-restoring'}-${targets.size + 1}`;
    targets.set(session.name, temporary);
    finalActions.push({ kind: 'rename-session', from: temporary, to: session.name, purpose: 'final-name' });
  }
  return { targetOf: (name) => targets.get(name) ?? name, finalActions };
}

/** Saved groups whose live member already exists: the sessions created for them join it. */
function liveGroupCarriers(
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
function placeMissingWindows(
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
function createSession(
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

/**
 * The most recent client goes to the saved active session (through the alternate one, which tmux
 * then records as its last), and the clients of the replaced bootstrap session with it.
 */
function switchClients(
  saved: Snapshot,
  live: LiveState,
  bootstrap: SessionSnapshot | undefined,
  targetOf: (name: string) => string,
  output: PlanOutput,
): void {
  const { sessionsCreated, actions } = output;
  const clientTarget = [saved.activeSession, ...sessionsCreated].find(
    (name): name is string =>
      name !== null && name !== undefined && saved.sessions.some((s) => s.name === name),
  );
  if (sessionsCreated.length === 0 || !clientTarget) return;
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
