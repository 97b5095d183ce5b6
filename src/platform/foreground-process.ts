import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** The argv of each pane's foreground program, or null when the pane's shell is in the foreground. */
export type ForegroundPrograms = ReadonlyMap<number, readonly string[] | null>;

export type InspectForegroundPrograms = (panePids: readonly number[]) => Promise<ForegroundPrograms>;

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

async function inspectWithProcfs(
  panePids: readonly number[],
  userShell: string | undefined,
): Promise<ForegroundPrograms> {
  const entries = await Promise.all(
    panePids.map(async (panePid): Promise<[number, string[] | null]> => {
      try {
        const foreground =
          terminalForegroundGroup(await readFile(`/proc/${panePid}/stat`, 'utf8')) ?? panePid;
        const argv = parseCmdline(await readFile(`/proc/${foreground}/cmdline`));
        return [panePid, programOrNull(argv, foreground === panePid, userShell)];
      } catch {
        // The process ended between list-panes and now: nothing is running there any more.
        return [panePid, null];
      }
    }),
  );
  return new Map(entries);
}

function programOrNull(
  argv: string[],
  isPaneProcess: boolean,
  userShell: string | undefined,
): string[] | null {
  if (argv.length === 0 || argv[0] === '') return null;
  // The pane's own process is the program only when the pane was started with a command.
  if (isPaneProcess && isShellCommand(argv[0]!, userShell)) return null;
  return argv;
}

async function inspectWithPs(
  panePids: readonly number[],
  userShell: string | undefined,
): Promise<ForegroundPrograms> {
  const output = await new Promise<string>((resolve) => {
    execFile(
      'ps',
      ['-ax', '-ww', '-o', 'pid=', '-o', 'tpgid=', '-o', 'args='],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => resolve(error ? '' : stdout),
    );
  });
  const table = new Map<number, { tpgid: number; args: string }>();
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(-?\d+)\s+(.*)$/.exec(line);
    if (match) table.set(Number(match[1]), { tpgid: Number(match[2]), args: match[3] ?? '' });
  }
  const result = new Map<number, string[] | null>();
  for (const panePid of panePids) {
    const pane = table.get(panePid);
    const foreground = pane && pane.tpgid > 0 ? pane.tpgid : panePid;
    const entry = table.get(foreground);
    // ps joins argv with spaces, so argument boundaries are a best guess off Linux.
    const argv = entry ? entry.args.split(' ').filter((part) => part !== '') : [];
    result.set(panePid, programOrNull(argv, foreground === panePid, userShell));
  }
  return result;
}
