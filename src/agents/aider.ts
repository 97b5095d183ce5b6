import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type AgentDefinition,
  flagSet,
  type SessionCandidate,
  type SessionSearch,
} from './agent-definition.js';
import { modifiedAt } from './session-files.js';

const defaultHistoryName = '.aider.chat.history.md';

/** aider keeps its chat history in the git repository's top folder, else in the directory it runs in. */
function historyFolder(cwd: string): string {
  for (let folder = cwd; ; folder = dirname(folder)) {
    if (existsSync(join(folder, '.git'))) return folder;
    if (dirname(folder) === folder) return cwd;
  }
}

async function findAiderHistory(search: SessionSearch): Promise<SessionCandidate[]> {
  const file = join(historyFolder(search.cwd), defaultHistoryName);
  const updatedAt = await modifiedAt(file);
  if (updatedAt === undefined) return [];
  // One history per folder: every aider there shares it, so the file is the "session".
  return [
    { id: file, file, cwd: search.cwd, createdAt: search.startedAt, updatedAt, ownerPids: [...search.pids] },
  ];
}

export const aider: AgentDefinition = {
  name: 'aider',
  title: 'aider',
  executableNames: ['aider'],
  scriptSuffixes: ['/bin/aider', '/aider/__main__.py'],
  environmentNames: [],
  createsSessionAtStart: true,
  sessionIdPattern: /^\/.+/,
  argumentRules: {
    valueFlags: flagSet(
      '--model',
      '--edit-format',
      '--chat-history-file',
      '--input-history-file',
      '--message',
      '-m',
      '--message-file',
      '-f',
      '--read',
      '--file',
      '--config',
      '-c',
      '--env-file',
      '--weak-model',
      '--editor-model',
      '--architect',
    ),
    oneShotFlags: flagSet(
      '--message',
      '-m',
      '--msg',
      '--message-file',
      '-f',
      '--commit',
      '--lint',
      '--test',
      '--show-repo-map',
      '--exit',
    ),
    sessionFlags: flagSet('--restore-chat-history', '--no-restore-chat-history'),
    sessionIdFlags: flagSet(),
    optionalValueFlags: flagSet(),
    // aider's positional words are files to add to the chat: kept.
    positionalPrompt: false,
    oneShotSubcommands: flagSet(),
    resumeSubcommand: undefined,
    otherSubcommands: flagSet(),
  },
  findSessions: findAiderHistory,
  resumeArguments: (_sessionId, _file, userArguments) => ['--restore-chat-history', ...userArguments],
  chooserArguments: ['--restore-chat-history'],
};
