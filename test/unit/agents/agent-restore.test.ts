import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAgentStart } from '../../../src/agents/agent-restore.js';
import { agentSettingsFrom } from '../../../src/agents/agent-settings.js';
import type { PaneAgentSnapshot } from '../../../src/snapshot/schema.js';

const idA = '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01';

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
