import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parsePsTable, processGroupOf } from './foreground-process.js';

/** Does the pane's process have a child the user started? Unknown counts as yes. */
export type PaneRunsJobs = (panePid: number) => Promise<boolean>;

/**
 * A shell with a job (`sleep 600 &`, a disowned download) has a child in a process group of its
 * own: an interactive shell gives each job its group. Children in the shell's own group are its
 * start-up work (command substitutions of a prompt) and pass. Unknown answers count as a job: the
 * question decides whether a session may be killed, and only a clear "no" allows it.
 */
export function paneRunsJobs(options: { platform?: NodeJS.Platform } = {}): PaneRunsJobs {
  return (options.platform ?? process.platform) === 'linux' ? runsJobsWithProcfs : runsJobsWithPs;
}

async function runsJobsWithProcfs(panePid: number): Promise<boolean> {
  try {
    const group = processGroupOf(readFileSync(`/proc/${panePid}/stat`, 'utf8'));
    const children = readFileSync(`/proc/${panePid}/task/${panePid}/children`, 'utf8')
      .split(' ')
      .filter((part) => part.trim() !== '')
      .map(Number);
    return children.some((child) => {
      try {
        return processGroupOf(readFileSync(`/proc/${child}/stat`, 'utf8')) !== group;
      } catch {
        // The child exited between the two reads: it is no job any more.
        return false;
      }
    });
  } catch {
    return true;
  }
}

async function runsJobsWithPs(panePid: number): Promise<boolean> {
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(
      'ps',
      ['-ax', '-o', 'pid=', '-o', 'ppid=', '-o', 'pgid=', '-o', 'tpgid=', '-o', 'args='],
      { maxBuffer: 64 * 1024 * 1024, timeout: 5000 },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
  if (output === undefined) return true;
  const table = parsePsTable(output);
  const pane = table.get(panePid);
  if (!pane) return true;
  return [...table.values()].some((row) => row.parent === panePid && row.group !== pane.group);
}
