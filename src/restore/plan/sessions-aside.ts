import type { SessionSnapshot, Snapshot } from '../../snapshot/schema.js';
import { freeNameAfter, liveTarget, namesInUse } from './names.js';
import type {
  LiveState,
  MovedSession,
  OverwrittenSession,
  PlanEnvironment,
  PlanOutput,
} from './plan-types.js';
import { isLoneSession, placeWindows } from './window-placement.js';

/**
 * `@resurrect-overwrite on` (psmux-resurrect kills the running namesake and builds the saved one):
 * each live session of a saved name is renamed aside at once, and removed only after the restore
 * built its saved namesake. One a client is attached to, or that the restore runs in, is never
 * removed: it stays under its new name and the restore says so.
 */
export function overwriteNamesakes(
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
export function moveLoneSessionsAside(
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
