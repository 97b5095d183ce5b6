import type { MuxClient } from '../../mux/mux-client.js';
import type { MuxVersion } from '../../mux/session-name.js';
import { removeReplacedSession } from '../apply.js';
import type { OverwrittenSession, RestorePlan } from '../plan/plan-types.js';

/** The parked live sessions to remove once their saved namesakes exist. */
export function overwriteRemovals(plan: RestorePlan): { session: string; requiredSessions: string[] }[] {
  return plan.overwritten
    .filter((session) => session.kept === undefined)
    .map((session) => ({ session: session.parkedAs, requiredSessions: [session.name] }));
}

/**
 * Removes the fresh server's own session once every restored session exists. Returns the line
 * that says it was kept, when some did not come back.
 */
export async function removeBootstrap(
  mux: MuxClient,
  plan: RestorePlan,
  server: MuxVersion,
): Promise<string | undefined> {
  if (!plan.bootstrapRemoval) return undefined;
  const missing = await removeReplacedSession(
    mux,
    plan.bootstrapRemoval,
    plan.replacedBootstrap ?? plan.bootstrapRemoval.session,
    server,
  );
  if (missing.length === 0) return undefined;
  return (
    `kept the new server's session ${JSON.stringify(plan.replacedBootstrap)}: ` +
    `restored ${missing.length === 1 ? 'session' : 'sessions'} ${missing.map((name) => JSON.stringify(name)).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`
  );
}

/**
 * Removes what `@resurrect-overwrite` replaced, each only once its saved namesake exists; one
 * whose namesake is missing gets its name back (when free) and stays, and the restore says so.
 * Returns the sessions that were overwritten after all.
 */
export async function removeOverwritten(
  mux: MuxClient,
  plan: RestorePlan,
  server: MuxVersion,
): Promise<{ readonly overwritten: readonly OverwrittenSession[]; readonly lines: readonly string[] }> {
  const names: string[] = [];
  const lines: string[] = [];
  for (const removal of overwriteRemovals(plan)) {
    const name = removal.requiredSessions[0]!;
    let missing: readonly string[];
    try {
      missing = await removeReplacedSession(mux, removal, name, server);
    } catch (error) {
      names.push(name);
      lines.push(
        `could not remove the replaced session ${JSON.stringify(name)}, now ${JSON.stringify(removal.session)}: ${error instanceof Error ? error.message : error}`,
      );
      continue;
    }
    if (missing.length === 0) continue;
    names.push(name);
    lines.push(
      `kept the running session ${JSON.stringify(name)}: its saved namesake was not created, so it was not replaced`,
    );
  }
  return { overwritten: plan.overwritten.filter((session) => !names.includes(session.name)), lines };
}
