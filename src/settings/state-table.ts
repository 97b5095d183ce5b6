import { anyText, defineSetting } from './setting.js';

const state = {
  kind: 'option',
  role: 'state',
  defaultValue: '',
  defaultText: 'unset',
  schema: anyText,
  allowed: 'whatever continuum wrote',
} as const;

/**
 * The tmux options continuum sets on a server for itself. They are read like the settings (in the
 * same tmux call), but a user never sets them: doctor does not judge their values.
 */
export const stateSettings = {
  status: defineSetting({
    ...state,
    name: '@continuum-status',
    description: 'the status-line text `#{continuum_status}` shows, kept current by the daemon',
  }),
  resurrectStatus: defineSetting({
    ...state,
    name: '@resurrect-status',
    description:
      'a restore run from tmux shows its progress there (as in `@continuum-status`) and unsets it when done, as psmux-resurrect does, for status lines with `#{@resurrect-status}`',
    see: { title: 'psmux', target: 'psmux.md#psmux-resurrects-own-options' },
  }),
  restoring: defineSetting({
    ...state,
    name: '@continuum-restoring',
    description:
      'set during a restore (its pid and start time): auto-save waits, the session-created hook stands still',
  }),
  autoRestoreClaim: defineSetting({
    ...state,
    name: '@continuum-auto-restore-claim',
    description: 'set once per server lifetime by the first auto-restore, so only one caller restores',
  }),
  autoRestoreResult: defineSetting({
    ...state,
    name: '@continuum-auto-restore-result',
    description: "how this server lifetime's auto-restore ended",
  }),
  installedHook: defineSetting({
    ...state,
    name: '@continuum-installed-hook',
    description: 'the session-created hook `init` installed, as given',
  }),
  installedHookShown: defineSetting({
    ...state,
    name: '@continuum-installed-hook-shown',
    description: 'the same hook as `show-hooks` prints it: how `init` and doctor find their own entry',
  }),
  recordedCli: defineSetting({
    ...state,
    name: '@continuum-cli',
    description:
      'the node and script `init` ran with (a JSON array), for doctor to check the server can run it',
  }),
} as const;
