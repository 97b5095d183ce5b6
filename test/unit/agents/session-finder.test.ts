import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AgentProcess, chooseSessions } from '../../../src/agents/session-finder.js';

const idA = '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01';
const idB = '5c2b9d10-3e4f-4a6b-8c7d-9e0f1a2b3c4d';

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
