import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { literalForFormat } from '../../src/mux/script.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { startWithConfig } from '../support/live-server.js';
import { installed, type Shell } from '../support/shells.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/**
 * File names another user chose, each of which runs `touch PWNED-…` when a shell reads it quoted
 * for another shell, or unquoted. `x\' & touch PWNED #` is the one fish reads as a command when
 * it is quoted for sh ('x\'' …): fish takes `\'` inside single quotes as an escaped quote.
 */
const typedNames = [
  `x\\' & touch PWNED-fish #`,
  `it's; touch PWNED-semicolon`,
  `a\\b\\' & touch PWNED-backslash`,
  '$(touch PWNED-dollar)',
  '`touch PWNED-backtick`',
  '# touch PWNED-hash',
  `"; touch PWNED-double "`,
  'plain.log',
];
/** A newline cannot be typed (it ends the line): these come back without typing. */
const untypedNames = [`line\n'; touch PWNED-newline #`, `x\\' & touch PWNED-fish2 #`, 'tab\there'];

/**
 * For a shell continuum cannot quote for (tcsh): every character the brief names, and `!#`, which
 * tcsh expands as history even inside single quotes. tcsh reads the others quoted for sh alike,
 * so only a line typed into it shows the mistake as a wrong argv; the pane's process shows it
 * always (see the test).
 */
const tcshName = "it's a\\b $HOME; touch PWNED-tcsh & `touch PWNED-tick` # !#";

/** Every process below `pid` (children first), from /proc. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  let level = [pid];
  while (level.length > 0) {
    const next: number[] = [];
    for (const parent of level) {
      for (const task of readdirSync(`/proc/${parent}/task`, { withFileTypes: true })) {
        const children = readFileSync(`/proc/${parent}/task/${task.name}/children`, 'utf8').trim();
        if (children !== '') next.push(...children.split(' ').map(Number));
      }
    }
    found.push(...next);
    level = next;
  }
  return found;
}

/** The raw /proc/PID/cmdline of the `tail` running in a pane, or undefined while there is none. */
function tailCommandLine(panePid: number): Buffer | undefined {
  for (const pid of [panePid, ...descendants(panePid)]) {
    try {
      const raw = readFileSync(`/proc/${pid}/cmdline`);
      if (raw.subarray(0, raw.indexOf(0)).toString().split('/').at(-1) === 'tail') return raw;
    } catch {}
  }
  return undefined;
}

async function panePid(server: TestServer, target: string): Promise<number> {
  return Number.parseInt(await server.tmux('display-message', '-p', '-t', target, '#{pane_pid}'), 10);
}

/** The restored tail's raw cmdline in `pane`, once it runs; what the pane shows when it never does. */
async function restoredTail(server: TestServer, pane: string): Promise<Buffer> {
  const pid = await panePid(server, pane);
  let now: Buffer | undefined;
  await waitFor(
    async () => {
      now = tailCommandLine(pid);
      return now !== undefined;
    },
    10_000,
    `tail to come back in ${pane}`,
  ).catch(async (error: Error) => {
    throw new Error(
      `${error.message}; the pane shows:\n${await server.tmux('capture-pane', '-p', '-t', pane)}`,
    );
  });
  return now!;
}

/** Every file under `directory` whose name starts with PWNED. */
async function canaries(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((entry) => entry.split('/').at(-1)!.startsWith('PWNED'));
}

