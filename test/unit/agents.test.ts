import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAgentArguments } from '../../src/agents/agent-arguments.js';
import { recognisePane } from '../../src/agents/agent-capture.js';
import type { SessionSearch } from '../../src/agents/agent-definition.js';
import { recogniseAgent } from '../../src/agents/agent-registry.js';
import { decideAgentStart } from '../../src/agents/agent-restore.js';
import { agentSettingsFrom } from '../../src/agents/agent-settings.js';
import { claudeCode } from '../../src/agents/claude-code.js';
import { codex } from '../../src/agents/codex.js';
import { copilotCli } from '../../src/agents/copilot-cli.js';
import { geminiCli } from '../../src/agents/gemini-cli.js';
import { type AgentProcess, chooseSessions } from '../../src/agents/session-finder.js';
import { reportedProgram } from '../../src/snapshot/reported-program.js';
import type { PaneAgentSnapshot, PaneSnapshot } from '../../src/snapshot/schema.js';

const idA = '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01';
const idB = '5c2b9d10-3e4f-4a6b-8c7d-9e0f1a2b3c4d';

describe('agents are recognised however they were installed', () => {
  it('native executables, Homebrew paths, npm scripts run by node and npm bin links', () => {
    const cases: [string[], string, string[]][] = [
      [['claude', '--model', 'opus'], 'claude', ['claude']],
      [['/home/u/.local/bin/claude'], 'claude', ['/home/u/.local/bin/claude']],
      [['/opt/homebrew/bin/codex'], 'codex', ['/opt/homebrew/bin/codex']],
      [
        ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', '-c'],
        'claude',
        ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'],
      ],
      [
        ['/usr/bin/node', '--no-warnings', '/usr/local/lib/node_modules/@openai/codex/bin/codex.js'],
        'codex',
        ['/usr/bin/node', '--no-warnings', '/usr/local/lib/node_modules/@openai/codex/bin/codex.js'],
      ],
      [
        ['node', '/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js'],
        'gemini',
        ['node', '/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js'],
      ],
      [
        ['node', '/usr/lib/node_modules/@github/copilot/npm-loader.js'],
        'copilot',
        ['node', '/usr/lib/node_modules/@github/copilot/npm-loader.js'],
      ],
      // A `#!/usr/bin/env node` script gets the path it was run by: the bin link.
      [['node', '/usr/local/bin/gemini', '-m', 'x'], 'gemini', ['node', '/usr/local/bin/gemini']],
      [['opencode'], 'opencode', ['opencode']],
      [['python3', '/home/u/.local/bin/aider', 'a.py'], 'aider', ['python3', '/home/u/.local/bin/aider']],
    ];
    for (const [argv, name, program] of cases) {
      const recognised = recogniseAgent(argv);
      assert.equal(recognised?.agent.name, name, argv.join(' '));
      assert.deepEqual(recognised?.program, program, argv.join(' '));
    }
    assert.equal(recogniseAgent(['vim', 'claude']), undefined);
    assert.equal(recogniseAgent(['node', 'server.js']), undefined);
  });

  it("a psmux pane: the reported executable name, with the shell integration's command line for the arguments", () => {
    const argv = reportedProgram('', 'C:\\Users\\u\\AppData\\Roaming\\npm\\claude.exe');
    assert.deepEqual(argv, ['claude']);
    const pane = {
      program: { argv: [...argv!] },
      shell: { name: 'pwsh', commandLine: `claude --resume ${idA} --model opus` },
    } as unknown as PaneSnapshot;
    const recognised = recognisePane(pane);
    assert.equal(recognised?.agent.name, 'claude');
    assert.deepEqual(recognised?.arguments, ['--resume', idA, '--model', 'opus']);
  });
});

