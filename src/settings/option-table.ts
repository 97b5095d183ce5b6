import {
  anyText,
  boundedInteger,
  defineSetting,
  nonNegativeNumber,
  oneOf,
  onOff,
  positiveNumber,
  type SettingLink,
  trimmedOneOf,
  trimmedOnOff,
  trimmedText,
  wordList,
  yesNo,
} from './setting.js';

const files: SettingLink = { title: 'Files', target: 'files.md' };
const daemon: SettingLink = { title: 'daemon', target: 'daemon.md' };
const programs: SettingLink = { title: 'Programs', target: 'programs-and-contents.md#programs' };
const contents: SettingLink = { title: 'Pane contents', target: 'programs-and-contents.md#pane-contents' };
const hooks: SettingLink = { title: 'Hooks', target: 'programs-and-contents.md#hooks' };
const psmux: SettingLink = { title: 'psmux', target: 'psmux.md#psmux-resurrects-own-options' };
const agents: SettingLink = { title: 'Agents', target: 'agents.md' };

const option = { kind: 'option', role: 'setting' } as const;
const text = { defaultValue: '', defaultText: 'unset', schema: anyText, allowed: 'any text' } as const;
const command = { ...text, allowed: 'a shell command' } as const;
const key = { schema: anyText, allowed: 'a tmux key name', blankIsValue: true } as const;
const off = { defaultValue: false, defaultText: 'off', schema: onOff, allowed: 'on or off' } as const;

/**
 * Every tmux option a user sets (tmux-resurrect's and tmux-continuum's names, kept with their
 * meanings, and continuum's own), in the order the docs list them.
 */
