// `npm run bench -- --prompt` (and the end of every `npm run bench`): the time `continuum
// shell-init` adds to each command in each installed shell. The hooks a command triggers
// (pre-execution, history, prompt) are called in a loop inside the shell itself and timed with the
// shell's own clock, with and without the snippet loaded; no process is started per iteration, as
// none is per prompt. Figures for people to read: nothing here passes or fails.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SupportedShell, shellSnippet } from '../src/shell/shell-snippets.js';

const iterations = 1000;

/** One command's hooks in a loop, and the shell's clock (seconds) before and after it. */
const loops: Record<'bash' | 'zsh' | 'fish', (snippet: string | undefined) => string> = {
  bash: (snippet) => `${snippet ? `source ${snippet}` : ''}
start=$EPOCHREALTIME
for ((i = 0; i < ${iterations}; i++)); do
  builtin history -s "echo bench $i"
  ${snippet ? '__continuum_next=$HISTCMD; __continuum_at_prompt=1; __continuum_before_command; __continuum_next=$((HISTCMD - 1)); __continuum_prompt' : ':'}
done
end=$EPOCHREALTIME
printf '%s %s\\n' "$start" "$end"
`,
  zsh: (snippet) => `zmodload zsh/datetime
${snippet ? `source ${snippet}` : ''}
start=$EPOCHREALTIME
for ((i = 0; i < ${iterations}; i++)); do
  print -s "echo bench $i"
  ${snippet ? '__continuum_addhistory "echo bench $i"$\'\\n\'; __continuum_before_command "echo bench $i"; __continuum_precmd' : ':'}
done
end=$EPOCHREALTIME
printf '%s %s\\n' "$start" "$end"
`,
  fish: (snippet) => `${snippet ? `source ${snippet}` : ''}
set start (command date +%s.%N)
for i in (seq ${iterations})
  ${snippet ? 'emit fish_preexec "echo bench $i"; emit fish_prompt' : 'true'}
end
set end (command date +%s.%N)
printf '%s %s\\n' $start $end
`,
};

const invocations: Record<'bash' | 'zsh' | 'fish', (script: string) => string[]> = {
  bash: (script) => ['--noprofile', '--norc', '-i', script],
  zsh: (script) => ['-f', '-i', script],
  fish: (script) => ['--no-config', '-i', script],
};

function runShell(
  shell: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<{ stdout: string; ok: boolean }> {
  return new Promise((resolve) => {
    execFile(shell, args, { env: environment, timeout: 120_000 }, (error, stdout) =>
      resolve({ stdout, ok: !error }),
    );
  });
}

async function microsecondsPerCommand(
  shell: 'bash' | 'zsh' | 'fish',
  directory: string,
  snippet: string | undefined,
  environment: NodeJS.ProcessEnv,
): Promise<number | undefined> {
  const script = join(directory, `loop-${shell}-${snippet ? 'with' : 'without'}`);
  await writeFile(script, loops[shell](snippet));
  const result = await runShell(shell, invocations[shell](script), environment);
  const [start, end] = (result.stdout.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  if (start === undefined || end === undefined || !Number.isFinite(start) || !Number.isFinite(end))
    return undefined;
  return ((end - start) * 1e6) / iterations;
}

function installed(shell: string): boolean {
  return (process.env.PATH ?? '').split(':').some((directory) => existsSync(join(directory, shell)));
}

/** Prints, per installed shell, the microseconds the snippet adds to each command. */
export async function runPromptLatencyBench(): Promise<void> {
  // The runtime directory is a tmpfs on systemd systems; /dev/shm stands in for it elsewhere.
  const base = process.env.XDG_RUNTIME_DIR || (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const directory = await mkdtemp(join(base, 'continuum-prompt-bench-'));
  try {
    console.log(
      `prompt latency added by \`continuum shell-init\` (${iterations} commands; hooks timed inside the shell; records in ${base}; target < 1 ms):`,
    );
    const environment = {
      ...process.env,
      XDG_RUNTIME_DIR: directory,
      // The snippet only acts inside tmux; the hooks need no server to run.
      TMUX: `${join(directory, 'socket')},${process.pid},$0`,
      TMUX_PANE: '%0',
      HOME: directory,
      HISTFILE: join(directory, 'history'),
    };
    for (const shell of ['bash', 'zsh', 'fish'] as const satisfies readonly SupportedShell[]) {
      if (!installed(shell)) {
        console.log(`  ${shell}: not installed, skipped`);
        continue;
      }
      const snippet = join(directory, `snippet.${shell}`);
      await writeFile(snippet, shellSnippet(shell));
      const without = await microsecondsPerCommand(shell, directory, undefined, environment);
      const withSnippet = await microsecondsPerCommand(shell, directory, snippet, environment);
      if (without === undefined || withSnippet === undefined) {
        console.log(`  ${shell}: could not be measured`);
        continue;
      }
      console.log(
        `  ${shell}: ${(withSnippet - without).toFixed(0)} µs per command (${withSnippet.toFixed(0)} µs with the hooks, ${without.toFixed(0)} µs without)`,
      );
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