describe("an agent's arguments: the user's flags kept, one-shot ones dropped by name", () => {
  const parse = (agent: typeof claudeCode, words: string[]) =>
    parseAgentArguments(words, agent.argumentRules, agent.sessionIdPattern);
  it('Claude Code', () => {
    const parsed = parse(claudeCode, ['--model', 'opus', '-p', 'secret prompt text', '--add-dir', '../lib']);
    assert.deepEqual(parsed.kept, ['--model', 'opus', '--add-dir', '../lib']);
    // `-p` is a flag without a value: the prompt is the positional word.
    assert.deepEqual(parsed.dropped, ['-p', 'a prompt']);
    assert.equal(parse(claudeCode, ['--resume', idA, '--verbose']).sessionId, idA);
    assert.deepEqual(parse(claudeCode, ['--resume', idA, '--verbose']).kept, ['--verbose']);
    assert.equal(parse(claudeCode, ['--session-id', idB]).sessionId, idB);
    assert.equal(parse(claudeCode, ['config', 'list']).notASession, true);
  });
  it('Codex: exec is dropped with its words, resume names the session', () => {
    assert.deepEqual(parse(codex, ['-m', 'o3', 'exec', '--json', 'fix it']), {
      kept: ['-m', 'o3'],
      dropped: ['exec'],
      sessionId: undefined,
      notASession: false,
    });
    assert.equal(parse(codex, ['resume', idA]).sessionId, idA);
    assert.equal(parse(codex, ['login']).notASession, true);
  });
  it('Gemini CLI and Copilot CLI', () => {
    assert.deepEqual(parse(geminiCli, ['-y', '-p', 'do it', '--resume=latest']).dropped, ['-p']);
    assert.equal(parse(copilotCli, [`--resume=${idB}`, '--model', 'gpt-5']).sessionId, idB);
    assert.deepEqual(parse(copilotCli, [`--resume=${idB}`, '--model', 'gpt-5']).kept, ['--model', 'gpt-5']);
  });
});

