import { anyCaseOneOf, anyText, boundedInteger, defineSetting, type SettingLink } from './setting.js';

const environment = { kind: 'environment', role: 'setting' } as const;
const hooks: SettingLink = { title: 'Hooks', target: 'programs-and-contents.md#hooks' };
const shellIntegration: SettingLink = { title: 'Shell integration', target: 'shell-integration.md' };

/** A variable continuum sets for the user's hooks or its own shell snippets. */
const givenVariable = (name: string, description: string, see: SettingLink) =>
  defineSetting({
    kind: 'environment',
    role: 'given',
    name,
    defaultValue: '',
    defaultText: 'unset',
    schema: anyText,
    allowed: 'whatever continuum set',
    description,
    see,
  });

/** The environment variables continuum reads, and the ones it sets for hooks and its shell snippets. */
export const environmentSettings = {
  mux: defineSetting({
    ...environment,
    name: 'CONTINUUM_MUX',
    // Chosen by the platform when unset (selectMux): the table only names it.
    defaultValue: '',
    defaultText: '`tmux` (`psmux` on Windows)',
    schema: anyText,
    allowed: '`tmux`, `psmux`, `pmux` or a path',
    description: 'the multiplexer binary, as `--mux`',
    see: { title: 'Commands', target: 'commands.md' },
    blankIsValue: true,
  }),
  muxTimeout: defineSetting({
    ...environment,
    name: 'CONTINUUM_MUX_TIMEOUT_MS',
    defaultValue: 10_000,
    defaultText: '10000',
    schema: boundedInteger(100, 3_600_000),
    allowed: 'a whole number of milliseconds between 100 and 3600000',
    description: 'the deadline of one tmux call (a restore gets 20 ms more per command it sends)',
    see: { title: 'daemon', target: 'daemon.md' },
  }),
  daemonPoll: defineSetting({
    ...environment,
    name: 'CONTINUUM_DAEMON_POLL_MS',
    defaultValue: 5000,
    defaultText: '5000',
    schema: boundedInteger(10, 3_600_000),
    allowed: 'a whole number of milliseconds between 10 and 3600000',
    description: "the time between two of the daemon's laps, as `--poll`",
    see: { title: 'daemon', target: 'daemon.md' },
    blankIsValue: true,
  }),
  hookTimeout: defineSetting({
    ...environment,
    name: 'CONTINUUM_HOOK_TIMEOUT_MS',
    defaultValue: 60_000,
    defaultText: '60000',
    schema: boundedInteger(1),
    allowed: 'a whole number of milliseconds above 0',
    description: 'the time limit of a hook',
    see: hooks,
  }),
  hookShell: defineSetting({
    ...environment,
    name: 'CONTINUUM_HOOK_SHELL',
    defaultValue: 'powershell',
    defaultText: 'powershell',
    schema: anyCaseOneOf(['powershell', 'pwsh', 'cmd']),
    allowed: 'powershell, pwsh or cmd',
    description: 'on Windows, the shell hooks run in',
    see: { title: 'Windows', target: 'windows.md' },
  }),
  benchReport: defineSetting({
    ...environment,
    name: 'CONTINUUM_BENCH_REPORT',
    defaultValue: '',
    defaultText: 'unset',
    schema: anyText,
    allowed: 'a file path',
    description: 'a file a restore appends its progress to as JSON lines, for `npm run bench`',
    see: { title: 'Benchmarks', target: 'benchmarks.md' },
  }),
  saveFile: givenVariable('CONTINUUM_SAVE_FILE', "set for every hook: the save's path", hooks),
  hookPoint: givenVariable('CONTINUUM_HOOK', 'set for every hook: its point (`post-save-all`, …)', hooks),
  environmentNames: givenVariable(
    'CONTINUUM_ENVIRONMENT_NAMES',
    "`@continuum-environment`'s names, set in the server's environment by `init` for the shell snippets",
    shellIntegration,
  ),
  paneIdentity: givenVariable(
    'CONTINUUM_PANE_ID',
    "a pane's identity, kept by the shell snippets and given back to a restored pane",
    shellIntegration,
  ),
  paneOwner: givenVariable(
    'CONTINUUM_PANE_OWNER',
    'the pane and server that identity belongs to, so a nested shell does not take it over',
    shellIntegration,
  ),
  restoreFile: givenVariable(
    'CONTINUUM_RESTORE_FILE',
    'set for a restored pane: the file its shell snippet reads its history and variables from, once',
    shellIntegration,
  ),
} as const;
