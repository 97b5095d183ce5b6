import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../support/tmux-server.js';

const checker = resolve(process.cwd(), 'scripts/check-leftovers.mjs');

/** npm test's guard: a run that leaves files in the developer's directories fails. */
describe('scripts/check-leftovers.mjs', () => {
  let root: string;
  let environment: NodeJS.ProcessEnv;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuum-leftovers-'));
    // A developer's own directories, stood in for: the check must not look at the real ones here.
    await mkdir(join(root, 'run'), { mode: 0o700 });
    await mkdir(join(root, 'home'));
    environment = {
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      XDG_RUNTIME_DIR: join(root, 'run'),
      TMUX_TMPDIR: join(root, 'tmux'),
      TMPDIR: root,
    };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('passes a run that cleans up, and fails one that leaves a directory in XDG_RUNTIME_DIR or TMPDIR', async () => {
    const clean = await run(process.execPath, [checker, process.execPath, '-e', ''], environment);
    assert.equal(clean.code, 0, clean.stderr);

    /** A command that makes `continuum` in the directory the variable names, as a stray test would. */
    const makeIn = (variable: string): string[] => [
      checker,
      process.execPath,
      '-e',
      `require('node:fs').mkdirSync(require('node:path').join(process.env.${variable}, 'continuum'))`,
    ];
    const runtime = await run(process.execPath, makeIn('XDG_RUNTIME_DIR'), environment);
    assert.notEqual(runtime.code, 0);
    assert.match(
      runtime.stderr,
      new RegExp(`left files in the developer's own directories:\\n  ${join(root, 'run', 'continuum')}`),
    );

    const temporary = await run(process.execPath, makeIn('TMPDIR'), environment);
    assert.notEqual(temporary.code, 0);
    assert.match(temporary.stderr, /left its temporary directories behind/);
    // The run's own TMPDIR is kept when something was left in it (for the developer to look at),
    // and removed when the run cleaned up: one is left of the three runs.
    const suites = (await readdir(root)).filter((name) => name.startsWith('continuum-suite-'));
    assert.equal(suites.length, 1);
  });
});
