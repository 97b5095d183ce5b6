import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** The argv of each pane's foreground program, or null when the pane's shell is in the foreground. */
export type ForegroundPrograms = ReadonlyMap<number, readonly string[] | null>;

/** What the panes' processes show, found in one pass (one `ps` call off Linux). */
export interface PaneProcesses {
  readonly programs: ForegroundPrograms;
  /**
   * The shell each pane's own process is now, by pane pid, when it is one (a path, or a name):
   * an rc file's `exec fish` replaces the shell tmux started in that same process.
   */
  readonly shells: ReadonlyMap<number, string>;
}

export type InspectForegroundPrograms = (panePids: readonly number[]) => Promise<PaneProcesses>;

const knownShells = new Set([
  'sh',
  'bash',
  'zsh',
  'fish',
  'dash',
  'ksh',
  'mksh',
  'tcsh',
  'csh',
  'nu',
  'elvish',
  'xonsh',
  'pwsh',
  'powershell',
  'ash',
  'yash',
  'oksh',
  'rc',
  'es',
]);

/** True for a login shell (`-bash`) or any common interactive shell. */
export function isShellCommand(argv0: string, userShell?: string): boolean {
  const name = basename(argv0.replace(/^-/, ''));
  return knownShells.has(name) || (userShell !== undefined && name === basename(userShell));
}

/**
 * The terminal's foreground process group decides what the pane is running: the shell's children
 * in the background (or a pager's helper) are not the program the user sees. On Linux this reads
 * /proc (no process spawned); elsewhere one `ps` call covers every pane.
 */
export function inspectForegroundPrograms(
  options: { platform?: NodeJS.Platform; userShell?: string | undefined } = {},
): InspectForegroundPrograms {
  const platform = options.platform ?? process.platform;
  const userShell = options.userShell ?? process.env.SHELL;
  return platform === 'linux'
    ? (panePids) => inspectWithProcfs(panePids, userShell)
    : (panePids) => inspectWithPs(panePids, userShell);
}

/** Fields after the command name in /proc/PID/stat: state ppid pgrp session tty_nr tpgid … */
export function terminalForegroundGroup(statText: string): number | undefined {
  const afterName = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const tpgid = Number(afterName[5]);
  return Number.isInteger(tpgid) && tpgid > 0 ? tpgid : undefined;
}

export function parseCmdline(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const argv = text.split('\0');
  if (argv.at(-1) === '') argv.pop();
  return argv;
}

/** Fields after the command name in /proc/PID/stat: state ppid pgrp … */
export function processGroupOf(statText: string): number | undefined {
  const pgrp = Number(statText.slice(statText.lastIndexOf(')') + 2).split(' ')[2]);
  return Number.isInteger(pgrp) && pgrp > 0 ? pgrp : undefined;
}

/** `sh -c 'tail -f log'`: a shell that only runs the command it was given (a pane created with a command). */
export function isShellRunningCommand(argv: readonly string[], userShell?: string): boolean {
  const [name, ...rest] = argv;
  return (
    name !== undefined &&
    isShellCommand(name, userShell) &&
    rest.some((argument) => /^-[A-Za-z]*c[A-Za-z]*$/.test(argument))
  );
}

/** How deep the process tree under a pane is searched; deeper trees are not interactive programs. */
const maximumTreeDepth = 8;

/**
 * procfs files are made in memory when read, so a synchronous read takes microseconds, while
 * fs/promises pays for open, fstat, read and close on the thread pool for each one: 0.4 s against
 * 0.1 s for the 2,000 reads a save of 1,000 panes makes (measured for `npm run bench`).
 */
async function readProcFile(path: string): Promise<Buffer> {
  return readFileSync(path);
}

async function readProcText(path: string): Promise<string> {
  return readFileSync(path, 'utf8');
}

