import type { Snapshot } from '../snapshot/schema.js';
import { agentNamed } from './agent-registry.js';

/**
 * Pure apart from `fileExists`: the agents of a save and whether each can be resumed (its session
 * known and its file still there), one phrase per pane, for `doctor`. Undefined when there are none.
 */
export function summariseAgents(
  snapshot: Snapshot,
  fileExists: (path: string) => boolean,
): string | undefined {
  const phrases: string[] = [];
  for (const session of snapshot.sessions)
    for (const window of session.windows)
      for (const pane of window.panes) {
        const agent = pane.agent;
        if (!agent) continue;
        const title = agentNamed(agent.name)?.title ?? agent.name;
        const where = `${JSON.stringify(session.name)}:${window.index}.${pane.index}`;
        const state = !agent.session
          ? 'cannot be resumed: no session identified'
          : agent.session.file !== '' && !fileExists(agent.session.file)
            ? 'cannot be resumed: its session file is gone'
            : 'can be resumed';
        phrases.push(`${title} in ${where} ${state}`);
      }
  return phrases.length === 0 ? undefined : phrases.join('; ');
}
