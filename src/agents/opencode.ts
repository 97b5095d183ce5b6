import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AgentDefinition,
  flagSet,
  type SessionCandidate,
  type SessionSearch,
} from './agent-definition.js';
import { listDirectory, modifiedAt, textOf, timeOf } from './session-files.js';

/** opencode's session ids: `ses_` and base-62 digits. */
const opencodeSessionId = /^ses_[A-Za-z0-9]{8,64}$/;

async function findOpencodeSessions(search: SessionSearch): Promise<SessionCandidate[]> {
  const dataHome = search.environment.XDG_DATA_HOME?.startsWith('/')
    ? search.environment.XDG_DATA_HOME
    : join(search.home, '.local', 'share');
  // `storage/session/PROJECT/ID.json`: `{id, directory, time: {created, updated}}`. Versions that
  // keep sessions in a database instead have none of these files: only an id on the command line
  // then tells the session.
  const root = join(dataHome, 'opencode', 'storage', 'session');
  const candidates: SessionCandidate[] = [];
  for (const project of await listDirectory(root)) {
    for (const name of await listDirectory(join(root, project))) {
      if (!name.endsWith('.json')) continue;
      const file = join(root, project, name);
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      } catch {
        continue;
      }
      const id = textOf(record.id);
      const time =
        typeof record.time === 'object' && record.time !== null
          ? (record.time as Record<string, unknown>)
          : {};
      const createdAt = timeOf(time.created);
      const updatedAt = timeOf(time.updated) ?? (await modifiedAt(file));
      if (!id || !opencodeSessionId.test(id) || createdAt === undefined || updatedAt === undefined) continue;
      if (textOf(record.directory) !== search.cwd) continue;
      // A child session (a subagent's) is not one to resume.
      if (textOf(record.parentID)) continue;
      candidates.push({ id, file, cwd: search.cwd, createdAt, updatedAt, ownerPids: [] });
    }
  }
  return candidates;
}

export const opencode: AgentDefinition = {
  name: 'opencode',
  title: 'opencode',
  executableNames: ['opencode'],
  scriptSuffixes: ['opencode-ai/bin/opencode', 'opencode-ai/bin/opencode.exe'],
  environmentNames: ['XDG_DATA_HOME'],
  createsSessionAtStart: false,
  sessionIdPattern: opencodeSessionId,
  argumentRules: {
    valueFlags: flagSet(
      '-m',
      '--model',
      '--agent',
      '--port',
      '--hostname',
      '--log-level',
      '-s',
      '--session',
      '--prompt',
    ),
    oneShotFlags: flagSet('--prompt'),
    sessionFlags: flagSet('-s', '--session', '-c', '--continue'),
    sessionIdFlags: flagSet('-s', '--session'),
    optionalValueFlags: flagSet(),
    // `opencode PATH` opens a project directory: kept.
    positionalPrompt: false,
    oneShotSubcommands: flagSet('run'),
    resumeSubcommand: undefined,
    otherSubcommands: flagSet(
      'serve',
      'web',
      'auth',
      'models',
      'upgrade',
      'github',
      'mcp',
      'agent',
      'stats',
      'export',
      'import',
      'acp',
      'uninstall',
    ),
  },
  findSessions: findOpencodeSessions,
  resumeArguments: (sessionId, _file, userArguments) => ['--session', sessionId, ...userArguments],
  chooserArguments: ['--continue'],
};
