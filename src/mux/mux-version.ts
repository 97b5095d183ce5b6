import { execFile } from 'node:child_process';

/** How long `BINARY -V` may take: it prints a constant, so a slow answer means a wedged install. */
const versionDeadlineMilliseconds = 3000;

/**
 * The first line `BINARY -V` prints (`tmux 3.3a`; psmux prints its own name and version, never
 * verified here), or undefined when the program is absent, fails or says nothing in time.
 */
export function muxVersionLine(binary: string, environment: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['-V'],
      { env: environment, timeout: versionDeadlineMilliseconds, windowsHide: true, encoding: 'utf8' },
      (error, stdout) => {
        const line =
          stdout
            .replace(/^\uFEFF/, '')
            .split(/\r?\n/)[0]
            ?.trim() ?? '';
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
  return [
    `continuum ${continuumVersion}`,
    muxLine === undefined ? `${dialect}: not found` : `${muxLine} (dialect ${dialect})`,
  ];
}
