import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideProgram,
  planProgramStarts,
  programSettingsFrom,
  programToLaunch,
} from '../../../src/programs/program-restore.js';
import { applyStrategy, type StrategySettings } from '../../../src/programs/strategies.js';
import type { PaneSnapshot } from '../../../src/snapshot/schema.js';

const settings = (overrides: Partial<StrategySettings> = {}): StrategySettings => ({
  sessionPrograms: new Set(['vim', 'nvim']),
  sessionFile: 'Session.vim',
  templates: new Map(),
  ...overrides,
});
const exists = (paths: string[]) => (path: string) => paths.includes(path);

const pane = (argv: string[] | null, cwd = '/p'): PaneSnapshot => ({
  id: '%1',
  index: 0,
  cwd,
  title: '',
  active: true,
  currentCommand: argv?.[0] ?? 'sh',
  startCommand: '',
  program: argv ? { argv } : null,
});

describe('strategies', () => {
  it('vim session: vim -S when Session.vim is in the pane directory', () => {
    assert.equal(applyStrategy(['vim', 'a.txt'], '/p', settings(), exists(['/p/Session.vim'])), 'vim -S');
    assert.equal(applyStrategy(['nvim'], '/p', settings(), exists(['/p/Session.vim'])), 'nvim -S');
  });

  it('vim session: the plain command when there is no session file, plain vim for a dangling -S', () => {
    assert.equal(applyStrategy(['vim', 'a.txt'], '/p', settings(), exists([])), undefined);
    assert.equal(applyStrategy(['vim', '-S'], '/p', settings(), exists([])), 'vim');
  });

  it('a configured session file name is passed to -S', () => {
    const custom = settings({ sessionFile: '.session.vim' });
    assert.equal(applyStrategy(['vim'], '/p', custom, exists(['/p/.session.vim'])), 'vim -S .session.vim');
  });

  it('no strategy unless it is asked for', () => {
    const none = settings({ sessionPrograms: new Set() });
    assert.equal(applyStrategy(['vim'], '/p', none, exists(['/p/Session.vim'])), undefined);
  });

  it('a template strategy rewrites the command line, * standing for the saved arguments', () => {
    const custom = settings({ templates: new Map([['python3', 'python3 -i *']]) });
    assert.equal(applyStrategy(['python3', 'my app.py'], '/p', custom, exists([])), `python3 -i 'my app.py'`);
  });

  it('options turn into settings; the strategy wins over the allowlist line', () => {
    const options = new Map([
      ['@resurrect-strategy-vim', 'session'],
      ['@resurrect-processes', ''],
      ['default-shell', '/bin/sh'],
    ]);
    const decision = decideProgram(
      pane(['vim', 'x']),
      programSettingsFrom(options),
      exists(['/p/Session.vim']),
    );
    assert.deepEqual(decision, { kind: 'type', commandLine: 'vim -S' });
  });

  it('plans typing only for allowed, safe command lines and names the pane of a refused one', () => {
    const address = { session: 'work', windowIndex: 1, paneIndex: 0 };
    const settings = programSettingsFrom(
      new Map([
        ['default-shell', '/bin/bash'],
        ['@resurrect-processes', '"psql->psql -X *"'],
      ]),
    );
    const plan = planProgramStarts(
      [
        { address, pane: pane(['vim', 'a\nrm -rf ~']) },
        { address: { ...address, paneIndex: 1 }, pane: pane(['top', 'x y']) },
        { address: { ...address, paneIndex: 2 }, pane: pane(['python3']) },
        { address: { ...address, paneIndex: 3 }, pane: pane(null) },
        { address: { ...address, paneIndex: 4 }, pane: pane(['psql', 'a\nb']) },
      ],
      settings,
      exists([]),
    );
    assert.deepEqual(plan.starts, [{ address: { ...address, paneIndex: 1 }, commandLine: `top 'x y'` }]);
    // The argv with a newline starts without typing; a replacement with one cannot.
    assert.deepEqual(programToLaunch(pane(['vim', 'a\nrm -rf ~']), settings, exists([])), [
      'vim',
      'a\nrm -rf ~',
    ]);
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0]!, /pane "work":1\.4: .*newline.*not typed/);
  });

  it('starts a program from its argv where the shell is unknown, and refuses a template there', () => {
    const tcsh = programSettingsFrom(new Map([['default-shell', '/bin/tcsh']]));
    assert.deepEqual(decideProgram(pane(['less', "a'b"]), tcsh, exists([])), {
      kind: 'launch',
      argv: ['less', "a'b"],
    });
    const withTemplate = programSettingsFrom(
      new Map([['default-shell', '/bin/tcsh']]),
      new Map([['less', 'less -N *']]),
    );
    assert.equal(decideProgram(pane(['less', 'x']), withTemplate, exists([])).kind, 'refused');
    // default-command names the shell tmux starts.
    const fishCommand = programSettingsFrom(
      new Map([
        ['default-shell', '/bin/tcsh'],
        ['default-command', 'exec /usr/bin/fish -l'],
      ]),
    );
    assert.equal(decideProgram(pane(['less', 'x']), fishCommand, exists([])).kind, 'type');
  });
});
