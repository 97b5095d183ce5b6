import { splitProcessList } from '../process-list.js';
import { optionNamesOf, settingsFrom } from '../settings/settings.js';
import { knownAgents } from './agent-registry.js';

/** The tmux options the agents read, at save and at restore. */
export const agentOptionNames: readonly string[] = optionNamesOf(['agents', 'agentsStartUnknown']);

export interface AgentSettings {
  /** The agents to recognise and resume. */
  readonly enabled: ReadonlySet<string>;
  /** Start an agent whose session is not known, without one (`@continuum-agents-start-unknown on`). */
  readonly startUnknown: boolean;
  /** Names in `@continuum-agents` that are no known agent. */
  readonly unknownNames: readonly string[];
}

/** `@continuum-agents`: empty for every known agent, `off` for none, else a list of names. */
export function agentSettingsFrom(options: ReadonlyMap<string, string>): AgentSettings {
  const settings = settingsFrom(options);
  const value = settings.agents.trim();
  const names = splitProcessList(value.replaceAll(',', ' '));
  const all = knownAgents.map((agent) => agent.name);
  const off = ['off', 'none', 'false', 'no', '0'].includes(value.toLowerCase());
  const listed =
    value === '' || ['on', 'all', 'true', 'yes', '1'].includes(value.toLowerCase()) ? all : off ? [] : names;
  return {
    enabled: new Set(listed.filter((name) => all.includes(name))),
    startUnknown: settings.agentsStartUnknown,
    unknownNames: listed.filter((name) => !all.includes(name)),
  };
}
