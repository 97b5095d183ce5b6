import type { SessionCandidate } from './agent-definition.js';

/** One agent process of a save, with the sessions its agent wrote that may be its own. */
export interface AgentProcess {
  /** The pane it runs in. */
  readonly key: string;
  readonly agentName: string;
  /** The agent's files' location (its configuration variables) and directory: processes that share them compete. */
  readonly groupKey: string;
  /** The process and its descendants. */
  readonly pids: readonly number[];
  readonly startedAt: number;
  /** The session named on its command line (`--resume ID`). */
  readonly commandLineSession: string | undefined;
  /** The agent writes its session file as it starts. */
  readonly createsSessionAtStart: boolean;
  readonly candidates: readonly SessionCandidate[];
}

export type SessionChoice =
  | { readonly kind: 'found'; readonly id: string; readonly file: string; readonly decidedBy: string }
  | { readonly kind: 'unknown'; readonly problem: string };

/** A process's start time and a session's first record come from different clocks' rounding. */
export const startSlackMilliseconds = 2000;

const commandLineReason = 'the session named on its command line';
const ownerReason = "the agent's own record of the process running it (a lock, pid or open file)";
const timeReason = 'the only process of this agent in the directory running when the session began';
const orderReason =
  'as many sessions as processes in the directory, each begun between its process start and the next';

/**
 * Pure: the session of every agent process. Two agents in one directory each get their own, or
 * none when the evidence cannot tell them apart; nothing is guessed. In order:
 * 1. the session its command line names (`--resume ID`): a resumed agent runs that one;
 * 2. a session the agent itself marked as held by the process (Copilot's `inuse.PID.lock`,
 *    Claude Code's `sessions/PID.json`, Codex's open rollout file);
 * 3. a session that began after the process started while no other process of the same agent in
 *    the same directory was running: only it can have begun it. Of several such (the user began a
 *    new conversation inside the agent), the newest; 2 and 3 together: the newest of both;
 * 4. for agents that write their session as they start: when a directory holds exactly as many
 *    new sessions as processes, each begun after its own process and before the next one started,
 *    the k-th session is the k-th process's, since each process has one;
 * 5. otherwise no session, with the reason.
 */
export function chooseSessions(processes: readonly AgentProcess[]): Map<string, SessionChoice> {
  const choices = new Map<string, SessionChoice>();
  const groups = new Map<string, AgentProcess[]>();
  for (const process of processes)
    groups.set(process.groupKey, [...(groups.get(process.groupKey) ?? []), process]);
  for (const group of groups.values()) {
    for (const [key, choice] of chooseInGroup(group)) choices.set(key, choice);
  }
  return choices;
}

function chooseInGroup(group: readonly AgentProcess[]): Map<string, SessionChoice> {
  const choices = new Map<string, SessionChoice>();
  const allCandidates = new Map<string, SessionCandidate>();
  // Each process's search marks only its own pids as owners: the marks are merged by session.
  for (const process of group)
    for (const candidate of process.candidates) {
      const known = allCandidates.get(candidate.id);
      allCandidates.set(
        candidate.id,
        known
          ? { ...known, ownerPids: [...new Set([...known.ownerPids, ...candidate.ownerPids])] }
          : candidate,
      );
    }
  const claimedBy = new Map<string, string>();
  // 1. The command line.
  for (const process of group) {
    const id = process.commandLineSession;
    if (id === undefined) continue;
    const candidate = allCandidates.get(id);
    choices.set(process.key, {
      kind: 'found',
      id,
      file: candidate?.file ?? '',
      decidedBy: commandLineReason,
    });
    claimedBy.set(id, process.key);
  }
  // 2 and 3.
  const owned = (process: AgentProcess, candidate: SessionCandidate) =>
    candidate.ownerPids.some((pid) => process.pids.includes(pid));
  for (const process of group) {
    if (choices.has(process.key)) continue;
    const mine: { candidate: SessionCandidate; reason: string }[] = [];
    for (const candidate of allCandidates.values()) {
      const holder = claimedBy.get(candidate.id);
      if (holder !== undefined && holder !== process.key) continue;
      if (group.some((other) => other !== process && owned(other, candidate))) continue;
      if (owned(process, candidate)) {
        mine.push({ candidate, reason: ownerReason });
        continue;
      }
      const possibleOwners = group.filter(
        (other) => other.startedAt - startSlackMilliseconds <= candidate.createdAt,
      );
      if (possibleOwners.length === 1 && possibleOwners[0] === process)
        mine.push({ candidate, reason: timeReason });
    }
    const newest = mine.sort((a, b) => b.candidate.createdAt - a.candidate.createdAt)[0];
    if (newest) {
      choices.set(process.key, {
        kind: 'found',
        id: newest.candidate.id,
        file: newest.candidate.file,
        decidedBy: newest.reason,
      });
      claimedBy.set(newest.candidate.id, process.key);
    }
  }
  // 4. Order, for agents that begin their session as they start.
  const waiting = group.filter((process) => !choices.has(process.key));
  if (waiting.length > 0 && waiting.every((process) => process.createsSessionAtStart)) {
    const byStart = [...waiting].sort((a, b) => a.startedAt - b.startedAt);
    const earliest = byStart[0]!.startedAt - startSlackMilliseconds;
    const open = [...allCandidates.values()]
      .filter((candidate) => !claimedBy.has(candidate.id) && candidate.createdAt >= earliest)
      .sort((a, b) => a.createdAt - b.createdAt);
    const fits =
      open.length === byStart.length &&
      byStart.every((process, index) => {
        const created = open[index]!.createdAt;
        const next = byStart[index + 1];
        return (
          created >= process.startedAt - startSlackMilliseconds &&
          (next === undefined || created < next.startedAt - startSlackMilliseconds)
        );
      });
    if (fits) {
      byStart.forEach((process, index) => {
        const candidate = open[index]!;
        choices.set(process.key, {
          kind: 'found',
          id: candidate.id,
          file: candidate.file,
          decidedBy: orderReason,
        });
        claimedBy.set(candidate.id, process.key);
      });
    }
  }
  // 5. What is left.
  for (const process of group) {
    if (choices.has(process.key)) continue;
    const possible = [...allCandidates.values()].filter(
      (candidate) =>
        !claimedBy.has(candidate.id) && candidate.createdAt >= process.startedAt - startSlackMilliseconds,
    );
    const others = group.length - 1;
    choices.set(process.key, {
      kind: 'unknown',
      problem:
        possible.length === 0
          ? 'no session of it was found that began after it started (it may not have written one yet)'
          : `${possible.length} session(s) began after it started, and ${others} other process(es) of the same agent in the same directory could have begun them: they cannot be told apart`,
    });
  }
  return choices;
}
