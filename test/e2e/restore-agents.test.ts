import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { literalForFormat } from '../../src/mux/script.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { startWithConfig } from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/**
 * A stand-in for each agent (the real programs need a login and a network): a node script named
 * like the agent that records its argv and, when it starts without a session to resume, writes a
 * new session the way the real agent does (docs/agents.md), then stays running.
 */
const standInScript = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const name = path.basename(process.argv[1]).replace(/\\.(c?js)$/, '') === 'cli' ? 'claude' : path.basename(process.argv[1]).replace(/\\.(c?js)$/, '');
const agent = name === 'gemini' || name === 'codex' || name === 'copilot' || name === 'claude' ? name : 'claude';
const args = process.argv.slice(2);
const home = process.env.HOME;
const cwd = process.cwd();
const resumes = args.some((word) => /^(--resume|-r|resume)(=|$)/.test(word));
const id = crypto.randomUUID();
const now = new Date().toISOString();
let held;
if (!resumes) {
  if (agent === 'claude') {
    const config = process.env.CLAUDE_CONFIG_DIR || path.join(home, '.claude');
    const folder = path.join(config, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    fs.mkdirSync(folder, { recursive: true });
    fs.mkdirSync(path.join(config, 'sessions'), { recursive: true });
    fs.writeFileSync(path.join(config, 'sessions', process.pid + '.json'), JSON.stringify({ pid: process.pid, sessionId: id, cwd, startedAt: Date.now() }));
    fs.writeFileSync(path.join(folder, id + '.jsonl'), JSON.stringify({ parentUuid: null, cwd, sessionId: id, type: 'user', message: { role: 'user', content: 'hello' }, uuid: crypto.randomUUID(), timestamp: now }) + '\\n');
  } else if (agent === 'codex') {
    const d = new Date();
    const folder = path.join(home, '.codex', 'sessions', String(d.getFullYear()), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0'));
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'rollout-' + now.slice(0, 19).replace(/:/g, '-') + '-' + id + '.jsonl');
    held = fs.openSync(file, 'a');
    fs.writeSync(held, JSON.stringify({ timestamp: now, type: 'session_meta', payload: { id, timestamp: now, cwd, originator: 'codex_cli_rs', cli_version: '0.171.0' } }) + '\\n');
  } else if (agent === 'gemini') {
    const folder = path.join(home, '.gemini', 'tmp', path.basename(cwd), 'chats');
    fs.mkdirSync(folder, { recursive: true });
    const projectHash = crypto.createHash('sha256').update(cwd).digest('hex');
    fs.writeFileSync(path.join(folder, 'session-' + now.slice(0, 16).replace(/:/g, '-') + '-' + id.slice(0, 8) + '.jsonl'), JSON.stringify({ sessionId: id, projectHash, startTime: now, lastUpdated: now, kind: 'main' }) + '\\n');
  } else if (agent === 'copilot') {
    const folder = path.join(home, '.copilot', 'session-state', id);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'events.jsonl'), JSON.stringify({ type: 'session.start', data: { sessionId: id, version: 1, startTime: now }, id: crypto.randomUUID(), timestamp: now, parentId: null }) + '\\n');
    fs.writeFileSync(path.join(folder, 'workspace.yaml'), 'id: ' + id + '\\ncwd: ' + JSON.stringify(cwd) + '\\n');
    fs.writeFileSync(path.join(folder, 'inuse.' + process.pid + '.lock'), '');
  }
}
fs.appendFileSync(process.env.CONTINUUM_TEST_AGENT_RECORD, JSON.stringify({ agent, parent: process.ppid, argv: args, created: resumes ? null : id, cwd }) + '\\n');
setInterval(() => {}, 60000);
`;

interface StandInRecord {
  readonly agent: string;
  readonly parent: number;
  readonly argv: string[];
  readonly created: string | null;
  readonly cwd: string;
}

async function records(file: string): Promise<StandInRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StandInRecord);
}

function agentOf(snapshot: Snapshot, session: string, window: number, pane: number) {
  return snapshot.sessions
    .find((s) => s.name === session)
    ?.windows.find((w) => w.index === window)
    ?.panes.find((p) => p.index === pane)?.agent;
}

describe('coding agents come back to their own conversation', () => {
  let server: TestServer;
  let recordFile: string;
  let bin: string;
  let npmScript: string;
  beforeEach(async () => {
    server = await TestServer.create();
    bin = join(server.root, 'bin');
    await mkdir(bin, { recursive: true });
    for (const name of ['claude', 'codex', 'gemini', 'copilot']) {
      await writeFile(join(bin, name), standInScript);
      await chmod(join(bin, name), 0o755);
    }
    // The npm form: node running the package's own script.
    npmScript = join(server.root, 'npm', 'lib', 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js');
    await mkdir(join(npmScript, '..'), { recursive: true });
    await writeFile(npmScript, standInScript);
    recordFile = join(server.root, 'agents.jsonl');
    server.environment.PATH = `${bin}:${process.env.PATH}`;
    server.environment.CONTINUUM_TEST_AGENT_RECORD = recordFile;
  });
  afterEach(async () => {
    await server.dispose();
  });

  async function startAgent(target: string, line: string, expectedCount: number): Promise<void> {
    // A login shell's profile resets PATH: the stand-ins are started by their full path.
    await server.tmux(
      'send-keys',
      '-t',
      target,
      '-l',
      line.replace(/^(claude|codex|gemini|copilot)\b/, `${bin}/$1`),
    );
    await server.tmux('send-keys', '-t', target, 'Enter');
    await waitFor(
      async () => (await records(recordFile)).length >= expectedCount,
      10_000,
      `${line} to start`,
    );
  }

  async function save(): Promise<Snapshot> {
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    return JSON.parse(
      await readFile(join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!), 'utf8'),
    ) as Snapshot;
  }

  it('four agents, two of them Claude Code in one directory, each resume their own session after a restart', async () => {
    const shared = join(server.home, 'shared project');
    const other = join(server.home, 'other');
    await mkdir(shared, { recursive: true });
    await mkdir(other, { recursive: true });
    await startWithConfig(server, []);
    const tmux = (...args: string[]) => server.tmux(...args);
    await tmux('new-session', '-d', '-s', 'ai', '-x', '160', '-y', '50', '-c', literalForFormat(shared));
    await tmux('split-window', '-t', '=ai:0', '-c', literalForFormat(shared));
    await tmux('split-window', '-t', '=ai:0', '-c', literalForFormat(other));
    await tmux('split-window', '-t', '=ai:0', '-c', literalForFormat(other));
    await tmux('select-layout', '-t', '=ai:0', 'tiled');
    await tmux('kill-session', '-t', '=0');
    // One Claude Code from npm (`node …/cli.js`), one native-style, in the same directory.
    await startAgent('=ai:0.0', `node '${npmScript}' --model opus`, 1);
    await startAgent('=ai:0.1', 'claude -p "summarise the log" --verbose', 2);
    await startAgent('=ai:0.2', 'codex -m o3', 3);
    await startAgent('=ai:0.3', 'gemini --yolo', 4);
    const before = await records(recordFile);
    const created = (agent: string, argvStart: string) =>
      before.find((record) => record.agent === agent && record.argv[0] === argvStart)?.created;

    const snapshot = await save();
    const saved = [0, 1, 2, 3].map((index) => agentOf(snapshot, 'ai', 0, index));
    assert.deepEqual(
      saved.map((agent) => [agent?.name, agent?.session?.id]),
      [
        ['claude', created('claude', '--model')],
        ['claude', created('claude', '-p')],
        ['codex', created('codex', '-m')],
        ['gemini', created('gemini', '--yolo')],
      ],
      JSON.stringify(saved),
    );
    assert.notEqual(saved[0]?.session?.id, saved[1]?.session?.id);
    assert.deepEqual(saved[1]?.dropped, ['-p', 'a prompt']);

    // show and doctor name each pane's agent and its session.
    const shown = await server.cli('show');
    assert.ok(shown.stdout.includes(`agent: claude, session ${created('claude', '-p')}`), shown.stdout);
    assert.ok(shown.stdout.includes('not replayed: -p, a prompt'), shown.stdout);
    const doctor = await server.cli('doctor');
    assert.match(
      doctor.stdout,
      /coding agents: Claude Code in "ai":0\.0 can be resumed; Claude Code in "ai":0\.1 can be resumed; OpenAI Codex CLI in "ai":0\.2 can be resumed; Gemini CLI in "ai":0\.3 can be resumed/,
    );

    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    await waitFor(
      async () => (await records(recordFile)).length >= 8,
      15_000,
      'the four agents to be resumed',
    );
    const resumed = (await records(recordFile)).slice(4);
    const argvOf = (agent: string, session: string | null | undefined) =>
      resumed.find((record) => record.agent === agent && record.argv.includes(session ?? '-'))?.argv;
    assert.deepEqual(argvOf('claude', created('claude', '--model')), [
      '--resume',
      created('claude', '--model'),
      '--model',
      'opus',
    ]);
    // The one-shot prompt and its flag are not replayed.
    assert.deepEqual(argvOf('claude', created('claude', '-p')), [
      '--resume',
      created('claude', '-p'),
      '--verbose',
    ]);
    assert.deepEqual(argvOf('codex', created('codex', '-m')), ['-m', 'o3', 'resume', created('codex', '-m')]);
    assert.deepEqual(argvOf('gemini', created('gemini', '--yolo')), [
      '--resume',
      created('gemini', '--yolo'),
      '--yolo',
    ]);
    assert.equal(
      resumed.filter((record) => record.created !== null).length,
      0,
      'no agent began a new session',
    );
  });

  it('a session file removed since the save: the command is left at the prompt, nothing started; hostile ids stay data', async () => {
    const project = join(server.home, "it's $(touch canary-dir)");
    await mkdir(project, { recursive: true });
    await startWithConfig(server, []);
    await server.tmux('new-session', '-d', '-s', 'ai', '-c', literalForFormat(project));
    await server.tmux('split-window', '-t', '=ai:0', '-c', literalForFormat(project));
    await server.tmux('kill-session', '-t', '=0');
    await startAgent('=ai:0.0', 'copilot --model gpt-5', 1);
    await startAgent('=ai:0.1', 'claude', 2);
    const snapshot = await save();
    const copilot = agentOf(snapshot, 'ai', 0, 0);
    assert.equal(copilot?.session?.id, (await records(recordFile))[0]?.created);
    // The copilot session is removed; the claude pane's session id is replaced with a hostile one.
    await rm(join(copilot!.session!.file, '..'), { recursive: true });
    const file = join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!);
    const edited = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
    const claudePane = edited.sessions[0]!.windows[0]!.panes.find((pane) => pane.index === 1)!;
    claudePane.agent = {
      ...claudePane.agent!,
      session: { ...claudePane.agent!.session!, id: "x'; touch canary-id; echo '$(touch canary-sub)" },
    };
    await writeFile(file, JSON.stringify(edited));

    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stderr, /GitHub Copilot CLI is not started: its session .* is gone/);
    await waitFor(async () => (await records(recordFile)).length >= 3, 15_000, 'claude to be resumed');
    const resumedClaude = (await records(recordFile))[2]!;
    assert.deepEqual(resumedClaude.argv, ['--resume', "x'; touch canary-id; echo '$(touch canary-sub)"]);
    assert.equal(resumedClaude.cwd, project);
    // The copilot pane shows the command at its prompt, not run.
    await waitFor(
      async () =>
        (await server.tmux('capture-pane', '-p', '-J', '-t', '=ai:0.0')).includes(
          'copilot --resume --model gpt-5',
        ),
      10_000,
      'the copilot command at the prompt',
    );
    assert.equal((await records(recordFile)).length, 3, 'copilot was not started');
    for (const canary of ['canary-id', 'canary-sub', 'canary-dir'])
      for (const directory of [server.home, project])
        assert.equal(existsSync(join(directory, canary)), false, `${canary} in ${directory}`);
  });
});
