import type { CreatedPane } from '../programs/program-restore.js';
import { checkSafeToType, quoteArgv, quoteForShell, type ShellDialect } from '../shell-quote.js';
import { describePane, type PaneAddress } from '../snapshot/pane-address.js';
import type { PaneAgentSnapshot, PaneSnapshot } from '../snapshot/schema.js';
import { agentNamed } from './agent-registry.js';
import type { AgentSettings } from './agent-settings.js';

/** What a restore does in a pane that ran an agent. */
export type AgentStart =
  /** Type the command line and run it (resume, or a plain start when allowed). */
  | { readonly kind: 'run'; readonly commandLine: string }
  /** Leave the pane at its prompt with the command to run typed but not run. */
  | { readonly kind: 'suggest'; readonly commandLine: string; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * The one way an agent's words become a typed line: each word quoted for the pane's real shell
 * (src/shell-quote.ts), the agent's variables as assignments before it.
 */
export function agentCommandLine(
  environment: Readonly<Record<string, string>>,
  argv: readonly string[],
  dialect: ShellDialect,
): string {
  const assignments = Object.entries(environment)
    .filter(([name]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    .map(([name, value]) => `${name}=${quoteForShell(value, dialect)}`);
  return [...assignments, quoteArgv(argv, dialect)].join(' ');
}

/**
 * Pure apart from `fileExists`: how an agent pane comes back. It resumes only: nothing is typed
 * into the agent, no prompt replayed. A session whose file is gone, or no session, leaves the
 * command to run at the pane's prompt (not run), unless `@continuum-agents-start-unknown on`
 * allows starting the agent without one.
 */
export function decideAgentStart(
  agentSnapshot: PaneAgentSnapshot,
  settings: AgentSettings,
  dialect: ShellDialect,
  fileExists: (path: string) => boolean,
): AgentStart | undefined {
  const agent = agentNamed(agentSnapshot.name);
  if (!agent || !settings.enabled.has(agent.name)) return undefined;
  const line = (argv: readonly string[]) => agentCommandLine(agentSnapshot.environment, argv, dialect);
  const session = agentSnapshot.session;
  let reason: string;
  if (session && (session.file === '' || fileExists(session.file))) {
    const commandLine = line([
      ...agentSnapshot.program,
      ...agent.resumeArguments(session.id, session.file, agentSnapshot.arguments),
    ]);
    return checked({ kind: 'run', commandLine });
  }
  if (session)
    reason = `its session ${JSON.stringify(session.id)} is gone (${JSON.stringify(session.file)} was removed since the save)`;
  else reason = `its session was not identified at the save: ${agentSnapshot.problem ?? 'no session found'}`;
  if (settings.startUnknown)
    return checked({
      kind: 'run',
      commandLine: line([...agentSnapshot.program, ...agentSnapshot.arguments]),
    });
  return checked({
    kind: 'suggest',
    commandLine: line([...agentSnapshot.program, ...agent.chooserArguments, ...agentSnapshot.arguments]),
    reason,
  });
}

function checked(start: AgentStart): AgentStart {
  if (start.kind === 'refused') return start;
  const check = checkSafeToType(start.commandLine);
  return check.safe ? start : { kind: 'refused', reason: `the command line ${check.reason}` };
}

export interface AgentStartPlan {
  readonly starts: readonly { address: PaneAddress; commandLine: string; run: boolean }[];
  readonly warnings: readonly string[];
  /** Panes whose agent decided: the allowlist does not see them. */
  readonly handled: ReadonlySet<PaneAddress>;
}

/** The agents' part of a restore, for the panes it created. */
export function planAgentStarts(
  panesCreated: readonly CreatedPane[],
  settings: AgentSettings,
  dialectOf: (pane: PaneSnapshot) => ShellDialect | undefined,
  fileExists: (path: string) => boolean,
): AgentStartPlan {
  const starts: { address: PaneAddress; commandLine: string; run: boolean }[] = [];
  const warnings: string[] = [];
  const handled = new Set<PaneAddress>();
  for (const { address, pane } of panesCreated) {
    if (!pane.agent) continue;
    const title = agentNamed(pane.agent.name)?.title ?? pane.agent.name;
    const dialect = dialectOf(pane);
    if (dialect === undefined) {
      // Only a line for a shell resumes an agent; one continuum cannot quote for gets none.
      if (settings.enabled.has(pane.agent.name)) {
        handled.add(address);
        warnings.push(
          `pane ${describePane(address)}: ${title} is not started: the pane's shell is not one continuum can quote for`,
        );
      }
      continue;
    }
    const start = decideAgentStart(pane.agent, settings, dialect, fileExists);
    if (!start) continue;
    handled.add(address);
    if (start.kind === 'run') starts.push({ address, commandLine: start.commandLine, run: true });
    else if (start.kind === 'suggest') {
      starts.push({ address, commandLine: start.commandLine, run: false });
      warnings.push(
        `pane ${describePane(address)}: ${title} is not started: ${start.reason}; the command to run is left at its prompt: ${start.commandLine}`,
      );
    } else warnings.push(`pane ${describePane(address)}: ${title} is not started: ${start.reason}`);
  }
  return { starts, warnings, handled };
}
