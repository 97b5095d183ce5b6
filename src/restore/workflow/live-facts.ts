import { randomBytes } from 'node:crypto';
import type { MuxClient } from '../../mux/mux-client.js';
import type { PaneRunsJobs } from '../../platform/pane-jobs.js';
import type { ServerCapture } from '../../snapshot/capture.js';
import type { FirstSessionFacts, LiveState } from '../plan/plan-types.js';
import { findBootstrapSession } from '../plan.js';

/**
 * The facts that decide whether the server's lone session is the untouched first session of a
 * server that just started (only then may the restore kill it); none when the server holds more.
 * The cursor and the pane's text come from one tmux invocation, so they describe the same moment.
 */
export async function firstSessionFacts(
  mux: MuxClient,
  live: ServerCapture,
  now: Date,
  paneRunsJobs: PaneRunsJobs,
): Promise<FirstSessionFacts | undefined> {
  const session = findBootstrapSession(live.snapshot);
  const paneId = session?.windows[0]?.panes[0]?.id;
  const pane = paneId === undefined ? undefined : live.panes.get(paneId);
  if (!session || paneId === undefined || !pane) return undefined;
  const marker = `continuum-cursor-${randomBytes(8).toString('hex')}`;
  const output = await mux
    .runCommands([
      ['display-message', '-p', '-t', paneId, `${marker} #{history_size} #{cursor_y} #{cursor_x}`],
      ['capture-pane', '-p', '-S', '-', '-t', paneId],
    ])
    .catch(() => undefined);
  if (output === undefined) return undefined;
  const [first = '', ...lines] = output.replace(/\n$/, '').split('\n');
  const [label, history, row, column] = first
    .split(' ')
    .map((word, index) => (index === 0 ? word : Number(word)));
  if (label !== marker || ![history, row, column].every((value) => Number.isInteger(value))) return undefined;
  const scrolled = history as number;
  const cursorRow = scrolled + (row as number);
  const seconds = now.getTime() / 1000;
  return {
    serverAge: seconds - live.snapshot.server.startTime,
    sessionAge: seconds - pane.sessionCreated,
    firstOfServer: session.id === '$0',
    scrollback: lines.slice(0, scrolled),
    screenAbove: lines.slice(scrolled, cursorRow),
    prompt: (lines[cursorRow] ?? '').slice(0, column as number),
    runsJobs: await paneRunsJobs(pane.pid),
  };
}

/**
 * The server's global base-index and pane-base-index, which new sessions and windows get: the
 * first live session may hold values of its own (issue 15: a restore then built one pane instead
 * of two, or failed). Nothing when they cannot be read: the plan then falls back to that session.
 */
export async function globalIndexes(mux: MuxClient): Promise<Pick<LiveState, 'globalIndexes'>> {
  const output = await mux
    .runCommands([
      ['show-options', '-gv', 'base-index'],
      ['show-options', '-gwv', 'pane-base-index'],
    ])
    .catch(() => '');
  const [baseIndex, paneBaseIndex] = output.split('\n').map((line) => Number(line.trim()));
  if (!Number.isInteger(baseIndex) || !Number.isInteger(paneBaseIndex)) return {};
  return { globalIndexes: { baseIndex: baseIndex as number, paneBaseIndex: paneBaseIndex as number } };
}

/**
 * The session `continuum restore` was typed into: the pane `TMUX_PANE` names, when `TMUX` names
 * this very server. Run by a key binding, the client's own session is known from the clients.
 */
export function ownSessionOf(live: ServerCapture, environment: NodeJS.ProcessEnv): { ownSession?: string } {
  const socketPath = environment.TMUX?.split(',')[0];
  const paneId = environment.TMUX_PANE;
  if (!socketPath || !paneId || socketPath !== live.snapshot.server.socketPath) return {};
  const session = live.snapshot.sessions.find((candidate) =>
    candidate.windows.some((window) => window.panes.some((pane) => pane.id === paneId)),
  );
  return session ? { ownSession: session.name } : {};
}
