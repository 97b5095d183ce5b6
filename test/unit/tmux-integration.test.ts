import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  bindingCommand,
  findOurHooks,
  replaceStatusPlaceholder,
  runShellArgument,
  sessionCreatedHook,
  shellQuote,
} from '../../src/daemon/tmux-integration.js';

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
    assert.deepEqual(await shellArguments(awkward.map(shellQuote).join(' ')), awkward);
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

  it("finds our session-created hook in show-hooks output, whatever tmux's re-quoting, and no other", () => {
    const output = [
      'after-new-session',
      'session-created[0] set-option -g @other-plugin yes',
      `session-created[3] if-shell -F "#{&&:#{==:#{@continuum-restore},on},#{==:#{@continuum-auto-restore-claim},}}" "'run-shell' '-b' ''\\"'\\"'/usr/bin/node'\\"'\\"' '\\"'\\"'hook'\\"'\\"' '\\"'\\"'session-created'\\"'\\"''"`,
      'session-created[4] run-shell "notify session-created"',
      'session-renamed',
    ].join('\n');
    assert.deepEqual(
      findOurHooks(output).map((entry) => entry.index),
      [3],
    );
  });

  it('points #{continuum_status} at the option the daemon keeps current', () => {
    assert.equal(
      replaceStatusPlaceholder('#{continuum_status} | %H:%M #{continuum_status}'),
      '#{@continuum-status} | %H:%M #{@continuum-status}',
    );
    assert.equal(replaceStatusPlaceholder('plain'), 'plain');
  });
});