describe('session files in each agent’s own format', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuum-agents-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const search = (overrides: Partial<SessionSearch>): SessionSearch => ({
    home: root,
    environment: {},
    cwd: '/work/my.project',
    pids: [4242],
    openFiles: new Set(),
    startedAt: Date.parse('2026-12-04T10:00:00Z'),
    ...overrides,
  });

  it('Claude Code: projects/<folder>/<id>.jsonl and sessions/<pid>.json, under CLAUDE_CONFIG_DIR', async () => {
    const config = join(root, 'claude-config');
    const folder = join(config, 'projects', '-work-my-project');
    await mkdir(folder, { recursive: true });
    await mkdir(join(config, 'sessions'), { recursive: true });
    await writeFile(
      join(folder, `${idA}.jsonl`),
      `${JSON.stringify({ type: 'summary', summary: 'x', leafUuid: 'u' })}\n${JSON.stringify({ parentUuid: null, isSidechain: false, userType: 'external', cwd: '/work/my.project', sessionId: idA, version: '2.1.197', type: 'user', message: { role: 'user', content: 'hi' }, uuid: 'a', timestamp: '2026-12-04T10:00:05.000Z' })}\n`,
    );
    await writeFile(
      join(config, 'sessions', '4242.json'),
      JSON.stringify({ pid: 4242, sessionId: idA, cwd: '/work/my.project', startedAt: 1 }),
    );
    const found = await claudeCode.findSessions(search({ environment: { CLAUDE_CONFIG_DIR: config } }));
    assert.deepEqual(
      found.map((candidate) => [candidate.id, candidate.cwd, candidate.createdAt, candidate.ownerPids]),
      [[idA, '/work/my.project', Date.parse('2026-12-04T10:00:05Z'), [4242]]],
    );
  });

  it('Codex: sessions/YYYY/MM/DD/rollout-*.jsonl with session_meta, held open by its process', async () => {
    const day = join(root, '.codex', 'sessions', '2026', '12', '04');
    await mkdir(day, { recursive: true });
    const file = join(day, `rollout-2026-12-04T10-00-01-${idB}.jsonl`);
    await writeFile(
      file,
      `${JSON.stringify({ timestamp: '2026-12-04T10:00:01.100Z', type: 'session_meta', payload: { id: idB, timestamp: '2026-12-04T10:00:01.000Z', cwd: '/work/my.project', originator: 'codex_cli_rs', cli_version: '0.171.0' } })}\n`,
    );
    const found = await codex.findSessions(search({ openFiles: new Set([file]) }));
    assert.deepEqual(
      found.map((candidate) => [candidate.id, candidate.createdAt, candidate.ownerPids]),
      [[idB, Date.parse('2026-12-04T10:00:01Z'), [4242]]],
    );
    assert.deepEqual(await codex.findSessions(search({ cwd: '/elsewhere' })), []);
  });

  it('Gemini CLI: tmp/<project>/chats/session-*.jsonl told by the project hash', async () => {
    const chats = join(root, 'gemini-home', '.gemini', 'tmp', 'my-project', 'chats');
    await mkdir(chats, { recursive: true });
    const { createHash } = await import('node:crypto');
    const projectHash = createHash('sha256').update('/work/my.project').digest('hex');
    await writeFile(
      join(chats, `session-2026-12-04T10-00-${idA.slice(0, 8)}.jsonl`),
      `${JSON.stringify({ sessionId: idA, projectHash, startTime: '2026-12-04T10:00:02.000Z', lastUpdated: '2026-12-04T10:00:02.000Z', kind: 'main' })}\n`,
    );
    const found = await geminiCli.findSessions(
      search({ environment: { GEMINI_CLI_HOME: join(root, 'gemini-home') } }),
    );
    assert.deepEqual(
      found.map((candidate) => candidate.id),
      [idA],
    );
  });

  it('Copilot CLI: session-state/<id>/ with events.jsonl, workspace.yaml and inuse.<pid>.lock', async () => {
    const folder = join(root, '.copilot', 'session-state', idB);
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'events.jsonl'),
      `${JSON.stringify({ type: 'session.start', data: { sessionId: idB, version: 1, producer: 'copilot-agent', startTime: '2026-12-04T10:00:03.000Z' }, id: 'e1', timestamp: '2026-12-04T10:00:03.000Z', parentId: null })}\n`,
    );
    await writeFile(join(folder, 'workspace.yaml'), `id: ${idB}\ncwd: /work/my.project\n`);
    await writeFile(join(folder, 'inuse.4242.lock'), '');
    const found = await copilotCli.findSessions(search({}));
    assert.deepEqual(
      found.map((candidate) => [candidate.id, candidate.cwd, candidate.ownerPids]),
      [[idB, '/work/my.project', [4242]]],
    );
  });
});

