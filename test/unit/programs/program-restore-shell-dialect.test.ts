import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import {
  decideProgram,
  paneShellDialect,
  programSettingsFrom,
} from '../../../src/programs/program-restore.js';
import { type PaneSnapshot, paneSchema } from '../../../src/snapshot/schema.js';

const bashDefault = programSettingsFrom(new Map([['default-shell', '/bin/bash']]));
const noFiles = () => false;

const pane = (fields: Partial<PaneSnapshot> = {}): PaneSnapshot => ({
  id: '%1',
  index: 0,
  cwd: '/p',
  title: '',
  active: true,
  currentCommand: 'tail',
  startCommand: '',
  program: { argv: ['tail', '-f', "it's"] },
  ...fields,
});

describe("the shell a restored pane's typed line is quoted for", () => {
  it("the integration's record first, then the pane's process at save time, then default-shell", () => {
    assert.equal(paneShellDialect(pane(), bashDefault), 'posix');
    assert.equal(paneShellDialect(pane({ processShell: '/usr/bin/fish' }), bashDefault), 'fish');
    assert.equal(
      paneShellDialect(pane({ processShell: '/usr/bin/fish', shell: { name: 'pwsh' } }), bashDefault),
      'pwsh',
    );
    assert.equal(paneShellDialect(pane({ processShell: '/usr/bin/tcsh' }), bashDefault), undefined);
    assert.equal(
      paneShellDialect(pane({ processShell: '/usr/bin/tcsh', shell: { name: 'bash' } }), bashDefault),
      'posix',
    );
    const tcshDefault = programSettingsFrom(new Map([['default-shell', '/bin/tcsh']]));
    assert.equal(paneShellDialect(pane({ processShell: '/bin/zsh' }), tcshDefault), 'posix');
  });

  it('a saved shell continuum cannot quote for starts the program from its argv, and refuses a template', () => {
    assert.deepEqual(decideProgram(pane({ processShell: '/usr/bin/tcsh' }), bashDefault, noFiles), {
      kind: 'launch',
      argv: ['tail', '-f', "it's"],
    });
    assert.equal(decideProgram(pane({ processShell: '/usr/bin/nu' }), bashDefault, noFiles).kind, 'launch');
    const withTemplate = programSettingsFrom(
      new Map([['default-shell', '/bin/bash']]),
      new Map([['tail', 'tail -F *']]),
    );
    assert.equal(
      decideProgram(pane({ processShell: '/usr/bin/tcsh' }), withTemplate, noFiles).kind,
      'refused',
    );
    assert.equal(decideProgram(pane(), bashDefault, noFiles).kind, 'type');
  });

  it('a save without the field, as older saves are, still reads', () => {
    const { processShell: _none, ...old } = pane({ processShell: '/bin/bash' });
    assert.equal(v.safeParse(paneSchema, old).success, true);
    assert.equal(v.parse(paneSchema, pane({ processShell: '/bin/bash' })).processShell, '/bin/bash');
  });
});
