import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasPopup, pickBindingCommand, pickMenuCommand } from '../../../src/integration/tmux-integration.js';

const cli = ['/usr/bin/node', "/opt/it's/continuum.js", '-L', 'work'];

describe('the picker key binding', () => {
  it('tells tmux versions with display-popup (3.2 and later) from older ones', () => {
    for (const version of ['3.2', '3.2a', '3.3a', '3.4', '3.10', '4.0', 'next-3.5', 'master'])
      assert.equal(hasPopup(version), true, version);
    for (const version of ['3.1c', '3.1', '3.0a', '2.9', '2.6', 'next-3.1'])
      assert.equal(hasPopup(version), false, version);
  });

  it('opens the picker in an 80×24 popup that closes when it exits, on tmux 3.2 and later', () => {
    assert.deepEqual(pickBindingCommand('C-t', cli, '3.3a', '/state/pick-menu-work.conf'), [
      'bind-key',
      'C-t',
      'display-popup',
      '-E',
      '-w',
      '80',
      '-h',
      '24',
      `'/usr/bin/node' '/opt/it'\\''s/continuum.js' '-L' 'work' 'pick'`,
    ]);
  });

  it('has the CLI write a menu of saves and sources it, before tmux 3.2', () => {
    assert.deepEqual(pickBindingCommand('C-t', cli, '3.1c', "/state/it's#1/pick-menu-work.conf"), [
      'bind-key',
      'C-t',
      'if-shell',
      `'/usr/bin/node' '/opt/it'\\''s/continuum.js' '-L' 'work' 'pick' '--menu'`,
      `'source-file' '-q' '/state/it'"'"'s#1/pick-menu-work.conf'`,
    ]);
  });

  it('builds the menu of the ten newest saves, keys 1 to 0, names and commands kept literal for tmux', () => {
    const saves = Array.from({ length: 12 }, (_, position) => ({
      text: `${position + 1} #1 save`,
      path: `/saves/s#${position + 1}.json`,
    }));
    const command = pickMenuCommand(saves, ['/bin/node', '/c.js']);
    // No -c: sourced from the key binding, the menu goes to the client that pressed the key.
    assert.deepEqual(command.slice(0, 3), ['display-menu', '-T', 'continuum: restore a save']);
    const items = command.slice(3);
    assert.equal(items.length, 30);
    assert.deepEqual(items.slice(0, 3), [
      '1 ##1 save',
      '1',
      // The menu expands the command once and run-shell once more: #### becomes # for the shell.
      `'run-shell' '-b' ''"'"'/bin/node'"'"' '"'"'/c.js'"'"' '"'"'hook'"'"' '"'"'restore'"'"' '"'"'/saves/s####1.json'"'"''`,
    ]);
    assert.deepEqual(items.slice(27, 29), ['10 ##1 save', '0']);
  });
});