describe('two agents in one directory each get their own session, or none', () => {
  const base = Date.parse('2026-12-04T10:00:00Z');
  const candidate = (id: string, createdSeconds: number, ownerPids: number[] = []) => ({
    id,
    file: `/s/${id}`,
    cwd: '/w',
    createdAt: base + createdSeconds * 1000,
    updatedAt: base + 999_000,
    ownerPids,
  });
  const process = (
    key: string,
    startSeconds: number,
    pid: number,
    atStart: boolean,
    candidates: ReturnType<typeof candidate>[],
  ): AgentProcess => ({
    key,
    agentName: 'x',
    groupKey: 'x /w',
    pids: [pid],
    startedAt: base + startSeconds * 1000,
    commandLineSession: undefined,
    createsSessionAtStart: atStart,
    candidates,
  });
  const ids = (choices: ReturnType<typeof chooseSessions>) =>
    Object.fromEntries(
      [...choices].map(([key, choice]) => [key, choice.kind === 'found' ? choice.id : 'unknown']),
    );

  it("by the agent's own record of its process (Claude Code's sessions/PID.json, Copilot's lock)", () => {
    const sessions = [candidate(idA, 100, [11]), candidate(idB, 50, [22])];
    assert.deepEqual(
      ids(chooseSessions([process('%1', 0, 11, false, sessions), process('%2', 10, 22, false, sessions)])),
      {
        '%1': idA,
        '%2': idB,
      },
    );
  });

  it('an owner mark found by one process search is kept when another process found the same session unmarked', () => {
    const first = [candidate(idA, 100, [11]), candidate(idB, 50)];
    const second = [candidate(idA, 100), candidate(idB, 50, [22])];
    assert.deepEqual(
      ids(chooseSessions([process('%1', 0, 11, false, first), process('%2', 10, 22, false, second)])),
      {
        '%1': idA,
        '%2': idB,
      },
    );
  });

  it('by start times when each began its session before the other started (agents that write at start)', () => {
    const sessions = [candidate(idA, 1), candidate(idB, 61)];
    assert.deepEqual(
      ids(chooseSessions([process('%1', 0, 11, true, sessions), process('%2', 60, 22, true, sessions)])),
      {
        '%1': idA,
        '%2': idB,
      },
    );
  });

  it('says it cannot tell when both were running as both sessions began', () => {
    const sessions = [candidate(idA, 100), candidate(idB, 120)];
    const choices = chooseSessions([
      process('%1', 0, 11, false, sessions),
      process('%2', 10, 22, false, sessions),
    ]);
    assert.deepEqual(ids(choices), { '%1': 'unknown', '%2': 'unknown' });
    const problem = choices.get('%2');
    assert.match(problem?.kind === 'unknown' ? problem.problem : '', /cannot be told apart/);
  });
});

describe('what a restore types into an agent pane', () => {
  const agent: PaneAgentSnapshot = {
    name: 'claude',
    program: ['node', '/opt/npm/lib/node_modules/@anthropic-ai/claude-code/cli.js'],
    arguments: ['--model', 'opus'],
    dropped: ['-p'],
    environment: { CLAUDE_CONFIG_DIR: "/home/u/it's claude" },
    session: { id: idA, file: '/s/a.jsonl', decidedBy: 'x' },
  };
  const settings = agentSettingsFrom(new Map());
  it('resumes the session with the user flags, every word quoted for the shell', () => {
    assert.deepEqual(
      decideAgentStart(agent, settings, 'posix', () => true),
      {
        kind: 'run',
        commandLine: `CLAUDE_CONFIG_DIR='/home/u/it'\\''s claude' node /opt/npm/lib/node_modules/@anthropic-ai/claude-code/cli.js --resume ${idA} --model opus`,
      },
    );
  });
  it('a hostile session id stays one quoted word', () => {
    const hostile = {
      ...agent,
      environment: {},
      session: { id: '$(touch canary); `x`', file: '', decidedBy: 'x' },
    };
    const start = decideAgentStart(hostile, settings, 'posix', () => true);
    assert.equal(
      start?.kind === 'run' && start.commandLine.includes(`--resume '$(touch canary); \`x\`'`),
      true,
    );
  });
  it('a removed session file leaves the command at the prompt, not run; on with start-unknown', () => {
    assert.equal(decideAgentStart(agent, settings, 'posix', () => false)?.kind, 'suggest');
    const starting = agentSettingsFrom(new Map([['@continuum-agents-start-unknown', 'on']]));
    assert.equal(decideAgentStart(agent, starting, 'posix', () => false)?.kind, 'run');
    assert.equal(
      decideAgentStart(
        agent,
        agentSettingsFrom(new Map([['@continuum-agents', 'off']])),
        'posix',
        () => true,
      ),
      undefined,
    );
    assert.equal(
      decideAgentStart(
        agent,
        agentSettingsFrom(new Map([['@continuum-agents', 'codex gemini']])),
        'posix',
        () => true,
      ),
      undefined,
    );
  });
});
