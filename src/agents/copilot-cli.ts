import { basename, join } from 'node:path';
import {
  type AgentDefinition,
  flagSet,
  type SessionCandidate,
  type SessionSearch,
} from './agent-definition.js';
import {
  configurationDirectory,
  listDirectory,
  modifiedAt,
  readFirstRecords,
  readHead,
  textOf,
  timeOf,
  uuidPattern,
} from './session-files.js';

function objectField(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** `cwd: /path` in the session's workspace.yaml (a plain scalar, or a quoted one). */
async function workspaceDirectory(folder: string): Promise<string | undefined> {
  const text = await readHead(join(folder, 'workspace.yaml'), 16 * 1024);
  const value = text?.match(/^cwd:[ \t]*(.+?)[ \t]*$/m)?.[1];
  if (value === undefined) return undefined;
  if (value.startsWith('"')) {
    try {
      return textOf(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  if (value.startsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  return value;
}

async function findCopilotSessions(search: SessionSearch): Promise<SessionCandidate[]> {
  const root = join(
    configurationDirectory(search.environment, 'COPILOT_HOME', search.home, '.copilot'),
    'session-state',
  );
  const candidates: SessionCandidate[] = [];
  for (const name of await listDirectory(root)) {
    // A folder per session (`ID/events.jsonl`, `ID/workspace.yaml`, `ID/inuse.PID.lock`);
    // the first versions wrote `ID.jsonl` alone.
    const folder = join(root, name);
    const events = name.endsWith('.jsonl') ? folder : join(folder, 'events.jsonl');
    const [first] = await readFirstRecords(events, 1);
    const updatedAt = await modifiedAt(events);
    if (!first || updatedAt === undefined) continue;
    const data = objectField(first, 'data');
    const id = textOf(objectField(data, 'sessionId')) ?? basename(name, '.jsonl');
    const createdAt = timeOf(objectField(data, 'startTime')) ?? timeOf(first.timestamp);
    if (!uuidPattern.test(id) || createdAt === undefined) continue;
    const cwd =
      textOf(objectField(objectField(data, 'context'), 'cwd')) ??
      (name.endsWith('.jsonl') ? undefined : await workspaceDirectory(folder));
    if (cwd !== undefined && cwd !== search.cwd) continue;
    const entries = name.endsWith('.jsonl') ? [] : await listDirectory(folder);
    const lockPids = entries
      .map((entry) => entry.match(/^inuse\.(\d+)\.lock$/)?.[1])
      .filter((pid): pid is string => pid !== undefined)
      .map(Number);
    candidates.push({
      id,
      file: name.endsWith('.jsonl') ? folder : events,
      cwd,
      createdAt,
      updatedAt,
      ownerPids: lockPids.filter((pid) => search.pids.includes(pid)),
    });
  }
  return candidates;
}

export const copilotCli: AgentDefinition = {
  name: 'copilot',
  title: 'GitHub Copilot CLI',
  executableNames: ['copilot'],
  scriptSuffixes: ['@github/copilot/npm-loader.js', '@github/copilot/index.js'],
  environmentNames: ['COPILOT_HOME'],
  createsSessionAtStart: true,
  sessionIdPattern: uuidPattern,
  argumentRules: {
    valueFlags: flagSet(
      '--model',
      '--add-dir',
      '--allow-tool',
      '--deny-tool',
      '--log-level',
      '--log-dir',
      '--agent',
      '-p',
      '--prompt',
      '--session-id',
      '--additional-mcp-config',
      '--output-format',
    ),
    oneShotFlags: flagSet('-p', '--prompt', '--output-format', '-s', '--silent', '--acp', '--server'),
    sessionFlags: flagSet('--resume', '--continue', '--session-id'),
    sessionIdFlags: flagSet('--resume', '--session-id'),
    optionalValueFlags: flagSet('--resume'),
    positionalPrompt: false,
    oneShotSubcommands: flagSet(),
    resumeSubcommand: undefined,
    otherSubcommands: flagSet('help', 'version', 'update', 'login', 'logout', 'mcp', 'plugin', 'sessions'),
  },
  findSessions: findCopilotSessions,
  // `--resume` takes an optional value: the `=` form cannot be read as a flag without one.
  resumeArguments: (sessionId, _file, userArguments) => [`--resume=${sessionId}`, ...userArguments],
  chooserArguments: ['--resume'],
};
