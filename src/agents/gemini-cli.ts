import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  type AgentDefinition,
  flagSet,
  type SessionCandidate,
  type SessionSearch,
} from './agent-definition.js';
import {
  listDirectory,
  modifiedAt,
  readFirstRecords,
  readHead,
  textOf,
  timeOf,
  uuidPattern,
} from './session-files.js';

/** Gemini CLI's `projectHash`: the SHA-256 of the project's root directory. */
export function geminiProjectHash(cwd: string): string {
  return createHash('sha256').update(cwd).digest('hex');
}

/** The metadata of a session file: the first line of a `.jsonl`, the leading fields of a legacy `.json`. */
async function sessionMetadata(file: string): Promise<Record<string, unknown> | undefined> {
  if (file.endsWith('.jsonl')) return (await readFirstRecords(file, 1))[0];
  const head = await readHead(file, 4096);
  if (head === undefined) return undefined;
  const field = (name: string) => head.match(new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]*)"`))?.[1];
  return { sessionId: field('sessionId'), projectHash: field('projectHash'), startTime: field('startTime') };
}

async function findGeminiSessions(search: SessionSearch): Promise<SessionCandidate[]> {
  // GEMINI_CLI_HOME replaces the home directory that `.gemini` is found in.
  const home = search.environment.GEMINI_CLI_HOME?.startsWith('/')
    ? search.environment.GEMINI_CLI_HOME
    : search.home;
  const temporary = join(home, '.gemini', 'tmp');
  const hash = geminiProjectHash(search.cwd);
  const candidates: SessionCandidate[] = [];
  // The project's folder is a hash (older versions) or a short name from `projects.json`: every
  // folder is read, and the sessions are told by the project hash they record.
  for (const project of await listDirectory(temporary)) {
    const chats = join(temporary, project, 'chats');
    for (const name of await listDirectory(chats)) {
      if (!name.startsWith('session-') || !(name.endsWith('.jsonl') || name.endsWith('.json'))) continue;
      const file = join(chats, name);
      const metadata = await sessionMetadata(file);
      const updatedAt = await modifiedAt(file);
      const id = textOf(metadata?.sessionId);
      const createdAt = timeOf(metadata?.startTime);
      if (!id || !uuidPattern.test(id) || createdAt === undefined || updatedAt === undefined) continue;
      if (metadata?.projectHash !== hash) continue;
      candidates.push({ id, file, cwd: search.cwd, createdAt, updatedAt, ownerPids: [] });
    }
  }
  return candidates;
}

export const geminiCli: AgentDefinition = {
  name: 'gemini',
  title: 'Gemini CLI',
  executableNames: ['gemini'],
  scriptSuffixes: ['@google/gemini-cli/bundle/gemini.js', '@google/gemini-cli/dist/index.js'],
  environmentNames: ['GEMINI_CLI_HOME'],
  createsSessionAtStart: true,
  sessionIdPattern: uuidPattern,
  argumentRules: {
    valueFlags: flagSet(
      '-m',
      '--model',
      '-p',
      '--prompt',
      '-i',
      '--prompt-interactive',
      '-w',
      '--worktree',
      '--approval-mode',
      '--policy',
      '--admin-policy',
      '--allowed-mcp-server-names',
      '--allowed-tools',
      '-e',
      '--extensions',
      '--include-directories',
      '-o',
      '--output-format',
      '--session-file',
      '--session-id',
    ),
    oneShotFlags: flagSet(
      '-p',
      '--prompt',
      '-i',
      '--prompt-interactive',
      '-o',
      '--output-format',
      '--acp',
      '--experimental-acp',
    ),
    sessionFlags: flagSet('-r', '--resume', '--session-id', '--session-file'),
    sessionIdFlags: flagSet('-r', '--resume', '--session-id'),
    optionalValueFlags: flagSet('-r', '--resume'),
    positionalPrompt: true,
    oneShotSubcommands: flagSet(),
    resumeSubcommand: undefined,
    otherSubcommands: flagSet('mcp', 'extensions', 'extension', 'skills', 'hooks'),
  },
  findSessions: findGeminiSessions,
  resumeArguments: (sessionId, _file, userArguments) => ['--resume', sessionId, ...userArguments],
  chooserArguments: ['--resume'],
};
