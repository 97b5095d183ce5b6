import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  argumentsAfter,
  decideAllowed,
  defaultProcesses,
  parseAllowlist,
  parseAllowRule,
  splitProcessList,
} from '../../../src/programs/allowlist.js';
import {
  decideProgram,
  isContinuumItself,
  programSettingsFrom,
} from '../../../src/programs/program-restore.js';
import type { PaneSnapshot } from '../../../src/snapshot/schema.js';

const typed = (argv: string[], processes: string, defaults?: string): string | undefined => {
  const decision = decideAllowed(argv, parseAllowlist(processes, defaults));
  return decision.allowed ? decision.commandLine : undefined;
};

describe('allowlist (tmux-resurrect semantics)', () => {
  it('splits quoted entries as the tmux-resurrect docs write them', () => {
    assert.deepEqual(splitProcessList(`irb "~rails server" 'git log->git log --oneline'  pry`), [
      'irb',
      '~rails server',
      'git log->git log --oneline',
      'pry',
    ]);
  });

  it('parses ~, -> and * in one rule', () => {
    assert.deepEqual(parseAllowRule('~rails server->rails server *'), {
      match: 'rails server',
      anywhere: true,
      replacement: 'rails server *',
    });
  });

  it('restores the default programs, ssh included, with no configuration', () => {
    assert.ok(defaultProcesses.split(' ').includes('ssh'));
    assert.equal(typed(['vim', 'notes.txt'], ''), 'vim notes.txt');
    assert.equal(typed(['less', 'a file.txt'], ''), `less 'a file.txt'`);
    assert.equal(typed(['tail', '-f', '/var/log/x y.log'], ''), `tail -f '/var/log/x y.log'`);
    assert.equal(typed(['ssh', 'host'], ''), 'ssh host');
    assert.equal(typed(['man', 'tmux'], ''), 'man tmux');
    assert.equal(typed(['top'], ''), 'top');
    assert.equal(typed(['python3', 'app.py'], ''), undefined);
  });

  it('matches a whole word at the start, never a prefix of a longer name', () => {
    assert.equal(typed(['vimdiff', 'a', 'b'], ''), undefined);
    assert.equal(typed(['lesskey'], ''), undefined);
  });

  it('matches the program name without its directory', () => {
    assert.equal(typed(['/usr/bin/vim', 'x'], ''), '/usr/bin/vim x');
  });

  it('false restores nothing, not even the defaults', () => {
    assert.equal(typed(['vim'], 'false'), undefined);
  });

  it(':all: restores everything', () => {
    assert.equal(typed(['python3', '-m', 'http.server'], ':all:'), 'python3 -m http.server');
  });

  it('~text matches anywhere in the command line', () => {
    assert.equal(
      typed(['ruby', '/home/u/app/bin/rails', 'server', '-p', '3000'], '"~rails server"'),
      'ruby /home/u/app/bin/rails server -p 3000',
    );
    assert.equal(typed(['ruby', 'bin/rake'], '"~rails server"'), undefined);
  });

  it('match->replacement types the replacement', () => {
    assert.equal(typed(['grunt', 'watch'], '"grunt->grunt development"'), 'grunt development');
  });

  it('* in a replacement stands for the saved arguments, each kept whole', () => {
    assert.equal(
      typed(['ruby', 'bin/rails', 'server', '-b', 'a b'], '"~rails server->rails server *"'),
      `rails server -b 'a b'`,
    );
    assert.equal(typed(['node', 'app.js', 'it s'], '"node->nodemon *"'), `nodemon app.js 'it s'`);
  });

  it('user entries add to the default list', () => {
    assert.equal(typed(['vim'], 'irb'), 'vim');
    assert.equal(typed(['irb'], 'irb'), 'irb');
  });

  it('a custom default list replaces the built-in one', () => {
    assert.equal(typed(['vim'], '', 'emacs'), undefined);
    assert.equal(typed(['emacs'], '', 'emacs'), 'emacs');
  });

  it('finds the arguments after an offset in the joined argv', () => {
    assert.deepEqual(argumentsAfter(['a', 'b c', 'd'], 1), ['b c', 'd']);
    assert.deepEqual(argumentsAfter(['a', 'b c', 'd'], 2), ['b c', 'd']);
    assert.deepEqual(argumentsAfter(['abc', 'd'], 1), ['bc', 'd']);
    assert.deepEqual(argumentsAfter(['a'], 1), []);
  });
});

describe("continuum's own processes", () => {
  const paneRunning = (argv: string[]): PaneSnapshot => ({
    id: '%1',
    index: 0,
    cwd: '/tmp',
    title: '',
    active: true,
    currentCommand: 'node',
    startCommand: '',
    program: { argv },
  });
  const everything = programSettingsFrom(
    new Map([
      ['@resurrect-processes', ':all:'],
      ['default-shell', '/bin/sh'],
    ]),
  );

  it('are never typed back, not even with :all:', () => {
    for (const argv of [
      ['node', '/usr/lib/node_modules/mux-continuum/dist/continuum.js', 'save'],
      ['/usr/bin/node', '--max-semi-space-size=1', '/opt/plug in/dist/continuum.js', 'daemon', 'run'],
      ['/usr/local/bin/continuum', 'restore'],
      ['continuum daemon -L work'],
      ['npx', 'mux-continuum', 'save'],
    ]) {
      assert.equal(isContinuumItself(argv), true, argv.join(' '));
      assert.equal(
        decideProgram(paneRunning(argv), everything, () => false).kind,
        'continuum',
        argv.join(' '),
      );
    }
  });

  it('are told apart from programs that merely mention continuum', () => {
    for (const argv of [
      ['node', 'server.js', 'continuum.js'],
      ['vim', 'continuum.js'],
      ['less', '/var/log/continuum'],
      ['node', '/srv/continuum-app/index.js'],
    ]) {
      assert.equal(isContinuumItself(argv), false, argv.join(' '));
      assert.equal(decideProgram(paneRunning(argv), everything, () => false).kind, 'type', argv.join(' '));
    }
  });
});