async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readProcText(`/proc/${pid}/task/${pid}/children`);
    return text
      .split(' ')
      .filter((part) => part.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * A process of the foreground group found by walking down the pane's own process tree: the
 * group's leader has exited when the first command of a pipeline (`cat log | less`) is done.
 */
async function findGroupMember(panePid: number, group: number): Promise<number | undefined> {
  let level = [panePid];
  for (let depth = 0; depth < maximumTreeDepth && level.length > 0; depth += 1) {
    const next: number[] = [];
    for (const pid of level) {
      for (const child of await childrenOf(pid)) {
        const stat = await readProcText(`/proc/${child}/stat`).catch(() => '');
        if (processGroupOf(stat) === group) return child;
        next.push(child);
      }
    }
    level = next;
  }
  return undefined;
}

async function readArgv(pid: number): Promise<string[] | undefined> {
  try {
    const argv = parseCmdline(await readProcFile(`/proc/${pid}/cmdline`));
    return argv.length === 0 ? undefined : argv;
  } catch {
    return undefined;
  }
}

/**
 * The program in a pane's foreground, found from the pane's process down, never by searching the
 * whole process table (which finds other servers' panes and other users' programs).
 */
async function foregroundOfPane(panePid: number, userShell: string | undefined): Promise<string[] | null> {
  const stat = await readProcText(`/proc/${panePid}/stat`).catch(() => undefined);
  // The pane's process ended between list-panes and now: nothing runs there any more.
  if (stat === undefined) return null;
  const group = terminalForegroundGroup(stat) ?? panePid;
  let pid = group;
  let argv = await readArgv(group);
  if (argv === undefined) {
    const member = await findGroupMember(panePid, group);
    if (member === undefined) return null;
    pid = member;
    argv = await readArgv(member);
    if (argv === undefined) return null;
  }
  // A pane created with a command runs `sh -c COMMAND`; a shell that does not exec its last
  // command stays as the parent (job control is off, so the child shares its group).
  let wrapped = false;
  for (let depth = 0; depth < maximumTreeDepth && isShellRunningCommand(argv, userShell); depth += 1) {
    const children = await childrenOf(pid);
    if (children.length !== 1) break;
    const childArgv = await readArgv(children[0]!);
    if (childArgv === undefined) break;
    pid = children[0]!;
    argv = childArgv;
    wrapped = true;
  }
  return programOrNull(argv, pid === panePid || wrapped, userShell);
}

/**
 * The shell a pane's own process runs: its executable (a shell upgraded since shows `(deleted)`),
 * else its name when the executable cannot be read. Undefined when that is no shell (a pane
 * created running a program, or tmux's fork before it ran the shell).
 */
function paneShellFromProcfs(panePid: number, userShell: string | undefined): string | undefined {
  let shell: string;
  try {
    shell = readlinkSync(`/proc/${panePid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    try {
      shell = readFileSync(`/proc/${panePid}/comm`, 'utf8').trim();
    } catch {
      return undefined;
    }
  }
  return isShellCommand(shell, userShell) ? shell : undefined;
}

async function inspectWithProcfs(
  panePids: readonly number[],
  userShell: string | undefined,
): Promise<PaneProcesses> {
  const entries = await Promise.all(
    panePids.map(async (panePid): Promise<[number, string[] | null]> => {
      try {
        return [panePid, await foregroundOfPane(panePid, userShell)];
      } catch {
        return [panePid, null];
      }
    }),
  );
  return {
    programs: new Map(entries),
    shells: shellsOf(panePids, (pid) => paneShellFromProcfs(pid, userShell)),
  };
}

function shellsOf(
  panePids: readonly number[],
  shellOf: (panePid: number) => string | undefined,
): Map<number, string> {
  const shells = new Map<number, string>();
  for (const panePid of panePids) {
    const shell = shellOf(panePid);
    if (shell !== undefined) shells.set(panePid, shell);
  }
  return shells;
}

function programOrNull(
  argv: string[],
  isPaneProcess: boolean,
  userShell: string | undefined,
): string[] | null {
  if (argv.length === 0 || argv[0] === '') return null;
  // The pane's own process is the program only when the pane was started with a command; a
  // `sh -c` wrapper left with nothing but itself is an idle shell too.
  if (isPaneProcess && (isShellCommand(argv[0]!, userShell) || isShellRunningCommand(argv, userShell)))
    return null;
  return argv;
}

/** One row of `ps -o pid=,ppid=,pgid=,tpgid=,args=`. */
export interface ProcessRow {
  readonly pid: number;
  readonly parent: number;
  readonly group: number;
  readonly terminalGroup: number;
  readonly args: string;
}

export function parsePsTable(output: string): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  for (const line of output.split('\n')) {
    const match = line.match(/^\s*(\d+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s(.*)$/);
    if (!match) continue;
    const [, pid, parent, group, terminalGroup, args] = match;
    table.set(Number(pid), {
      pid: Number(pid),
      parent: Number(parent),
      group: Number(group),
      terminalGroup: Number(terminalGroup),
      args: (args ?? '').trim(),
    });
  }
  return table;
}

/**
 * Pure: the foreground program of one pane from a `ps` table, found the way the procfs path finds
 * it: the terminal's foreground group, looked for among the pane process and its descendants
 * only, then down through `sh -c` wrappers.
 */
export function foregroundFromTable(
  panePid: number,
  table: ReadonlyMap<number, ProcessRow>,
  userShell: string | undefined,
): string[] | null {
  const pane = table.get(panePid);
  if (!pane) return null;
  const children = new Map<number, number[]>();
  for (const row of table.values()) children.set(row.parent, [...(children.get(row.parent) ?? []), row.pid]);
  const group = pane.terminalGroup > 0 ? pane.terminalGroup : panePid;
  let found: ProcessRow | undefined = pane.group === group ? pane : undefined;
  let level = [panePid];
  for (let depth = 0; !found && depth < maximumTreeDepth && level.length > 0; depth += 1) {
    level = level.flatMap((pid) => children.get(pid) ?? []);
    // The group's leader first; any member when the leader has exited (`cat log | less`).
    found =
      level.map((pid) => table.get(pid)!).find((row) => row.pid === group) ??
      level.map((pid) => table.get(pid)!).find((row) => row.group === group);
  }
  if (!found) return null;
  // ps joins argv with spaces, so argument boundaries are a best guess off Linux.
  const argvOf = (row: ProcessRow) => row.args.split(' ').filter((part) => part !== '');
  let current = found;
  let wrapped = false;
  for (
    let depth = 0;
    depth < maximumTreeDepth && isShellRunningCommand(argvOf(current), userShell);
    depth += 1
  ) {
    const only = children.get(current.pid) ?? [];
    const child = only.length === 1 ? table.get(only[0]!) : undefined;
    if (!child) break;
    current = child;
    wrapped = true;
  }
  return programOrNull(argvOf(current), current.pid === panePid || wrapped, userShell);
}

/**
 * Pure: the shell a pane's own process runs, from a `ps` table: the first word of its arguments
 * (`-zsh` for a login shell), which an `exec` replaces; ps shows no executable path everywhere.
 */
export function paneShellFromTable(
  panePid: number,
  table: ReadonlyMap<number, ProcessRow>,
  userShell: string | undefined,
): string | undefined {
  const first = table.get(panePid)?.args.split(' ')[0]?.replace(/^-/, '');
  return first && isShellCommand(first, userShell) ? first : undefined;
}

async function inspectWithPs(
  panePids: readonly number[],
  userShell: string | undefined,
): Promise<PaneProcesses> {
  // One ps call for every pane; processes are then found by walking down from each pane's pid.
  const output = await new Promise<string>((resolve) => {
    execFile(
      'ps',
      ['-ax', '-ww', '-o', 'pid=', '-o', 'ppid=', '-o', 'pgid=', '-o', 'tpgid=', '-o', 'args='],
      // A deadline like every other child: a wedged ps must not hold up a save or a daemon lap.
      { maxBuffer: 64 * 1024 * 1024, timeout: 5000, killSignal: 'SIGKILL' },
      (error, stdout) => resolve(error ? '' : stdout),
    );
  });
  const table = parsePsTable(output);
  return {
    programs: new Map(panePids.map((panePid) => [panePid, foregroundFromTable(panePid, table, userShell)])),
    shells: shellsOf(panePids, (panePid) => paneShellFromTable(panePid, table, userShell)),
  };
}
