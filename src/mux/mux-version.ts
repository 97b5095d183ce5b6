import { execFile } from 'node:child_process';

/** How long `BINARY -V` may take: it prints a constant, so a slow answer means a wedged install. */
const versionDeadlineMilliseconds = 3000;

/**
 * The line of `BINARY -V` that names the program: tmux prints `tmux 3.3a`; psmux prints `tmux
 * 3.3.8` first too (for tools that parse tmux's line, cli.rs `print_version`) and its own
 * `psmux 3.3.8 (COMMIT DATE)` second, which is the one that says what runs. Undefined when the
 * program is absent, fails or says nothing in time.
 */
export function muxVersionLine(binary: string, environment: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['-V'],
      { env: environment, timeout: versionDeadlineMilliseconds, windowsHide: true, encoding: 'utf8' },
      (error, stdout) => {
        const line = versionLineOf(stdout);
        resolve(error || line === '' ? undefined : line);
      },
    );
  });
}

/** Pure: what `continuum --version` prints. */
export function versionLines(
  continuumVersion: string,
  dialect: string,
  muxLine: string | undefined,
): string[] {
  const lines = [
    `continuum ${continuumVersion}`,
    muxLine === undefined ? `${dialect}: not found` : `${muxLine} (dialect ${dialect})`,
  ];
  // psmux installs itself as `tmux` too: a binary of that name elsewhere than Windows gets the
  // tmux dialect, which cannot drive it.
  if (dialect === 'tmux' && muxLine !== undefined && /^psmux \d/.test(muxLine))
    lines.push('this tmux is psmux: run continuum with --mux psmux (or CONTINUUM_MUX=psmux)');
  return lines;
}

/** Pure: the line of `-V` output that names the program: psmux's own line when there is one. */
export function versionLineOf(stdout: string): string {
  const lines = stdout
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim());
  return lines.find((line) => /^psmux \d/.test(line)) ?? lines[0] ?? '';
}

/** Pure: whether `-V` output is psmux's, whatever its first line claims. */
export function isPsmuxVersion(stdout: string): boolean {
  return /^psmux \d/.test(versionLineOf(stdout));
}
