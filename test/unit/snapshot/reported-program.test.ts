import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportedProgram } from '../../../src/snapshot/reported-program.js';

describe('reportedProgram: a psmux pane program from what psmux reports', () => {
  it('pane_start_command adds arguments only to the program the pane reports by name', () => {
    assert.deepEqual(reportedProgram('nvim "C:\\My Notes\\todo.md"', 'nvim'), [
      'nvim',
      'C:\\My Notes\\todo.md',
    ]);
    assert.deepEqual(reportedProgram('C:\\tools\\htop.exe -d 10', 'htop'), ['htop', '-d', '10']);
  });

  it('psmux 3.3.8 answers the default shell as the start command of every pane: not the program (#580)', () => {
    assert.deepEqual(reportedProgram('pwsh', 'nvim'), ['nvim']);
    assert.deepEqual(reportedProgram('/bin/bash', 'htop'), ['htop']);
    assert.equal(reportedProgram('pwsh', 'pwsh'), null);
    // psmux says `shell` when it cannot read the pane's process (off Windows, every idle pane).
    assert.equal(reportedProgram('/bin/bash', 'shell'), null);
  });

  it('a full command line in pane_current_command (OSC 633;E, 133;C) keeps its arguments', () => {
    assert.deepEqual(reportedProgram('pwsh', 'nvim "My Notes/todo.md" +12'), [
      'nvim',
      'My Notes/todo.md',
      '+12',
    ]);
    assert.deepEqual(reportedProgram('', 'C:\\tools\\tail.exe -f log.txt'), ['tail', '-f', 'log.txt']);
    assert.equal(reportedProgram('', 'bash -l'), null);
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
