import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hookProcess } from '../../../src/hooks/run-hook.js';

const savePath = 'C:\\Users\\ana\\AppData\\Local\\continuum\\saves\\a & b; $(x).json';

describe('hookProcess: how a hook runs on each platform', () => {
  it('Unix: /bin/sh -c with the command as written and the save path as $1', () => {
    const started = hookProcess('post-save-layout', 'echo "$1" >> log;', [savePath], 'linux', {});
    assert.deepEqual(started, {
      file: '/bin/sh',
      args: ['-c', 'echo "$1" >> log;', 'continuum-hook-post-save-layout', savePath],
      detached: true,
      windowsVerbatimArguments: false,
    });
  });

  it('Windows: PowerShell by default, the command encoded, the save path nowhere in the arguments', () => {
    const command = 'Add-Content log "saved $env:CONTINUUM_SAVE_FILE"';
    const started = hookProcess('post-save-layout', command, [savePath], 'win32', {});
    assert.equal(started.file, 'powershell.exe');
    assert.deepEqual(started.args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-EncodedCommand']);
    assert.equal(started.args.length, 4);
    // What PowerShell decodes is exactly the command, quotes and all.
    assert.equal(Buffer.from(started.args[3]!, 'base64').toString('utf16le'), command);
    assert.ok(!started.args.some((argument) => argument.includes('a & b')));
    assert.equal(started.detached, false);
  });

  it('Windows: CONTINUUM_HOOK_SHELL=pwsh or cmd', () => {
    assert.equal(
      hookProcess('post-save-all', 'x', [], 'win32', { CONTINUUM_HOOK_SHELL: 'pwsh' }).file,
      'pwsh.exe',
    );
    const cmd = hookProcess(
      'post-save-layout',
      'copy "%CONTINUUM_SAVE_FILE%" D:\\backup',
      [savePath],
      'win32',
      {
        CONTINUUM_HOOK_SHELL: 'CMD',
        ComSpec: 'C:\\Windows\\system32\\cmd.exe',
      },
    );
    assert.deepEqual(cmd, {
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', '"copy "%CONTINUUM_SAVE_FILE%" D:\\backup"'],
      detached: false,
      windowsVerbatimArguments: true,
    });
  });
});
