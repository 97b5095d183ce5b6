import { splitProcessList } from '../process-list.js';
import type { PaneAgentSnapshot, PaneSnapshot, Snapshot } from '../snapshot/schema.js';
import { mapPanes } from '../snapshot/structure.js';
import { parseAgentArguments } from './agent-arguments.js';
import type { AgentProcessFacts, ReadAgentProcess } from './agent-processes.js';
import { type RecognisedAgent, recogniseAgent } from './agent-registry.js';
import { agentSettingsFrom } from './agent-settings.js';
import { type AgentProcess, chooseSessions } from './session-finder.js';

export interface AgentCaptureDependencies {
  /** Undefined for a user with no home directory: then no agent's default session folder exists. */
  readonly home: string | undefined;
  /** procfs on Linux; undefined where processes cannot be read (psmux on Windows, macOS). */
  readonly readProcess: ReadAgentProcess | undefined;
  /** The pane's own process id, by pane id (ServerCapture.panes). */
  readonly panePid: (paneId: string) => number | undefined;
}

/**
 * Pure: the agent a pane runs. The process table's argv first; where the multiplexer reports only
 * the program's name (psmux), the line the shell integration recorded gives the arguments when
 * it starts the same agent.
 */
export function recognisePane(pane: PaneSnapshot): RecognisedAgent | undefined {
  const argv = pane.program?.argv;
  if (!argv) return undefined;
  const recognised = recogniseAgent(argv);
  if (!recognised) return undefined;
  const line = pane.shell?.commandLine;
  if (argv.length === 1 && line) {
    const words = splitProcessList(line.trim());
    const fromLine = recogniseAgent(words);
    if (fromLine?.agent === recognised.agent) return fromLine;
  }
  return recognised;
}

interface Found {
  readonly pane: PaneSnapshot;
  readonly recognised: RecognisedAgent;
  readonly facts: AgentProcessFacts | undefined;
}

function panesOf(snapshot: Snapshot): PaneSnapshot[] {
  return snapshot.sessions.flatMap((session) => session.windows.flatMap((window) => window.panes));
}

/**
 * Adds to each pane that runs an enabled agent which agent it is, its arguments, its named
 * environment and its session (src/agents/session-finder.ts decides between panes in one
 * directory). Panes of other programs are left as they are.
 */
export async function attachAgents(
  snapshot: Snapshot,
  options: ReadonlyMap<string, string>,
  dependencies: AgentCaptureDependencies,
): Promise<Snapshot> {
  const settings = agentSettingsFrom(options);
  if (settings.enabled.size === 0) return snapshot;
  const found = new Map<string, Found>();
  for (const pane of panesOf(snapshot)) {
    const recognised = recognisePane(pane);
    if (!recognised || !settings.enabled.has(recognised.agent.name)) continue;
    const panePid = dependencies.panePid(pane.id);
    const facts =
      panePid === undefined || !pane.program
        ? undefined
        : dependencies.readProcess?.(panePid, pane.program.argv, recognised.agent.environmentNames);
    found.set(pane.id, { pane, recognised, facts });
  }
  if (found.size === 0) return snapshot;
  const processes: AgentProcess[] = [];
  const parsed = new Map<string, ReturnType<typeof parseAgentArguments>>();
  for (const [paneId, { pane, recognised, facts }] of found) {
    const agent = recognised.agent;
    const parsedArguments = parseAgentArguments(
      recognised.arguments,
      agent.argumentRules,
      agent.sessionIdPattern,
    );
    parsed.set(paneId, parsedArguments);
    if (parsedArguments.notASession) continue;
    const cwd = facts?.cwd ?? pane.cwd;
    const environment = facts?.environment ?? {};
    const home = dependencies.home;
    const candidates =
      facts && home !== undefined
        ? await agent.findSessions({
            home,
            environment,
            cwd,
            pids: facts.pids,
            openFiles: facts.openFiles,
            startedAt: facts.startedAt,
          })
        : [];
    processes.push({
      key: paneId,
      agentName: agent.name,
      groupKey: JSON.stringify([agent.name, cwd, environment]),
      pids: facts?.pids ?? [],
      // Without the process (no procfs), nothing began "after it started": only its command line counts.
      startedAt: facts?.startedAt ?? Number.POSITIVE_INFINITY,
      commandLineSession: parsedArguments.sessionId,
      createsSessionAtStart: agent.createsSessionAtStart && facts !== undefined,
      candidates,
    });
  }
  const choices = chooseSessions(processes);
  const agentOf = (pane: PaneSnapshot): PaneAgentSnapshot | undefined => {
    const entry = found.get(pane.id);
    const parsedArguments = parsed.get(pane.id);
    if (!entry || !parsedArguments || parsedArguments.notASession) return undefined;
    const choice = choices.get(pane.id);
    return {
      name: entry.recognised.agent.name,
      program: [...entry.recognised.program],
      arguments: [...parsedArguments.kept],
      dropped: [...parsedArguments.dropped],
      environment: { ...(entry.facts?.environment ?? {}) },
      ...(choice?.kind === 'found'
        ? { session: { id: choice.id, file: choice.file, decidedBy: choice.decidedBy } }
        : {
            problem:
              choice?.kind === 'unknown'
                ? choice.problem
                : entry.facts === undefined
                  ? 'its process could not be read, and its command line names no session'
                  : 'no session found',
          }),
    };
  };
  return mapPanes(snapshot, (pane) => {
    const agent = agentOf(pane);
    return agent ? { ...pane, agent } : pane;
  });
}
