import { readFile } from 'node:fs/promises';
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
  textOf,
  timeOf,
  uuidPattern,
} from './session-files.js';

/** Claude Code names a project's folder after its directory, every character but letters and digits made `-`. */
export function claudeProjectFolder(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

async function findClaudeSessions(search: SessionSearch): Promise<SessionCandidate[]> {
  const root = configurationDirectory(search.environment, 'CLAUDE_CONFIG_DIR', search.home, '.claude');
  const folder = join(root, 'projects', claudeProjectFolder(search.cwd));
  // `sessions/PID.json` ({pid, sessionId, cwd, startedAt}), written as the process starts.
  const owners = new Map<string, number[]>();
  for (const pid of search.pids) {
    try {
      const record: unknown = JSON.parse(await readFile(join(root, 'sessions', `${pid}.json`), 'utf8'));
      const id = textOf((record as Record<string, unknown>)?.sessionId);
      if (id) owners.set(id, [...(owners.get(id) ?? []), pid]);
    } catch {
      // No file for this pid: older versions write none.
    }
  }
  const candidates: SessionCandidate[] = [];
  for (const name of await listDirectory(folder)) {
    if (!name.endsWith('.jsonl')) continue;
    const file = join(folder, name);
    const records = await readFirstRecords(file, 20);
    const withTime = records.find((record) => timeOf(record.timestamp) !== undefined);
    const updatedAt = await modifiedAt(file);
    if (!withTime || updatedAt === undefined) continue;
    const id =
      textOf(records.find((record) => textOf(record.sessionId))?.sessionId) ?? basename(name, '.jsonl');
    if (!uuidPattern.test(id)) continue;
    candidates.push({
      id,
      file,
      cwd: textOf(records.find((record) => textOf(record.cwd))?.cwd),
      createdAt: timeOf(withTime.timestamp)!,
      updatedAt,
      ownerPids: owners.get(id) ?? [],
    });
  }
  return candidates;
}

export const claudeCode: AgentDefinition = {
  name: 'claude',
  title: 'Claude Code',
  executableNames: ['claude'],
  scriptSuffixes: [
    '@anthropic-ai/claude-code/cli.js',
    '@anthropic-ai/claude-code/cli-wrapper.cjs',
    '@anthropic-ai/claude-code/bin/claude.exe',
  ],
  environmentNames: ['CLAUDE_CONFIG_DIR'],
  // The transcript is written with the first message, not at start.
  createsSessionAtStart: false,
  sessionIdPattern: uuidPattern,
  argumentRules: {
    valueFlags: flagSet(
      '--model',
      '--fallback-model',
      '--permission-mode',
      '--add-dir',
      '--allowedTools',
      '--allowed-tools',
      '--disallowedTools',
      '--disallowed-tools',
      '--mcp-config',
      '--append-system-prompt',
      '--system-prompt',
      '--settings',
      '--setting-sources',
      '--agent',
      '--agents',
      '--plugin-dir',
      '--output-format',
      '--input-format',
      '--max-turns',
      '--permission-prompt-tool',
      '--session-id',
    ),
    oneShotFlags: flagSet(
      '-p',
      '--print',
      '--output-format',
      '--input-format',
      '--max-turns',
      '--include-partial-messages',
      '--permission-prompt-tool',
    ),
    sessionFlags: flagSet('-r', '--resume', '-c', '--continue', '--session-id', '--fork-session'),
    sessionIdFlags: flagSet('-r', '--resume', '--session-id'),
    optionalValueFlags: flagSet('-r', '--resume'),
    positionalPrompt: true,
    oneShotSubcommands: flagSet(),
    resumeSubcommand: undefined,
    otherSubcommands: flagSet(
      'config',
      'mcp',
      'migrate-installer',
      'setup-token',
      'doctor',
      'update',
      'install',
      'plugin',
      'agents',
    ),
  },
  findSessions: findClaudeSessions,
  resumeArguments: (sessionId, _file, userArguments) => ['--resume', sessionId, ...userArguments],
  chooserArguments: ['--resume'],
};
