import { freshServerSeconds } from '../server/freshness.js';
import type { SessionSnapshot, Snapshot } from '../snapshot/schema.js';
import { createSession, liveGroupCarriers, placeMissingWindows } from './plan/build-session.js';
import { liveTarget, sessionTargets } from './plan/names.js';
import type {
  FirstSessionFacts,
  LiveState,
  PlanContext,
  PlanEnvironment,
  PlanOutput,
  RestorePlan,
} from './plan/plan-types.js';
import { moveLoneSessionsAside, overwriteNamesakes } from './plan/sessions-aside.js';
import { isLoneSession, placeWindows } from './plan/window-placement.js';

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
 * directory, its window one the plan would leave in place): replacing it would only make it
 * again, so the restore has nothing to do. A saved window the plan would place (another name)
 * is another session, which the untouched bootstrap gives way to rather than being moved aside.
 */
function isSameLoneSession(saved: Snapshot, live: SessionSnapshot): boolean {
  const [only, ...others] = saved.sessions;
  if (!only || others.length > 0 || only.name !== live.name || !isLoneSession(only)) return false;
  const savedWindow = only.windows[0]!;
  const liveWindow = live.windows[0]!;
  return (
    savedWindow.index === liveWindow.index &&
    placeWindows(only, live).placements.length === 0 &&
    savedWindow.panes[0]!.cwd === liveWindow.panes[0]!.cwd
  );
}

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
  const landingSession = environment.partial
    ? undefined
    : switchClients(saved, live, bootstrap, targetOf, output);
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
    landingSession,
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

/**
 * The most recent client goes to the saved active session (through the alternate one, which tmux
 * then records as its last), and the clients of the replaced bootstrap session with it. Returns
 * the saved name of that session, when there is a client to switch.
 */
function switchClients(
  saved: Snapshot,
  live: LiveState,
  bootstrap: SessionSnapshot | undefined,
  targetOf: (name: string) => string,
  output: PlanOutput,
): string | undefined {
  const { sessionsCreated, actions } = output;
  const clientTarget = [saved.activeSession, ...sessionsCreated].find(
    (name): name is string =>
      name !== null && name !== undefined && saved.sessions.some((s) => s.name === name),
  );
  if (sessionsCreated.length === 0 || !clientTarget) return undefined;
  const clients = [...live.clients].sort((a, b) => b.activity - a.activity);
  const mostRecent = clients[0];
  if (mostRecent === undefined) return undefined;
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
  return clientTarget;
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
