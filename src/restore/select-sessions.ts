import type { Snapshot } from '../snapshot/schema.js';

export type SessionSelection =
  | {
      readonly ok: true;
      /** The save with only the chosen sessions (and the members of their groups). */
      readonly snapshot: Snapshot;
      /** Sessions restored with a chosen one because they share its windows (a session group). */
      readonly groupMembers: readonly string[];
    }
  | { readonly ok: false; readonly unknown: readonly string[] };

/**
 * The part of a save that `restore --session NAME…` restores, so the plan sees a smaller save and
 * keeps its exactness and idempotence. A session in a group brings the whole group: its members
 * share their windows (tmux `new-session -t`), and the plan makes the first member created carry
 * them and the others join it, so a member restored alone would come back as a separate session
 * with copies of the windows and a later restore of the rest could not rebuild the group. The
 * active and alternate sessions stay only when chosen, so the client is not sent elsewhere.
 */
export function selectSessions(snapshot: Snapshot, names: readonly string[]): SessionSelection {
  const saved = new Set(snapshot.sessions.map((session) => session.name));
  const unknown = [...new Set(names)].filter((name) => !saved.has(name));
  if (unknown.length > 0) return { ok: false, unknown };
  const chosen = new Set(names);
  const groups = new Set(
    snapshot.sessions
      .filter((session) => chosen.has(session.name) && session.group !== null)
      .map((session) => session.group),
  );
  const sessions = snapshot.sessions.filter(
    (session) => chosen.has(session.name) || (session.group !== null && groups.has(session.group)),
  );
  const kept = new Set(sessions.map((session) => session.name));
  const keep = (name: string | null): string | null => (name !== null && kept.has(name) ? name : null);
  return {
    ok: true,
    snapshot: {
      ...snapshot,
      sessions,
      activeSession: keep(snapshot.activeSession),
      alternateSession: keep(snapshot.alternateSession),
    },
    groupMembers: sessions.map((session) => session.name).filter((name) => !chosen.has(name)),
  };
}
