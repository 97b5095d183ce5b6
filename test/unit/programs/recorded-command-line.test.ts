import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideProgram, programSettingsFrom } from '../../../src/programs/program-restore.js';
import { recordedProgram } from '../../../src/programs/recorded-command-line.js';
import type { PaneSnapshot } from '../../../src/snapshot/schema.js';

const pane = (argv: string[], commandLine: string | undefined, shellName = 'bash'): PaneSnapshot => ({
  id: '%1',
  index: 0,
  cwd: '/p',
  title: '',
  active: true,
  currentCommand: argv[0] ?? 'sh',
  startCommand: '',
  program: { argv },
  shell: {
    identity: '1-1-1',
    name: shellName,
    ...(commandLine === undefined ? {} : { commandLine }),
  },
});
const bash = programSettingsFrom(new Map([['default-shell', '/bin/bash']]));
const nothing = (): boolean => false;
const typed = (decision: ReturnType<typeof decideProgram>): string | undefined =>
  decision.kind === 'type' ? decision.commandLine : undefined;

describe('the recorded command line in program restore', () => {
  it('types the line as the user typed it, quotes and unicode included, instead of re-quoting the argv', () => {
    const line = `tail -f "my file ü.txt" 'it'\\''s'`;
    assert.equal(
      typed(decideProgram(pane(['tail', '-f', 'my file ü.txt', "it's"], line), bash, nothing)),
      line,
    );
    // Without a recorded line: the argv, quoted.
    assert.equal(
      typed(decideProgram(pane(['tail', '-f', 'my file ü.txt'], undefined), bash, nothing)),
      `tail -f 'my file ü.txt'`,
    );
  });

  it('keeps an escaped space at the end of the line', () => {
    assert.equal(typed(decideProgram(pane(['less', 'x '], 'less x\\ '), bash, nothing)), 'less x\\ ');
  });

  it('keeps assignments before the program, and a program started by its path', () => {
    assert.equal(
      typed(decideProgram(pane(['less', 'x'], '  LESS=-R  less x'), bash, nothing)),
      'LESS=-R  less x',
    );
    assert.equal(
      typed(decideProgram(pane(['/usr/bin/less', 'x'], '/usr/bin/less x'), bash, nothing)),
      '/usr/bin/less x',
    );
  });

  it('falls back to the argv when the line starts another program or is more than one command', () => {
    // The line runs sudo: the allowlist approved less, not sudo.
    assert.equal(typed(decideProgram(pane(['less', 'x'], 'sudo less x'), bash, nothing)), 'less x');
    for (const line of [
      'less x && rm -rf y',
      'less x; date',
      'cat y | less',
      'less $(ls)',
      'less `ls`',
      'less x > y',
      'less x &',
    ]) {
      assert.equal(typed(decideProgram(pane(['less', 'x'], line), bash, nothing)), 'less x', line);
    }
    // Operators inside quotes are words.
    assert.equal(
      typed(decideProgram(pane(['less', 'a;b|c'], `less 'a;b|c'`), bash, nothing)),
      `less 'a;b|c'`,
    );
  });

  it('never types a program the allowlist refuses, nor continuum itself', () => {
    assert.equal(decideProgram(pane(['rm', '-rf', 'x'], 'rm -rf x'), bash, nothing).kind, 'not-allowed');
    const everything = programSettingsFrom(new Map([['@resurrect-processes', ':all:']]));
    assert.equal(
      decideProgram(pane(['continuum', 'restore'], 'continuum restore'), everything, nothing).kind,
      'continuum',
    );
  });

  it('strategies and -> replacements win over the recorded line', () => {
    const vimSession = programSettingsFrom(
      new Map([
        ['@resurrect-strategy-vim', 'session'],
        ['@resurrect-processes', 'vim'],
      ]),
    );
    assert.equal(
      typed(
        decideProgram(pane(['vim', 'a b'], 'vim "a b"'), vimSession, (path) => path === '/p/Session.vim'),
      ),
      'vim -S',
    );
    const replacement = programSettingsFrom(
      new Map([
        ['@resurrect-default-processes', 'vi'],
        ['@resurrect-processes', '"less->less -R *"'],
      ]),
    );
    assert.equal(
      typed(decideProgram(pane(['less', 'a b'], 'less "a b"'), replacement, nothing)),
      `less -R 'a b'`,
    );
    const template = programSettingsFrom(new Map(), new Map([['less', 'less -N *']]));
    assert.equal(
      typed(decideProgram(pane(['less', 'a b'], 'less "a b"'), template, nothing)),
      `less -N 'a b'`,
    );
  });

  it('uses a line only where the restored shell reads quotes the same way, and refuses control characters', () => {
    // Recorded by fish, restored into bash (and pwsh, whose quoting neither dialect describes).
    assert.equal(
      typed(decideProgram(pane(['less', 'a b'], `less 'a b'`, 'fish'), bash, nothing)),
      `less 'a b'`,
    );
    assert.equal(
      typed(decideProgram(pane(['less', 'a b'], 'less "a b"', 'pwsh'), bash, nothing)),
      `less 'a b'`,
    );
    const fish = programSettingsFrom(new Map([['default-shell', '/usr/bin/fish']]));
    assert.equal(
      typed(decideProgram(pane(['less', "a'b"], `less 'a\\'b'`, 'fish'), fish, nothing)),
      `less 'a\\'b'`,
    );
    // bash runs `exec fish` from its rc file: the fish record decides, in quoting bash reads alike.
    assert.equal(
      typed(decideProgram(pane(['tail', '-f', `x\\' & touch PWNED #`], 'tail -f *', 'fish'), bash, nothing)),
      `tail -f 'x'\\\\\\'' & touch PWNED #'`,
    );
    // A recorded line that cannot be typed gives way to the saved argv.
    assert.equal(typed(decideProgram(pane(['less', 'x'], 'less x\u001b[31m'), bash, nothing)), 'less x');
  });

  it('reads the first word as the shell does', () => {
    assert.equal(recordedProgram('A=1 B="x y" tail -f z', 'posix'), 'tail');
    assert.equal(recordedProgram(`'less' x`, 'posix'), undefined);
    assert.equal(recordedProgram('less "unclosed', 'posix'), undefined);
    assert.equal(recordedProgram('less x \\', 'posix'), undefined);
    assert.equal(recordedProgram('less x\\ ', 'posix'), 'less');
    assert.equal(recordedProgram(`less 'a\\' b'`, 'fish'), 'less');
    assert.equal(recordedProgram(`less 'a\\' b'`, 'posix'), undefined);
  });
});
