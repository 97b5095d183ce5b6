import type { AgentDefinition } from './agent-definition.js';
import { aider } from './aider.js';
import { claudeCode } from './claude-code.js';
import { codex } from './codex.js';
import { copilotCli } from './copilot-cli.js';
import { geminiCli } from './gemini-cli.js';
import { opencode } from './opencode.js';

/** Every agent continuum knows, in the order `doctor` lists them. */
export const knownAgents: readonly AgentDefinition[] = [
  claudeCode,
  codex,
  geminiCli,
  copilotCli,
  opencode,
  aider,
];

export function agentNamed(name: string): AgentDefinition | undefined {
  return knownAgents.find((agent) => agent.name === name);
}

/** An agent recognised in an argv: the words that start it and the user's arguments after them. */
export interface RecognisedAgent {
  readonly agent: AgentDefinition;
  readonly program: readonly string[];
  readonly arguments: readonly string[];
}

/** `C:\tools\claude.exe` or `/usr/bin/claude` → `claude`. */
function executableName(word: string): string {
  return (word.split(/[\\/]/).pop() ?? word).replace(/\.(exe|cmd|bat|js|cjs|mjs)$/i, '');
}

/** Interpreters an npm or pip install runs the agent's script with. */
const interpreter = /^(node|nodejs|node\d+|bun|deno|python|python\d+(\.\d+)?)$/;

function agentOfWord(word: string): AgentDefinition | undefined {
  const name = executableName(word);
  const path = word.replaceAll('\\', '/');
  return knownAgents.find(
    (agent) =>
      agent.executableNames.includes(name) ||
      agent.scriptSuffixes.some((suffix) => path.endsWith(`/${suffix}`)),
  );
}

/**
 * Pure: the agent an argv runs, however it was installed: its own executable (native installer,
 * Homebrew, the npm bin link, psmux's reported name) or an interpreter running its package's
 * script (`node /usr/lib/node_modules/@openai/codex/bin/codex.js`, or the bin link itself, which
 * is what a `#!/usr/bin/env node` script receives as its path).
 */
export function recogniseAgent(argv: readonly string[]): RecognisedAgent | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  const direct = agentOfWord(first);
  if (direct && executableName(first) !== 'node')
    return { agent: direct, program: [first], arguments: argv.slice(1) };
  if (!interpreter.test(executableName(first))) return undefined;
  // The interpreter's own options come before the script (`node --no-warnings cli.js`).
  const scriptIndex = argv.findIndex((word, index) => index > 0 && !word.startsWith('-'));
  if (scriptIndex === -1) return undefined;
  const agent = agentOfWord(argv[scriptIndex]!);
  if (!agent) return undefined;
  return { agent, program: argv.slice(0, scriptIndex + 1), arguments: argv.slice(scriptIndex + 1) };
}
