import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSetting, settingValue } from '../../../src/settings/setting.js';
import {
  environmentSettings,
  optionSettings,
  settingProblems,
  settingsFrom,
  storeOptionNames,
} from '../../../src/settings/settings.js';

const { autoRestore, deleteBackupAfter, paneContentsLines, saveInterval, saveKey } = optionSettings;

describe('the settings table', () => {
  it('reads tmux-resurrect and tmux-continuum values as the plugins did', () => {
    assert.equal(settingValue(autoRestore, 'on'), true);
    assert.equal(settingValue(autoRestore, 'off'), false);
    assert.equal(settingValue(autoRestore, 'On'), false, 'only `on` as written counts');
    assert.equal(settingValue(saveInterval, '0'), 0);
    assert.equal(settingValue(saveInterval, '5'), 5);
    assert.equal(settingValue(saveInterval, ' 30 '), 30);
    assert.equal(settingValue(saveInterval, '2.5'), 2.5);
    assert.equal(settingValue(saveInterval, '   '), 15, 'blank means the default');
    assert.equal(settingValue(saveInterval, '-1'), 15);
    assert.equal(settingValue(saveInterval, 'often'), 15);
    assert.equal(settingValue(deleteBackupAfter, '7'), 7);
    assert.equal(settingValue(deleteBackupAfter, '0'), 30);
    assert.equal(settingValue(deleteBackupAfter, undefined), 30);
    assert.equal(settingValue(paneContentsLines, '500'), 500);
    assert.equal(settingValue(paneContentsLines, '1e3'), 1000);
    assert.equal(settingValue(paneContentsLines, '2.5'), 2000);
    assert.equal(settingValue(paneContentsLines, '0'), 2000);
    assert.equal(settingValue(saveKey, ''), 'C-s');
    assert.equal(settingValue(saveKey, 'M-s'), 'M-s');
    assert.deepEqual(settingValue(optionSettings.systemdStartCommand, ' new-session  -s main '), [
      'new-session',
      '-s',
      'main',
    ]);
    assert.equal(settingValue(optionSettings.agentsStartUnknown, ' YES '), true);
    assert.equal(settingValue(optionSettings.agentsStartUnknown, 'no'), false);
    assert.equal(settingValue(optionSettings.saveUnnamed, ' auto '), 'auto');
    assert.equal(settingValue(optionSettings.saveUnnamed, 'sometimes'), undefined);
    assert.equal(settingValue(optionSettings.overwrite, ' on '), true);
  });

  it('bounds the environment variables (one bounded-integer schema)', () => {
    const { daemonPoll, hookTimeout, muxTimeout } = environmentSettings;
    for (const accepted of ['100', '10000', '3600000', ' 250 '])
      assert.equal(readSetting(muxTimeout, accepted).valid, true, accepted);
    for (const refused of ['99', '3600001', '1.5', 'soon', '-100'])
      assert.equal(readSetting(muxTimeout, refused).valid, false, refused);
    assert.equal(readSetting(daemonPoll, '10').valid, true);
    assert.equal(readSetting(daemonPoll, '9').valid, false);
    assert.equal(readSetting(daemonPoll, '  ').valid, false, '--poll refused a blank value before');
    assert.equal(settingValue(hookTimeout, '1'), 1);
    assert.equal(settingValue(hookTimeout, '0'), 60000);
  });

  it('names a refused value and what is allowed', () => {
    assert.deepEqual(
      settingProblems(
        new Map([
          ['@continuum-restore', 'yes'],
          ['@continuum-save-interval', 'often'],
          ['@resurrect-pane-contents-area', 'visible'],
          ['@continuum-status', 'anything continuum wrote'],
        ]),
        { CONTINUUM_HOOK_TIMEOUT_MS: 'soon', CONTINUUM_MUX_TIMEOUT_MS: '5000' },
      ),
      [
        '@continuum-save-interval is "often": a number of minutes, 0 or more',
        '@continuum-restore is "yes": on or off',
        'CONTINUUM_HOOK_TIMEOUT_MS is "soon": a whole number of milliseconds above 0',
      ],
    );
  });

  it('types the options a command read, and gives the default for the others', () => {
    const settings = settingsFrom(new Map([['@resurrect-dir', ' ~/saves ']]));
    assert.equal(settings.saveDirectory, '~/saves');
    assert.equal(settings.deleteBackupAfter, 30);
    assert.equal(settings.capturePaneContents, false);
    assert.deepEqual(storeOptionNames, ['@resurrect-dir', '@resurrect-delete-backup-after']);
  });
});
