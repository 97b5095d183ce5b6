import type { SessionEnvironment } from '../mux/actions.js';
import type { MuxClient } from '../mux/mux-client.js';
import { queryFields } from '../mux/query-fields.js';
import type { MuxVersion } from '../mux/session-name.js';
import { commandsFor } from '../mux/tmux-render.js';
import type { RestoreAction } from './actions.js';
import { restoringMarkerOption } from './restoring-marker.js';

export type { SessionEnvironment } from '../mux/actions.js';
export { restoringMarkerOption };

export interface ApplyResult {
  readonly errors: readonly string[];
}

/**
 * Sends the whole plan to the server, rendered by its client (on tmux one `source-file`
 * invocation: no process per command and no sleeps). The lines run in order, past a failed one;
 * its messages come back as errors.
 */
export async function applyPlan(
  mux: MuxClient,
  actions: readonly RestoreAction[],
  server: MuxVersion,
  options: {
    readonly keepMarker?: boolean;
    readonly marker?: string;
    readonly sessionEnvironment?: SessionEnvironment;
  } = {},
): Promise<ApplyResult> {
  if (actions.length === 0) return { errors: [] };
  const result = await mux.applyActions(actions, {
    server,
    sessionEnvironment: options.sessionEnvironment ?? 'new-session-flag',
    marker: {
      option: restoringMarkerOption,
      value: options.marker ?? String(process.pid),
      // keep: the caller has more to do (remove the fresh server's session) before an
      // auto-save may capture the server, and unsets it with clearRestoringMarkerIf.
      keep: options.keepMarker ?? false,
    },
  });
  return { errors: result.errors };
}

/**
 * Kills the fresh server's own session only after one tmux call shows every restored session
 * exists: in the batch, the kill would run even when every new-session before it failed (tmux
 * continues past failed lines), and the server would exit with its last session. Otherwise it is
 * kept, under its own name again if it was parked and the name is free. Returns the required
 * sessions that are missing (then nothing was killed).
 */
export async function removeReplacedSession(
  mux: MuxClient,
  removal: { readonly session: string; readonly requiredSessions: readonly string[] },
  originalName: string,
  server: MuxVersion,
): Promise<readonly string[]> {
  // Session names are listed in tmux's stored form (control characters escaped), as saves hold them.
  const sessions = await queryFields(mux, (format) => ['list-sessions', '-F', format], ['session_name']);
  const listed = new Set(sessions.map((session) => session.get('session_name') ?? ''));
  const missing = removal.requiredSessions.filter((name) => !listed.has(name));
  if (missing.length === 0) {
    await mux.run(commandsFor({ kind: 'kill-session', session: removal.session }, server)[0]!);
  } else if (removal.session !== originalName && !listed.has(originalName)) {
    const rename = {
      kind: 'rename-session',
      from: removal.session,
      to: originalName,
      purpose: 'final-name',
    } as const;
    await mux.run(commandsFor(rename, server)[0]!).catch(() => '');
  }
  return missing;
}
