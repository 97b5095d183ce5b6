import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { parseCmdline } from '../platform/foreground-process.js';
import { startTicksOf } from '../platform/process-identity.js';

/** How deep under a pane's process the agent is looked for (shell, `sh -c`, a wrapper). */
const maximumDepth = 8;
/** Linux's USER_HZ: /proc reports start times in these ticks on every architecture. */
const ticksPerSecond = 100;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const text = readText(`/proc/${pid}/task/${pid}/children`) ?? '';
  return text
    .split(' ')
    .filter((part) => part.trim() !== '')
    .map(Number);
}

function argvOf(pid: number): string[] | undefined {
  try {
    return parseCmdline(readFileSync(`/proc/${pid}/cmdline`));
  } catch {
    return undefined;
  }
}

/** Only this user's processes are read further: another user's environment is not ours to read. */
function isOwn(pid: number): boolean {
  try {
    return statSync(`/proc/${pid}`).uid === process.getuid?.();
  } catch {
    return false;
  }
}

/** What continuum reads of an agent's process (procfs, Linux). */
export interface AgentProcessFacts {
  readonly pid: number;
  /** The process and its descendants (the npm wrapper's native program is its child). */
  readonly pids: readonly number[];
  readonly startedAt: number;
  readonly cwd: string | undefined;
  /** The named variables that were set in its environment. */
  readonly environment: Readonly<Record<string, string>>;
  /** Regular files its processes hold open. */
  readonly openFiles: ReadonlySet<string>;
}

export type ReadAgentProcess = (
  panePid: number,
  argv: readonly string[],
  environmentNames: readonly string[],
) => AgentProcessFacts | undefined;

function bootTimeMilliseconds(): number | undefined {
  const seconds = Number(readText('/proc/stat')?.match(/^btime (\d+)$/m)?.[1]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function descendants(pid: number): number[] {
  const found = [pid];
  let level = [pid];
  for (let depth = 0; depth < maximumDepth && level.length > 0; depth += 1) {
    level = level.flatMap(childrenOf);
    found.push(...level);
  }
  return found;
}

function openFilesOf(pids: readonly number[]): Set<string> {
  const files = new Set<string>();
  for (const pid of pids) {
    let entries: string[];
    try {
      entries = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const entry of entries) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${entry}`);
        if (target.startsWith('/')) files.add(target);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return files;
}

function environmentOf(pid: number, names: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  if (names.length === 0) return environment;
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return environment;
  }
  for (const entry of raw.toString('utf8').split('\0')) {
    const equals = entry.indexOf('=');
    const name = entry.slice(0, equals);
    if (equals > 0 && names.includes(name)) environment[name] = entry.slice(equals + 1);
  }
  return environment;
}

/**
 * The process in the pane's tree whose argv is the saved program's, found by walking down from
 * the pane's own process (never by searching the whole table), and what a session search needs
 * of it. Undefined when it is gone or belongs to another user.
 */
export const readAgentProcess: ReadAgentProcess = (panePid, argv, environmentNames) => {
  const wanted = argv.join('\0');
  let level = [panePid];
  let pid: number | undefined;
  for (let depth = 0; depth <= maximumDepth && level.length > 0 && pid === undefined; depth += 1) {
    pid = level.find((candidate) => argvOf(candidate)?.join('\0') === wanted);
    level = level.flatMap(childrenOf);
  }
  if (pid === undefined || !isOwn(pid)) return undefined;
  const ticks = startTicksOf(readText(`/proc/${pid}/stat`) ?? '');
  const boot = bootTimeMilliseconds();
  if (ticks === undefined || boot === undefined) return undefined;
  const pids = descendants(pid).filter(isOwn);
  let cwd: string | undefined;
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    cwd = undefined;
  }
  return {
    pid,
    pids,
    startedAt: boot + (ticks * 1000) / ticksPerSecond,
    cwd,
    environment: environmentOf(pid, environmentNames),
    openFiles: openFilesOf(pids),
  };
};
