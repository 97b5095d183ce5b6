import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SessionSearch } from '../../../src/agents/agent-definition.js';
import { claudeCode } from '../../../src/agents/claude-code.js';
import { codex } from '../../../src/agents/codex.js';
import { copilotCli } from '../../../src/agents/copilot-cli.js';
import { geminiCli } from '../../../src/agents/gemini-cli.js';

const idA = '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01';
const idB = '5c2b9d10-3e4f-4a6b-8c7d-9e0f1a2b3c4d';

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

  it('Copilot CLI 1.0.102: a session with no message yet (workspace.yaml alone) is not offered', async () => {
    // As the real 1.0.102 left it at its first prompt (offline, never logged in): no events.jsonl,
    // and `copilot --resume=ID` answers "No session, task, or name matched" for it.
    const idC = '98782a03-8752-4cd6-8b4f-1427ba506b8e';
    const home = join(root, 'copilot-fresh');
    const folder = join(home, '.copilot', 'session-state', idC);
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'workspace.yaml'),
      `id: ${idC}\ncwd: /work/my.project\nclient_name: github/cli\ncreated_at: 2026-12-04T10:00:04.448Z\n`,
    );
    await writeFile(join(folder, 'inuse.4257.lock'), '');
    assert.deepEqual(await copilotCli.findSessions(search({ home, pids: [4235, 4257] })), []);
  });
});
