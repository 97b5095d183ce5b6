import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAgentArguments } from '../../../src/agents/agent-arguments.js';
import { claudeCode } from '../../../src/agents/claude-code.js';
import { codex } from '../../../src/agents/codex.js';
import { copilotCli } from '../../../src/agents/copilot-cli.js';
import { geminiCli } from '../../../src/agents/gemini-cli.js';

const idA = '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01';
const idB = '5c2b9d10-3e4f-4a6b-8c7d-9e0f1a2b3c4d';

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
