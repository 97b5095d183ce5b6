import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  bindingCommand,
  findInstalledHooks,
  newestEntry,
  replaceStatusPlaceholder,
  runShellArgument,
  sessionCreatedEntries,
  sessionCreatedHook,
} from '../../../src/integration/tmux-integration.js';
import { quoteForSh } from '../../../src/shell-quote.js';

function shellArguments(command: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // printf prints each argument /bin/sh passes it on its own line, exactly as run-shell would run it.
    execFile('/bin/sh', ['-c', `printf '%s\\n' ${command}`], (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.split('\n').slice(0, -1));
    });
  });
}

describe('tmux integration strings', () => {
  const awkward = [
    '/opt/my plug#in/dist/continuum.js',
    "it's",
    '$HOME',
    '`id`',
    '"quoted"',
    'a\\b',
    ';',
    '#{pid}',
  ];

  it('quotes arguments so /bin/sh gives them back unchanged', async () => {
    assert.deepEqual(await shellArguments(awkward.map(quoteForSh).join(' ')), awkward);
  });

  it('doubles # for run-shell, which expands formats before the shell sees the command', () => {
    assert.equal(runShellArgument(['/a#b/c', 'x']), "'/a##b/c' 'x'");
  });

  it('builds bindings as argument arrays and a hook tmux reads back', () => {
    assert.deepEqual(bindingCommand('C-s', ['/usr/bin/node', '/x y/c.js'], 'save'), [
      'bind-key',
      'C-s',
      'run-shell',
      '-b',
      "'/usr/bin/node' '/x y/c.js' 'hook' 'save'",
    ]);
    const hook = sessionCreatedHook(['/usr/bin/node', '/x y/c.js', '-L', 'work']);
    assert.match(hook, /^'if-shell' '-F' '#\{&&:#\{==:#\{@continuum-restore\},on\}/);
    assert.match(hook, /hook/);
  });

  it('finds exactly the hook init recorded, never another that mentions `hook session-created`', () => {
    const ours = `if-shell -F "#{&&:#{==:#{@continuum-restore},on},#{==:#{@continuum-auto-restore-claim},}}" "run-shell -b \\"'/usr/bin/node' '/c.js' 'hook' 'session-created'\\""`;
    const output = [
      'session-created[0] set-option -g @other-plugin yes',
      'session-created[2] run-shell "echo hook session-created other-plugin"',
      `session-created[3] ${ours}`,
      // The same CLI with other arguments (another server, an older install): not what init recorded.
      `session-created[5] ${ours.replace("'/c.js'", "'/c.js' '-L' 'x'")}`,
    ].join('\n');
    const entries = sessionCreatedEntries(output);
    assert.deepEqual(
      entries.map((entry) => entry.index),
      [0, 2, 3, 5],
    );
    assert.deepEqual(findInstalledHooks(entries, ours), [{ index: 3, command: ours }]);
    assert.deepEqual(findInstalledHooks(entries, ''), [], 'nothing recorded: nothing is ours');
    assert.equal(newestEntry(entries)?.index, 5);
    assert.equal(newestEntry([]), undefined);
  });

  it('points #{continuum_status} at the option the daemon keeps current', () => {
    assert.equal(
      replaceStatusPlaceholder('#{continuum_status} | %H:%M #{continuum_status}'),
      '#{@continuum-status} | %H:%M #{@continuum-status}',
    );
    assert.equal(replaceStatusPlaceholder('plain'), 'plain');
  });
});
