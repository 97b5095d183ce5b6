import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  foregroundFromTable,
  isShellRunningCommand,
  paneShellFromTable,
  parsePsTable,
} from '../../../src/platform/foreground-process.js';

// `ps -ax -ww -o pid= -o ppid= -o pgid= -o tpgid= -o args=` as procps prints it, trimmed to the panes.
const table = parsePsTable(
  [
    '  100     1   100    -1 tmux -L work new -d',
    '  200   100   200   210 -zsh',
    '  210   200   210   210 vim notes.txt',
    '  300   100   300   300 -zsh',
    '  400   100   400   400 sh -c tail -f log',
    '  401   400   400   400 tail -f log',
    '  500   100   500   520 -bash',
    '  521   500   520   520 less',
    '  600   100   600   600 top',
    '  700   100   700   999 -bash',
    '  999     1   999   999 vim elsewhere',
  ].join('\n'),
);

describe('foreground program from a ps table (macOS and other non-procfs systems)', () => {
  it('takes the terminal foreground group below the pane', () => {
    assert.deepEqual(foregroundFromTable(200, table, undefined), ['vim', 'notes.txt']);
  });
  it('an idle shell runs nothing', () => {
    assert.equal(foregroundFromTable(300, table, undefined), null);
  });
  it('goes down through a `sh -c` wrapper of a pane created with a command', () => {
    assert.deepEqual(foregroundFromTable(400, table, undefined), ['tail', '-f', 'log']);
    assert.equal(isShellRunningCommand(['sh', '-c', 'x']), true);
    assert.equal(isShellRunningCommand(['sh', 'script.sh']), false);
  });
  it('finds a group member when the pipeline leader has exited', () => {
    assert.deepEqual(foregroundFromTable(500, table, undefined), ['less']);
  });
  it('a program started with exec is the pane process itself', () => {
    assert.deepEqual(foregroundFromTable(600, table, undefined), ['top']);
  });
  it('never takes a process outside the pane tree, whatever its group', () => {
    assert.equal(foregroundFromTable(700, table, undefined), null);
  });

  it("names the shell the pane's own process runs, and nothing for a pane that runs a program", () => {
    assert.equal(paneShellFromTable(200, table, undefined), 'zsh');
    assert.equal(paneShellFromTable(400, table, undefined), 'sh');
    assert.equal(paneShellFromTable(600, table, undefined), undefined);
    assert.equal(paneShellFromTable(100, table, undefined), undefined);
    assert.equal(paneShellFromTable(12345, table, undefined), undefined);
    // `exec tcsh` in ~/.bashrc: the same process now shows tcsh's arguments.
    const execed = parsePsTable('  800   100   800   800 tcsh\n  900   100   900   900 /opt/myshell -i');
    assert.equal(paneShellFromTable(800, execed, undefined), 'tcsh');
    assert.equal(paneShellFromTable(900, execed, '/opt/myshell'), '/opt/myshell');
  });
});