export const optionSettings = {
  saveDirectory: defineSetting({
    ...option,
    name: '@resurrect-dir',
    defaultValue: '',
    defaultText: '$XDG_DATA_HOME/continuum/saves',
    schema: trimmedText,
    allowed: 'a directory',
    description: 'where saves live (`~`, `$HOME` and `$VAR` expanded); `--dir` wins',
    see: files,
  }),
  deleteBackupAfter: defineSetting({
    ...option,
    name: '@resurrect-delete-backup-after',
    defaultValue: 30,
    defaultText: '30',
    schema: positiveNumber,
    allowed: 'a number of days above 0',
    description:
      'days the thinned history of saves reaches back: every save of the last hour, hourly for a day, daily for a week, weekly up to this age; at most 100 saves and 100 MiB; never the newest save, nor the newest of a server lifetime within this age, nor the newest of the previous lifetime',
    see: files,
  }),
  saveKey: defineSetting({
    ...option,
    ...key,
    name: '@resurrect-save',
    defaultValue: 'C-s',
    defaultText: 'C-s',
    description: 'key (after the prefix) that saves',
    see: daemon,
  }),
  restoreKey: defineSetting({
    ...option,
    ...key,
    name: '@resurrect-restore',
    defaultValue: 'C-r',
    defaultText: 'C-r',
    description: 'key (after the prefix) that restores',
    see: daemon,
  }),
  pickKey: defineSetting({
    ...option,
    ...key,
    name: '@continuum-pick',
    defaultValue: 'C-t',
    defaultText: 'C-t',
    description: 'key (after the prefix) that opens the picker',
    see: { title: 'picker', target: 'commands.md#choosing-a-save-the-picker' },
  }),
  processes: defineSetting({
    ...option,
    ...text,
    defaultText: 'empty',
    allowed: 'program names, `false`, `:all:`, `~text`, `match->replacement`',
    name: '@resurrect-processes',
    description: 'more programs to restore; `false`, `:all:`, `~text`, `match->replacement`, `*`',
    see: programs,
  }),
  defaultProcesses: defineSetting({
    ...option,
    name: '@resurrect-default-processes',
    defaultValue: 'vi vim view nvim emacs man less more tail top htop irssi weechat mutt ssh',
    defaultText: 'vi vim view nvim emacs man less more tail top htop irssi weechat mutt ssh',
    schema: anyText,
    allowed: 'program names',
    description: 'the base allowlist',
    see: programs,
  }),
  vimStrategy: defineSetting({
    ...option,
    ...text,
    name: '@resurrect-strategy-vim',
    allowed: 'any text; `session` is the one acted on',
    description: '`session`: restore with `-S Session.vim` when it exists',
    see: programs,
  }),
  nvimStrategy: defineSetting({
    ...option,
    ...text,
    name: '@resurrect-strategy-nvim',
    allowed: 'any text; `session` is the one acted on',
    description: '`session`: restore with `-S Session.vim` when it exists',
    see: programs,
  }),
  resurrectStrategy: defineSetting({
    ...option,
    ...text,
    family: true,
    name: '@resurrect-strategy-PROGRAM',
    description:
      'any other program or value: the plugins run a strategy script for it; continuum runs none: `PROGRAM` starts from its saved command line and the restore says so, naming `@continuum-strategy-PROGRAM`',
    see: psmux,
  }),
  vimSessionFile: defineSetting({
    ...option,
    name: '@continuum-vim-session-file',
    defaultValue: 'Session.vim',
    defaultText: 'Session.vim',
    schema: trimmedText,
    allowed: 'a file name',
    description: 'the session file the vim strategies look for',
    see: programs,
  }),
  continuumStrategy: defineSetting({
    ...option,
    ...text,
    family: true,
    name: '@continuum-strategy-PROGRAM',
    allowed: 'a command line',
    description: "a command template typed instead of `PROGRAM`'s saved line (`*` = its arguments)",
    see: programs,
  }),
  capturePaneContents: defineSetting({
    ...option,
    ...off,
    name: '@resurrect-capture-pane-contents',
    description: "save and restore each pane's text with colours",
    see: contents,
  }),
  paneContentsArea: defineSetting<'full' | 'visible'>({
    ...option,
    name: '@resurrect-pane-contents-area',
    defaultValue: 'full',
    defaultText: 'full',
    schema: oneOf(['full', 'visible']),
    allowed: 'full or visible',
    description: '`full` (scrollback) or `visible`',
    see: contents,
  }),
  paneContentsLines: defineSetting({
    ...option,
    name: '@continuum-pane-contents-lines',
    defaultValue: 2000,
    defaultText: '2000',
    schema: boundedInteger(1),
    allowed: 'a whole number above 0',
    description: 'line limit per pane',
    see: contents,
  }),
  paneContentsExclude: defineSetting<readonly string[]>({
    ...option,
    name: '@continuum-pane-contents-exclude',
    defaultValue: [],
    defaultText: 'empty',
    schema: wordList,
    allowed: 'program names',
    description: "programs whose panes' text is never stored",
    see: contents,
  }),
  saveUnnamed: defineSetting<'auto' | 'on' | 'off' | undefined>({
    ...option,
    name: '@resurrect-save-unnamed',
    // Unset means the dialect's own default, which only the save knows.
    defaultValue: undefined,
    defaultText: '`on` (tmux), `auto` (psmux)',
    schema: trimmedOneOf(['auto', 'on', 'off']),
    allowed: 'on, off or auto',
    description:
      'sessions the server named with a bare number (`0`, `1`…): `on` saves them, `off` never, `auto` only once shaped (a second window or pane, or a program running); sessions whose names start with `__` are never saved',
    see: psmux,
  }),
  overwrite: defineSetting({
    ...option,
    ...off,
    schema: trimmedOnOff,
    name: '@resurrect-overwrite',
    description:
      '`on`: a running session of a saved name is replaced by the saved one (removed once the saved one exists, and said); one a client is attached to, or that the restore runs in, is kept renamed `NAME-N`',
    see: psmux,
  }),
  hookPostSaveLayout: defineSetting({
    ...option,
    ...command,
    name: '@resurrect-hook-post-save-layout',
    description: 'shell command run when a save is written, with its path as `$1`',
    see: hooks,
  }),
  hookPostSaveAll: defineSetting({
    ...option,
    ...command,
    name: '@resurrect-hook-post-save-all',
    description: 'shell command run after a save',
    see: hooks,
  }),
  hookPreRestoreAll: defineSetting({
    ...option,
    ...command,
    name: '@resurrect-hook-pre-restore-all',
    description: 'shell command run before a restore',
    see: hooks,
  }),
  hookPreRestorePaneProcesses: defineSetting({
    ...option,
    ...command,
    name: '@resurrect-hook-pre-restore-pane-processes',
    description: 'shell command run before programs are started again in the restored panes',
    see: hooks,
  }),
  hookPostRestoreAll: defineSetting({
    ...option,
    ...command,
    name: '@resurrect-hook-post-restore-all',
    description: 'shell command run after a restore',
    see: hooks,
  }),
  saveInterval: defineSetting({
    ...option,
    name: '@continuum-save-interval',
    defaultValue: 15,
    defaultText: '15',
    schema: nonNegativeNumber,
    allowed: 'a number of minutes, 0 or more',
    description: 'minutes between full saves by the daemon; `0` stops auto-saving',
    see: daemon,
  }),
  autoRestore: defineSetting({
    ...option,
    ...off,
    name: '@continuum-restore',
    description: '`on`: restore the newest save once when the server starts',
    see: daemon,
  }),
  boot: defineSetting({
    ...option,
    ...off,
    name: '@continuum-boot',
    description: '`on`: `init` sets up start at login',
    see: daemon,
  }),
  systemdStartCommand: defineSetting<readonly string[]>({
    ...option,
    name: '@continuum-systemd-start-cmd',
    defaultValue: ['new-session', '-d'],
    defaultText: 'new-session -d',
    schema: wordList,
    allowed: 'a tmux command',
    description: 'the tmux command the login unit runs',
    see: daemon,
  }),
  bootOptions: defineSetting({
    ...option,
    ...text,
    defaultText: 'empty',
    name: '@continuum-boot-options',
    description:
      'accepted and ignored: tmux-continuum used it to pick a macOS terminal app, which continuum does not open',
  }),
  environment: defineSetting({
    ...option,
    ...text,
    defaultText: 'empty',
    allowed: 'variable names, separated by spaces or commas',
    name: '@continuum-environment',
    description:
      "names of variables each pane's shell records and a restore sets again (with `continuum shell-init`)",
    see: { title: 'Shell integration', target: 'shell-integration.md' },
  }),
  agents: defineSetting({
    ...option,
    ...text,
    defaultText: 'empty (every known agent)',
    allowed: '`off`, `on`, or agent names',
    name: '@continuum-agents',
    description:
      'the coding agents a save recognises and a restore resumes: empty or `on` for all, `off` for none, else their names',
    see: agents,
  }),
  agentsStartUnknown: defineSetting({
    ...option,
    ...off,
    schema: yesNo,
    allowed: 'on or off (also yes/no, true/false, 1/0)',
    name: '@continuum-agents-start-unknown',
    description:
      'start an agent whose session is not known, without one, instead of leaving its command at the prompt',
    see: agents,
  }),
} as const;
