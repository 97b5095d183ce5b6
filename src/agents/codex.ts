import { join } from 'node:path';
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

const dayMilliseconds = 24 * 60 * 60 * 1000;

/** The `sessions/YYYY/MM/DD` folders of days from the day before the process started on. */
async function dayFolders(root: string, startedAt: number): Promise<string[]> {
  const earliest = new Date(startedAt - 2 * dayMilliseconds);
  const floor = earliest.getFullYear() * 10_000 + (earliest.getMonth() + 1) * 100 + earliest.getDate();
  const folders: string[] = [];
  for (const year of await listDirectory(root)) {
    if (!/^\d{4}$/.test(year)) continue;
    for (const month of await listDirectory(join(root, year))) {
      if (!/^\d{2}$/.test(month)) continue;
      for (const day of await listDirectory(join(root, year, month))) {
        if (!/^\d{2}$/.test(day)) continue;
        if (Number(year) * 10_000 + Number(month) * 100 + Number(day) >= floor)
          folders.push(join(root, year, month, day));
      }
    }
  }
  return folders;
}

async function findCodexSessions(search: SessionSearch): Promise<SessionCandidate[]> {
  const root = join(
    configurationDirectory(search.environment, 'CODEX_HOME', search.home, '.codex'),
    'sessions',
  );
  const candidates: SessionCandidate[] = [];
  for (const folder of await dayFolders(root, search.startedAt)) {
    for (const name of await listDirectory(folder)) {
      if (!name.startsWith('rollout-') || !name.endsWith('.jsonl')) continue;
      const file = join(folder, name);
      const [first] = await readFirstRecords(file, 1);
      const updatedAt = await modifiedAt(file);
      if (!first || updatedAt === undefined) continue;
      // `{"timestamp", "type": "session_meta", "payload": {"id", "timestamp", "cwd", …}}`; the
      // first versions wrote the meta fields at the top level, without `cwd`.
      const meta =
        first.type === 'session_meta' && typeof first.payload === 'object' && first.payload !== null
          ? (first.payload as Record<string, unknown>)
          : first;
      const id = textOf(meta.id);
      const createdAt = timeOf(meta.timestamp) ?? timeOf(first.timestamp);
      if (!id || !uuidPattern.test(id) || createdAt === undefined) continue;
      const cwd = textOf(meta.cwd);
      if (cwd !== undefined && cwd !== search.cwd) continue;
      candidates.push({
        id,
        file,
        cwd,
        createdAt,
        updatedAt,
        // Codex keeps its rollout file open while the session runs.
        ownerPids: search.openFiles.has(file) ? [...search.pids] : [],
      });
    }
  }
  return candidates;
}

export const codex: AgentDefinition = {
  name: 'codex',
  title: 'OpenAI Codex CLI',
  executableNames: ['codex'],
  scriptSuffixes: ['@openai/codex/bin/codex.js'],
  environmentNames: ['CODEX_HOME'],
  createsSessionAtStart: false,
  sessionIdPattern: uuidPattern,
  argumentRules: {
    valueFlags: flagSet(
      '-m',
      '--model',
      '-c',
      '--config',
      '-p',
      '--profile',
      '-s',
      '--sandbox',
      '-a',
      '--ask-for-approval',
      '-C',
      '--cd',
      '-i',
      '--image',
      '--add-dir',
      '--local-provider',
      '--enable',
      '--disable',
    ),
    oneShotFlags: flagSet(),
    sessionFlags: flagSet('--last'),
    sessionIdFlags: flagSet(),
    optionalValueFlags: flagSet(),
    positionalPrompt: true,
    oneShotSubcommands: flagSet('exec', 'e', 'review'),
    resumeSubcommand: 'resume',
    otherSubcommands: flagSet(
      'login',
      'logout',
      'mcp',
      'mcp-server',
      'app-server',
      'completion',
      'sandbox',
      'debug',
      'apply',
      'a',
      'cloud',
      'features',
      'help',
      'fork',
    ),
  },
  findSessions: findCodexSessions,
  // `codex [OPTIONS] resume SESSION_ID`: the user's options stay before the subcommand.
  resumeArguments: (sessionId, _file, userArguments) => [...userArguments, 'resume', sessionId],
  chooserArguments: ['resume'],
};
