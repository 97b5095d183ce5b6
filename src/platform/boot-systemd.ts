import { lstat, mkdir, readFile, readlink, symlink, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { errorCode } from '../errors.js';
import { writeFileAtomically } from '../files/atomic-write.js';
import {
  type BootReport,
  type BootSettings,
  type BootState,
  bootServiceName,
  type RunProgram,
} from './boot-service.js';

/**
 * Quotes one argument for a systemd Exec line (systemd.service(5), "Command lines"): inside double
 * quotes `\` and `"` are escaped; `%` (specifiers) and `$` (variables) are doubled because systemd
 * expands them even inside quotes.
 */
export function systemdQuote(argument: string): string {
  const escaped = argument
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('%', '%%')
    .replaceAll('$', '$$$$')
    .replaceAll('\n', '\\n');
  return `"${escaped}"`;
}

const execLine = (argv: readonly string[]): string => argv.map(systemdQuote).join(' ');

/**
 * Pure: the unit file. `tmux new-session -d` returns once the server runs, and the server is not
 * the only process left in the unit (the daemon `continuum init` starts is there too), so
 * Type=forking would have systemd guess a main pid, and stop everything when the guessed one
 * exits. A oneshot that remains active keeps every process until the unit is stopped.
 */
export function systemdUnit(settings: BootSettings): string {
  const server = settings.serverArguments;
  const socket = server.length > 0 ? server.join(' ') : 'the default socket';
  return [
    '[Unit]',
    `Description=tmux server on ${socket.replaceAll('%', '%%')}, started at login by continuum`,
    'Documentation=https://github.com/mux-continuum/continuum#auto-save-daemon',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `Environment=${systemdQuote(`PATH=${settings.searchPath}`)}`,
    `ExecStart=${execLine([settings.muxBinary, ...server, ...settings.startCommand])}`,
    // "-": a failed save must not keep the server from stopping; the save comes first so logout
    // leaves the newest environment on disk.
    `ExecStop=-${execLine([...settings.cli, ...server, 'save', '--quiet'])}`,
    `ExecStop=-${execLine([settings.muxBinary, ...server, 'kill-server'])}`,
    'KillMode=control-group',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

export interface SystemdLocation {
  /** `$XDG_CONFIG_HOME/systemd/user` (default `~/.config/systemd/user`). */
  readonly unitDirectory: string;
}

export function systemdLocation(environment: NodeJS.ProcessEnv, home: string): SystemdLocation {
  const configHome =
    environment.XDG_CONFIG_HOME && isAbsolute(environment.XDG_CONFIG_HOME)
      ? environment.XDG_CONFIG_HOME
      : join(home, '.config');
  return { unitDirectory: join(configHome, 'systemd', 'user') };
}

function unitPaths(settings: BootSettings, location: SystemdLocation) {
  const unitName = `${bootServiceName(settings.serverArguments)}.service`;
  const unitPath = join(location.unitDirectory, unitName);
  const wantsLink = join(location.unitDirectory, 'default.target.wants', unitName);
  return { unitName, unitPath, wantsLink };
}

/**
 * Writes the unit and links it into default.target.wants, which is what `systemctl --user enable`
 * does for `WantedBy=default.target`; doing it ourselves works without a running user manager
 * (containers, ssh-only hosts). Then asks systemd to verify and reload when it can.
 */
export async function enableSystemd(
  settings: BootSettings,
  location: SystemdLocation,
  run: RunProgram,
): Promise<BootReport> {
  const { unitPath, wantsLink } = unitPaths(settings, location);
  const done: string[] = [];
  const warnings: string[] = [];
  await mkdir(location.unitDirectory, { recursive: true, mode: 0o700 });
  // Enabling twice is no news: say what was already in place instead of "wrote" again.
  const unit = systemdUnit(settings);
  const previous = await readFile(unitPath, 'utf8').catch(() => undefined);
  if (previous !== unit) {
    await writeFileAtomically(unitPath, unit);
    done.push(`${previous === undefined ? 'wrote' : 'updated'} ${unitPath}`);
  } else {
    done.push(`already in place: ${unitPath}`);
  }
  const verdict = await verifyUnit(unitPath, run);
  if (verdict.ok) done.push(verdict.message);
  else warnings.push(verdict.message);
  await mkdir(join(location.unitDirectory, 'default.target.wants'), { recursive: true, mode: 0o700 });
  const linked = await readlink(wantsLink).catch(() => undefined);
  if (linked !== unitPath) {
    await unlink(wantsLink).catch(() => undefined);
    await symlink(unitPath, wantsLink);
    done.push(`enabled it: ${wantsLink}`);
  } else {
    done.push(`already enabled: ${wantsLink}`);
  }
  const reload = await run('systemctl', ['--user', 'daemon-reload']);
  if (reload?.code !== 0) {
    warnings.push(
      `systemctl --user daemon-reload did not run (${reload ? reload.stderr.trim() || `exit ${reload.code}` : 'systemctl not installed'}): the unit starts from the next login`,
    );
  }
  return { done, warnings };
}

/**
 * `systemd-analyze --user verify`, or, where no user manager runs (containers, CI, ssh without
 * lingering), the same check in system mode, which still parses every line and checks the binaries.
 */
export async function verifyUnit(
  unitPath: string,
  run: RunProgram,
): Promise<{ ok: boolean; message: string }> {
  let verify = await run('systemd-analyze', ['--user', 'verify', unitPath]);
  let mode = 'systemd-analyze --user verify';
  if (
    verify &&
    verify.code !== 0 &&
    /initialize manager|RuntimeDirectory|connect to bus/.test(verify.stderr)
  ) {
    verify = await run('systemd-analyze', ['verify', unitPath]);
    mode = 'systemd-analyze verify (system mode: no user manager runs here)';
  }
  if (verify === undefined)
    return { ok: false, message: 'systemd-analyze is not installed: the unit was not verified' };
  const complaints = `${verify.stderr}${verify.stdout}`.trim();
  if (verify.code !== 0 || complaints !== '')
    return { ok: false, message: `${mode}: ${complaints.split('\n').join('; ') || `exit ${verify.code}`}` };
  return { ok: true, message: `${mode} found no problem` };
}

/** Removes exactly what {@link enableSystemd} made. */
export async function disableSystemd(
  settings: BootSettings,
  location: SystemdLocation,
  run: RunProgram,
): Promise<BootReport> {
  const { unitPath, wantsLink } = unitPaths(settings, location);
  const done: string[] = [];
  for (const path of [wantsLink, unitPath]) {
    try {
      await unlink(path);
      done.push(`removed ${path}`);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
  if (done.length > 0) await run('systemctl', ['--user', 'daemon-reload']);
  return { done, warnings: [] };
}

export async function systemdState(settings: BootSettings, location: SystemdLocation): Promise<BootState> {
  const { unitPath, wantsLink } = unitPaths(settings, location);
  const exists = (path: string): Promise<boolean> =>
    lstat(path).then(
      () => true,
      () => false,
    );
  const [unit, link] = await Promise.all([exists(unitPath), exists(wantsLink)]);
  return {
    enabled: unit && link,
    files: [unit ? unitPath : undefined, link ? wantsLink : undefined].filter((path) => path !== undefined),
    detail: unit ? (link ? `enabled: ${unitPath}` : `${unitPath} exists but is not enabled`) : 'not enabled',
  };
}