describe('program restore types only what the pane really runs reads as the saved argv', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const satisfies readonly Shell[]) {
    it(`default-shell bash, ~/.bashrc runs ${shell === 'bash' ? 'nothing else' : `exec ${shell}`}: hostile file names come back as tail's argv, byte for byte, and run nothing`, {
      skip: installed(shell) ? false : `${shell} is not installed`,
    }, async () => {
      // A login bash (tmux starts default-shell as one) reads ~/.bash_profile, which reads ~/.bashrc.
      await writeFile(join(server.home, '.bash_profile'), '. ~/.bashrc\n');
      await writeFile(join(server.home, '.bashrc'), `PS1='$ '\n${shell === 'bash' ? '' : `exec ${shell}\n`}`);
      await writeFile(join(server.home, '.zshrc'), `PS1='$ '\n`);
      const typed = join(server.home, 'typed');
      const untyped = join(server.home, 'untyped');
      for (const [directory, names] of [
        [typed, typedNames],
        [untyped, untypedNames],
      ] as const) {
        await mkdir(directory, { recursive: true });
        for (const name of names) await writeFile(join(directory, name), 'line\n');
      }
      const config = ['set -g default-shell /bin/bash', 'set -g @resurrect-processes tail'];
      await startWithConfig(server, config);
      await server.tmux(
        'new-session',
        '-d',
        '-s',
        'logs',
        '-x',
        '120',
        '-y',
        '40',
        '-c',
        literalForFormat(typed),
      );
      await server.tmux('split-window', '-t', '=logs:0.0', '-c', literalForFormat(untyped));
      await server.tmux('kill-session', '-t', '=0');
      for (const pane of ['=logs:0.0', '=logs:0.1']) {
        await waitFor(
          async () =>
            (await server.tmux('display-message', '-p', '-t', pane, '#{pane_current_command}')).trim() ===
            shell,
          10_000,
          `${shell} to run in ${pane}`,
        );
        await server.tmux('send-keys', '-t', pane, '-l', 'tail -f *');
        await server.tmux('send-keys', '-t', pane, 'Enter');
      }
      const saved: Buffer[] = [];
      for (const pane of ['=logs:0.0', '=logs:0.1']) {
        const pid = await panePid(server, pane);
        await waitFor(async () => tailCommandLine(pid) !== undefined, 10_000, `tail to run in ${pane}`);
        saved.push(tailCommandLine(pid)!);
      }
      assert.deepEqual(await canaries(server.home), []);
      const save = await server.cli('save');
      assert.equal(save.code, 0, save.stderr);
      const snapshot = JSON.parse(
        await readFile(join(server.saveDirectory, (await newestSaveIn(server.saveDirectory))!), 'utf8'),
      ) as Snapshot;
      const argvs = snapshot.sessions[0]!.windows[0]!.panes.map((pane) => pane.program?.argv);
      assert.equal(argvs[0]!.length, typedNames.length + 2, 'every typed name was saved');
      assert.equal(argvs[1]!.length, untypedNames.length + 2, 'every untyped name was saved');

      await server.kill();
      await startWithConfig(server, config);
      const restored = await server.cli('restore');
      assert.equal(restored.code, 0, restored.stderr);
      for (const [index, pane] of ['=logs:0.0', '=logs:0.1'].entries()) {
        const now = await restoredTail(server, pane);
        // Once tail runs, its shell has read everything typed into it.
        assert.deepEqual(await canaries(server.home), [], 'no file name ran as a command');
        assert.deepEqual(now, saved[index], `the restored tail's /proc/PID/cmdline in ${pane}`);
      }
      assert.deepEqual(await canaries(server.root), []);
    });
  }

  it('default-shell bash, ~/.bashrc runs exec tcsh (no quoting continuum knows): tail starts from its saved argv, nothing is typed', {
    skip: installed('tcsh') ? false : 'tcsh is not installed (.ci/run installs it)',
  }, async () => {
    await writeFile(join(server.home, '.bash_profile'), '. ~/.bashrc\n');
    await writeFile(join(server.home, '.bashrc'), "PS1='$ '\nexec tcsh\n");
    const directory = join(server.home, 'logs');
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, tcshName), 'line\n');
    const config = ['set -g default-shell /bin/bash', 'set -g @resurrect-processes tail'];
    await startWithConfig(server, config);
    await server.tmux('new-session', '-d', '-s', 'logs', '-c', literalForFormat(directory));
    await server.tmux('kill-session', '-t', '=0');
    // tcsh names itself `csh` in the process table.
    await waitFor(
      async () =>
        /^t?csh$/.test(
          (await server.tmux('display-message', '-p', '-t', '=logs:0.0', '#{pane_current_command}')).trim(),
        ),
      10_000,
      'tcsh to run in the pane',
    );
    await server.tmux('send-keys', '-t', '=logs:0.0', '-l', 'tail -f *');
    await server.tmux('send-keys', '-t', '=logs:0.0', 'Enter');
    const savedPid = await panePid(server, '=logs:0.0');
    await waitFor(async () => tailCommandLine(savedPid) !== undefined, 10_000, 'tail to run in the pane');
    const saved = tailCommandLine(savedPid)!;
    assert.deepEqual(saved.toString().split('\0').slice(0, -1), ['tail', '-f', tcshName]);
    const save = await server.cli('save');
    assert.equal(save.code, 0, save.stderr);

    await server.kill();
    await startWithConfig(server, config);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const now = await restoredTail(server, '=logs:0.0');
    const pid = await panePid(server, '=logs:0.0');
    assert.deepEqual(await canaries(server.root), [], 'no part of the file name ran as a command');
    assert.deepEqual(now, saved, "the restored tail's /proc/PID/cmdline");
    // Typed, tail would be tcsh's child, and tcsh the pane's process: started from its argv, the
    // pane's process is continuum's launcher until tail ends.
    assert.notEqual(
      readlinkSync(`/proc/${pid}/exe`).split('/').at(-1),
      'tcsh',
      'nothing was typed into tcsh',
    );
  });
});
