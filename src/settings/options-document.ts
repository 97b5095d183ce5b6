import type { Setting } from './setting.js';
import { environmentSettings, optionSettings, stateSettings } from './settings.js';

const code = (text: string): string => `\`${text}\``;

/** A default that is itself a value is printed as code; a phrase (`unset`, `empty`) as written. */
const defaultCell = (setting: Setting<unknown>): string =>
  /^(unset|empty)\b|`/.test(setting.defaultText) ? setting.defaultText : code(setting.defaultText);

const seeCell = (setting: Setting<unknown>): string =>
  setting.see ? `[${setting.see.title}](${setting.see.target})` : '';

function table(settings: readonly Setting<unknown>[], heading: string): string[] {
  return [
    `| ${heading} | default | allowed | meaning | see |`,
    '|---|---|---|---|---|',
    ...settings.map(
      (setting) =>
        `| ${code(setting.name)} | ${defaultCell(setting)} | ${setting.allowed} | ${setting.description} | ${seeCell(setting)} |`,
    ),
  ];
}

/** docs/options.md, made from the settings table (`node scripts/generate-options-doc.mjs` writes it). */
export function optionsDocument(): string {
  const environment = Object.values(environmentSettings) as Setting<unknown>[];
  return [
    '# Options',
    '',
    '<!-- Made from src/settings/ by `node scripts/generate-options-doc.mjs`; edit the table there, not this file. -->',
    '',
    'Set them in `~/.tmux.conf` with `set -g`, as for tmux-resurrect and tmux-continuum. They are read',
    'when a command runs (the daemon reads them on every lap), so a changed value needs no restart. A',
    'value that is not allowed means the default, as the plugins read theirs; `continuum doctor` names',
    'each such value and what is allowed.',
    '',
    ...table(Object.values(optionSettings), 'option'),
    '',
    '## Options continuum sets on the server',
    '',
    'Do not set them yourself: continuum writes them and reads them back.',
    '',
    ...table(Object.values(stateSettings), 'option'),
    '',
    '## Environment variables',
    '',
    ...table(
      environment.filter((setting) => setting.role === 'setting'),
      'variable',
    ),
    '',
    'Also read: `TMUX` (the server, inside tmux), `TMUX_TMPDIR`, `XDG_DATA_HOME`, `XDG_STATE_HOME`,',
    "`XDG_CONFIG_HOME` (the systemd unit's place).",
    '',
    '## Environment variables continuum sets',
    '',
    'For your hooks, and for the shell snippets of `continuum shell-init`.',
    '',
    ...table(
      environment.filter((setting) => setting.role === 'given'),
      'variable',
    ),
    '',
  ].join('\n');
}
