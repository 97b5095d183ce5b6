import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportedProgram } from '../../src/snapshot/reported-program.js';

describe('reportedProgram: a psmux pane program from what psmux reports', () => {
  it('pane_start_command when set, split into words with quotes kept together', () => {
    assert.deepEqual(reportedProgram('nvim "C:\\My Notes\\todo.md"', 'nvim'), [
      'nvim',
      'C:\\My Notes\\todo.md',
    ]);
    assert.deepEqual(reportedProgram('C:\\tools\\htop.exe -d 10', 'htop'), ['htop', '-d', '10']);
  });

  it('else the executable name, without .exe and without directory', () => {
    assert.deepEqual(reportedProgram('', 'nvim.exe'), ['nvim']);
    assert.deepEqual(reportedProgram('', 'ssh'), ['ssh']);
  });

  it('a shell, or nothing, is no program', () => {
    for (const shell of ['pwsh', 'pwsh.exe', 'powershell.exe', 'cmd.exe', 'bash', 'PowerShell'])
      assert.equal(reportedProgram('', shell), null, shell);
    assert.equal(reportedProgram('', ''), null);
    assert.equal(reportedProgram('pwsh -NoLogo', 'pwsh'), null);
  });
});
