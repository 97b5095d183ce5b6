import type { SessionSnapshot, Snapshot } from '../../snapshot/schema.js';
import type { RestoreAction } from '../actions.js';
import type { LiveState, PlanEnvironment } from './plan-types.js';

/**
 * tmux reads a target that starts with `$` as a session id, even after `=`, and keeps `$` unescaped
 * in a stored name when a digit, a space or punctuation follows it: such a session cannot be
 * addressed by its name (`$1`, `$ x`).
 */
export function nameIsTargetable(name: string): boolean {
  return !name.startsWith('$');
}

export const liveTarget = (session: SessionSnapshot): string =>
  nameIsTargetable(session.name) ? session.name : session.id;

/** Every session name the server or the save uses: a session moved aside takes none of them. */
export function namesInUse(saved: Snapshot, live: LiveState): Set<string> {
  return new Set([
    ...live.snapshot.sessions.map((session) => session.name),
    ...saved.sessions.map((session) => session.name),
  ]);
}

/** The first `NAME-N` that neither the server nor the save uses; the name is then taken. */
export function freeNameAfter(name: string, takenNames: Set<string>): string {
  let suffix = 1;
  while (takenNames.has(`${name}-${suffix}`)) suffix += 1;
  const free = `${name}-${suffix}`;
  takenNames.add(free);
  return free;
}

/**
 * Sessions are addressed by name, except where tmux cannot target the name: an existing one is
 * then addressed by its id, and a created one is built under a temporary name, renamed at the end.
 */
export function sessionTargets(
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
