import { access, constants } from 'node:fs/promises';
import { findInstalledHooks, sessionCreatedEntries } from '../../integration/tmux-integration.js';
import { type Settings, stateSettings } from '../../settings/settings.js';
import {
  cliInvocation,
  continuumCommand,
  globalArgumentsFor,
  parseRecordedCli,
} from '../commands/daemon-target.js';
import type { CommandContext } from '../context.js';
import type { DoctorCheck } from './doctor-check.js';

/**
 * Whether the tmux server, in its own environment, can run the continuum its hooks and bindings
 * name. A server started from a login shell whose profile resets PATH cannot find `continuum`: a
 * `run-shell 'continuum init'` line in the config then fails unseen, and nothing auto-restores.
 */
export async function cliReachCheck(
  context: CommandContext,
  options: ReadonlyMap<string, string>,
): Promise<DoctorCheck> {
  const what = 'tmux runs continuum';
  const { dialect } = context.mux;
  const here = dialect.shellWords(cliInvocation());
  const initHere = `run \`${dialect.shellWords([...cliInvocation(), ...globalArgumentsFor(context), 'init'])}\``;
  const recorded = parseRecordedCli(options.get(stateSettings.recordedCli.name));
  // run-shell exits with the command's status; its output goes to no client (redirected anyway).
  const serverRuns = (command: string): Promise<boolean> =>
    context.mux.run(['run-shell', `${command} >/dev/null 2>&1`]).then(
      () => true,
      () => false,
    );
  if (recorded) {
    const words = dialect.shellWords(recorded);
    const runs =
      dialect.name === 'tmux'
        ? await serverRuns(dialect.runShellCommand([...recorded, '--version']))
        : await everyFileExists(recorded);
    return runs
      ? { result: 'ok', what, detail: words }
      : {
          result: 'fail',
          what,
          detail: `the server cannot run ${words}, which init recorded (moved, removed, or its node is gone)`,
          action: `${initHere} (and name that path in your tmux config, see docs/install.md)`,
        };
  }
  if (dialect.name !== 'tmux')
    return {
      result: 'warn',
      what,
      detail: 'init has not run in this server',
      action: initHere,
    };
  if (await serverRuns('command -v continuum'))
    return {
      result: 'warn',
      what,
      detail: 'init has not run in this server (tmux finds `continuum` on its PATH)',
      action: initHere,
    };
  // `PATH=…`, or `-PATH` when the server's environment has it removed.
  const path = (await context.mux.run(['show-environment', '-g', 'PATH']).catch(() => ''))
    .trim()
    .replace(/^PATH=/, '')
    .replace(/^-PATH$/, '');
  return {
    result: 'fail',
    what,
    detail: `init has not run in this server, and its PATH has no \`continuum\` (${path || 'PATH unset'}): a \`run-shell 'continuum init'\` line in your tmux config fails there`,
    action: `name it by its absolute path in the config: run-shell "${here} init" (see docs/install.md)`,
  };
}

/** Whether every file of a recorded command exists (psmux: no POSIX shell to probe with). */
async function everyFileExists(paths: readonly string[]): Promise<boolean> {
  for (const path of paths)
    if (
      !(await access(path, constants.R_OK).then(
        () => true,
        () => false,
      ))
    )
      return false;
  return true;
}

export async function integrationChecks(
  context: CommandContext,
  settings: Settings,
  options: ReadonlyMap<string, string>,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const init = `run \`${continuumCommand(context, 'init')}\` (or reload the tmux config that runs it)`;
  for (const [key, action] of [
    [settings.saveKey, 'save'],
    [settings.restoreKey, 'restore'],
  ] as const) {
    const bound = await prefixBinding(context, key);
    const ours = new RegExp(`\\bhook\\W+${action}\\b`).test(bound);
    checks.push(
      ours
        ? { result: 'ok', what: `key ${action}`, detail: `prefix ${key}` }
        : {
            result: 'fail',
            what: `key ${action}`,
            detail: bound.trim() === '' ? `prefix ${key} is not bound` : `prefix ${key} runs something else`,
            action: init,
          },
    );
  }
  const entries = sessionCreatedEntries(
    await context.mux.run(context.mux.dialect.listHooksCommand('session-created')).catch(() => ''),
  );
  const ours = findInstalledHooks(entries, options.get(stateSettings.installedHookShown.name) ?? '');
  checks.push(
    ours.length === 1
      ? { result: 'ok', what: 'auto-restore hook', detail: `session-created[${ours[0]!.index}]` }
      : ours.length === 0
        ? { result: 'fail', what: 'auto-restore hook', detail: 'not installed', action: init }
        : {
            result: 'warn',
            what: 'auto-restore hook',
            detail: `installed ${ours.length} times`,
            action: init,
          },
  );
  return checks;
}

/**
 * What `list-keys -T prefix KEY` prints. tmux 3.7c prints nothing there for a bound key, so the
 * whole table is read then and the key's line picked out (`bind-key [-r] -T prefix KEY ...`).
 */
async function prefixBinding(context: CommandContext, key: string): Promise<string> {
  const bound = await context.mux.run(['list-keys', '-T', 'prefix', key]).catch(() => '');
  if (bound.trim() !== '') return bound;
  const table = await context.mux.run(['list-keys', '-T', 'prefix']).catch(() => '');
  return table
    .split('\n')
    .filter((line) => {
      const words = line.trim().split(/\s+/);
      return words[words.indexOf('-T') + 2] === key;
    })
    .join('\n');
}
