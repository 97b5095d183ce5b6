import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { shellRestoreEnvironment, writeShellRestoreFiles } from '../../src/restore/shell-restore.js';
import { parsePaneRecord } from '../../src/shell/pane-records.js';
import { planPaneShellRestore, writePaneShellRestoreFiles } from '../../src/shell/restore-shell.js';
import type { PaneSnapshot, Snapshot } from '../../src/snapshot/schema.js';
import { readPaneHistoriesFile } from '../../src/store/pane-histories-file.js';
import { installed, shellCommand, skipReason, startWithShell } from '../support/shells.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

function runtimeDirectory(server: TestServer): string {
  return join(server.root, 'runtime');
}

function panesDirectory(server: TestServer): string {
  return join(runtimeDirectory(server), 'continuum', 'panes');
}

async function typeLine(server: TestServer, target: string, line: string): Promise<void> {
  await server.tmux('send-keys', '-t', target, '-l', line);
  await server.tmux('send-keys', '-t', target, 'Enter');
}

async function paneFiles(server: TestServer, suffix: string): Promise<string[]> {
  const names = await readdir(panesDirectory(server)).catch(() => []);
  return names.filter((name) => name.endsWith(suffix)).map((name) => join(panesDirectory(server), name));
}

/** Waits until some pane's file of this kind holds the text (the shell has written it). */
async function waitForRecorded(server: TestServer, suffix: string, text: string): Promise<void> {
  await waitFor(
    async () => {
      for (const path of await paneFiles(server, suffix))
        if ((await readFile(path, 'utf8')).includes(text)) return true;
      return false;
    },
    15_000,
    `${text} in a ${suffix} file`,
  );
}

async function newestSave(server: TestServer): Promise<Snapshot> {
  const newest = await newestSaveIn(server.saveDirectory);
  assert.ok(newest, 'a save was written');
  return JSON.parse(await readFile(join(server.saveDirectory, newest), 'utf8')) as Snapshot;
}

function panesOf(snapshot: Snapshot): PaneSnapshot[] {
  return snapshot.sessions.flatMap((session) => session.windows.flatMap((window) => window.panes));
}

async function savedHistories(server: TestServer, snapshot: Snapshot): Promise<Map<string, string[]>> {
  assert.ok(snapshot.paneHistories, 'the save names its histories file');
  return readPaneHistoriesFile(join(server.saveDirectory, snapshot.paneHistories.file));
}

async function startServer(server: TestServer): Promise<void> {
  server.environment.XDG_RUNTIME_DIR = runtimeDirectory(server);
  await mkdir(runtimeDirectory(server), { recursive: true, mode: 0o700 });
}

describe('continuum shell-init', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await startServer(server);
  });
  afterEach(async () => server.dispose());

  it('refuses an unknown shell with a usage error naming the supported ones', async () => {
    const result = await server.cli('shell-init', 'tcsh');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown shell "tcsh".*bash, zsh, fish, pwsh/);
    assert.equal(result.stdout, '');
  });

  it('continuum init hands @continuum-environment to new panes as CONTINUUM_ENVIRONMENT_NAMES', async () => {
    await server.start('work');
    await server.tmux('set-option', '-g', '@continuum-environment', 'AWS_PROFILE, KUBECONFIG bad-name');
    const init = await server.cli('init');
    try {
      assert.equal(init.code, 0, init.stderr);
      assert.equal(
        (await server.tmux('show-environment', '-g', 'CONTINUUM_ENVIRONMENT_NAMES')).trim(),
        'CONTINUUM_ENVIRONMENT_NAMES=AWS_PROFILE KUBECONFIG',
      );
    } finally {
      await server.cli('daemon', 'stop');
    }
  });

  it('does nothing outside tmux (bash)', async () => {
    const snippet = (await server.cli('shell-init', 'bash')).stdout;
    const rc = join(server.root, 'outside.sh');
    await writeFile(rc, `${snippet}\nprintf '%s|%s' "\${CONTINUUM_PANE_ID-unset}" "$PROMPT_COMMAND"\n`);
    const output = execFileSync('bash', ['--noprofile', '--norc', '-i', rc], {
      env: { ...server.environment, TMUX: '', TMUX_PANE: '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    assert.equal(output, 'unset|');
    assert.equal(existsSync(panesDirectory(server)), false);
  });

  it('generates PowerShell code that parses', {
    skip: installed('pwsh') ? false : 'pwsh is not installed',
  }, async () => {
    const snippet = (await server.cli('shell-init', 'pwsh')).stdout;
    const path = join(server.root, 'snippet.ps1');
    await writeFile(path, snippet);
    const script = `$errors = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('${path}', [ref]$null, [ref]$errors); if ($errors.Count) { $errors; exit 1 }`;
    execFileSync('pwsh', ['-NoProfile', '-Command', script], { stdio: 'ignore' });
  });

  it('continuum status and doctor count the panes whose shell runs the integration, by shell', {
    skip: skipReason('bash') || skipReason('zsh'),
  }, async () => {
    const bash = await shellCommand(server, 'bash');
    const zsh = await shellCommand(server, 'zsh');
    await server.tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40', bash);
    await server.tmux('split-window', '-t', 'work:0', bash);
    await server.tmux('split-window', '-t', 'work:0', zsh);
    await server.tmux('split-window', '-t', 'work:0', 'sh');
    await waitFor(async () => (await paneFiles(server, '.state')).length === 3, 15_000, 'three pane records');
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    try {
      const status = await server.cli('status');
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^shell integration: 3 of 4 panes \(bash 2, zsh 1\)$/m);
      // A pane whose shell is replaced by one without the snippet: its record stays, but stale.
      await server.tmux('respawn-pane', '-k', '-t', 'work:0.1', 'sh');
      await waitFor(
        async () =>
          /^shell integration: 2 of 4 panes \(bash 1, zsh 1\)$/m.test((await server.cli('status')).stdout),
        15_000,
        'the respawned pane no longer counted',
      );
      const json = JSON.parse((await server.cli('status', '--json')).stdout) as {
        shellIntegration?: { panes: number; shells: Record<string, number> };
      };
      assert.deepEqual(json.shellIntegration, { panes: 4, shells: { bash: 1, zsh: 1 } });
      const doctor = await server.cli('doctor');
      assert.match(doctor.stdout, /^✔ shell integration: 2 of 4 panes \(bash 1, zsh 1\)$/m, doctor.stdout);
    } finally {
      await server.cli('daemon', 'stop');
    }
  });

  it('program restore types the command line the bash hook recorded, byte for byte', {
    skip: skipReason('bash'),
  }, async () => {
    const command = await shellCommand(server, 'bash');
    const directory = join(server.root, 'files');
    await mkdir(directory);
    await writeFile(join(directory, 'my file ü.txt'), 'one\n');
    await writeFile(join(directory, "it's"), 'two\n');
    await server.start('bootstrap');
    await server.tmux('set-option', '-g', 'default-command', command);
    await server.tmux('new-session', '-d', '-s', 'work', '-c', directory, '-x', '120', '-y', '40');
    await server.tmux('kill-session', '-t', 'bootstrap');
    await waitFor(async () => (await paneFiles(server, '.state')).length === 1, 15_000, 'a pane record');
    // Double quotes where a re-quoted argv would have single ones: only the recorded line has them.
    const line = `tail -f "my file ü.txt" 'it'\\''s'`;
    const argv = ['tail', '-f', 'my file ü.txt', "it's"];
    await typeLine(server, 'work:0.0', line);
    await waitForRecorded(server, '.state', 'tail -f');
    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    assert.deepEqual(panesOf(await newestSave(server))[0]?.program?.argv, argv);

    await server.kill();
    await startWithShell(server, command, false);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    const panePid = Number(
      (await server.tmux('display-message', '-p', '-t', 'work:0.0', '#{pane_pid}')).trim(),
    );
    const [paneId, serverPid] = (
      await server.tmux('display-message', '-p', '-t', 'work:0.0', '#{pane_id} #{pid}')
    )
      .trim()
      .split(' ');
    let running: string[] = [];
    await waitFor(
      async () => {
        // The terminal's foreground process group (tpgid in /proc/PID/stat) is led by the program.
        const stat = await readFile(`/proc/${panePid}/stat`, 'utf8').catch(() => '');
        const foreground = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[5];
        const words = (await readFile(`/proc/${foreground}/cmdline`, 'utf8').catch(() => '')).split('\0');
        if (words[0] === 'tail') running = words.slice(0, -1);
        return running.length > 0;
      },
      15_000,
      'tail running in the restored pane',
    );
    assert.deepEqual(running, argv);
    // The restored shell recorded what was typed into it: the very line the user typed.
    await waitFor(
      async () => {
        for (const path of await paneFiles(server, '.state')) {
          const record = parsePaneRecord(await readFile(path));
          if (record?.serverPid === Number(serverPid) && record.tmuxPane === paneId && record.commandLine)
            return record.commandLine === line;
        }
        return false;
      },
      15_000,
      `the restored pane's recorded command line to be ${line}`,
    );
  });

  for (const [from, to] of [
    ['fish', 'bash'],
    ['bash', 'fish'],
    ['fish', 'zsh'],
  ] as const) {
    it(`a ${from} pane restored where ${to} runs gets none of ${from}'s history lines, and says so`, {
      skip: skipReason(from) || skipReason(to),
    }, async () => {
      await startWithShell(server, await shellCommand(server, from));
      await typeLine(server, '=work:0.0', `echo from-${from}-4''2`);
      await waitForRecorded(server, '.history', `echo from-${from}`);
      const saved = await server.cli('save');
      assert.equal(saved.code, 0, saved.stderr);

      await server.kill();
      await startWithShell(server, await shellCommand(server, to), false);
      const restored = await server.cli('restore');
      assert.equal(restored.code, 0, restored.stderr);
      await typeLine(server, '=work:0.0', `history; echo listed-4''2`);
      let screen = '';
      await waitFor(
        async () => {
          screen = await server.tmux('capture-pane', '-p', '-J', '-t', '=work:0.0');
          return screen.includes('listed-42');
        },
        15_000,
        `${to} to list its history`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the pane shows:\n${screen}`);
      });
      // fish's own file format (`- cmd: …`, `  when: …`) taken as commands. (fish on its first start
      // imports ~/.bash_history by itself: a bash line in fish's list is fish's doing.)
      assert.doesNotMatch(screen, to === 'fish' ? /- cmd:|when:/ : /- cmd:|when:|from-/, `${to}'s history`);
      assert.match(
        screen,
        new RegExp(`continuum: this pane ran ${from} when it was saved; its history is left out of ${to}`),
      );
    });
  }

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    describe(shell, { skip: skipReason(shell) }, () => {
      it('keeps each pane its own history, without the lines typed after a space, and brings it back', async () => {
        const command = await shellCommand(server, shell);
        await server.tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40', command);
        await server.tmux('split-window', '-t', 'work:0', command);
        await waitFor(
          async () => (await paneFiles(server, '.state')).length === 2,
          15_000,
          'two pane records',
        );
        await typeLine(server, 'work:0.0', 'echo alpha-one');
        await typeLine(server, 'work:0.0', ' echo secret-space');
        await typeLine(server, 'work:0.0', 'echo alpha-two');
        await typeLine(server, 'work:0.1', 'echo beta-one');
        await waitForRecorded(server, '.history', 'alpha-two');
        await waitForRecorded(server, '.history', 'beta-one');
        const saved = await server.cli('save');
        assert.equal(saved.code, 0, saved.stderr);

        const snapshot = await newestSave(server);
        const histories = await savedHistories(server, snapshot);
        const [first, second] = panesOf(snapshot);
        assert.ok(first?.shell?.identity && second?.shell?.identity, 'both panes carry an identity');
        assert.notEqual(first.shell.identity, second.shell.identity);
        assert.deepEqual(histories.get(first.id), ['echo alpha-one', 'echo alpha-two']);
        assert.deepEqual(histories.get(second.id), ['echo beta-one']);
        const historiesPath = join(server.saveDirectory, snapshot.paneHistories!.file);
        assert.equal((await stat(historiesPath)).mode & 0o777, 0o600);
        assert.equal((await stat(panesDirectory(server))).mode & 0o777, 0o700);

        // The restore side: each pane created with its saved identity and restore file.
        await server.kill();
        const created: string[] = [];
        const savePath = join(server.saveDirectory, (await newestSaveIn(server.saveDirectory)) ?? '');
        const written = await writeShellRestoreFiles(
          { path: savePath, snapshot },
          [first, second],
          panesDirectory(server),
          [],
          (line) => assert.fail(line),
        );
        assert.equal(written, 2);
        for (const pane of [first, second]) {
          const restore = shellRestoreEnvironment(pane, panesDirectory(server));
          assert.ok(restore);
          const environment = Object.entries(restore).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
          if (created.length === 0)
            await server.tmux(
              'new-session',
              '-d',
              '-s',
              'back',
              '-x',
              '120',
              '-y',
              '40',
              // `env`, not -e: tmux 3.1 has no new-session -e (split-window has it since 3.0).
              ['env', ...Object.entries(restore).map(([name, value]) => `'${name}=${value}'`), command].join(
                ' ',
              ),
            );
          else await server.tmux('split-window', '-t', 'back:0', ...environment, command);
          created.push(`back:0.${created.length}`);
        }
        const listing =
          shell === 'bash' ? 'history > ' : shell === 'zsh' ? 'fc -ln 1 > ' : 'history search --reverse > ';
        for (const [index, target] of created.entries()) {
          const output = join(server.root, `history-${index}`);
          await waitFor(
            async () => (await paneFiles(server, '.restore')).length < 2 - index,
            15_000,
            'restore file read',
          );
          await typeLine(server, target, `${listing}${output}`);
          await waitFor(
            async () => existsSync(output) && (await readFile(output, 'utf8')).length > 0,
            15_000,
            output,
          );
        }
        // The global history (which the killed shells wrote at exit) comes first; the pane's own
        // entries are loaded last, so they are what the up arrow brings back first.
        const entries = async (index: number): Promise<string[]> =>
          (await readFile(join(server.root, `history-${index}`), 'utf8'))
            .split('\n')
            .map((entry) => entry.replace(/^\s*\d*\s*/, ''))
            .filter((entry) => entry !== '' && !entry.startsWith(listing));
        const restoredFirst = await entries(0);
        const restoredSecond = await entries(1);
        if (shell === 'fish') {
          // fish starts a restored pane on a history session of its own: only that pane's entries.
          assert.deepEqual(restoredFirst, ['echo alpha-one', 'echo alpha-two']);
          assert.deepEqual(restoredSecond, ['echo beta-one']);
          // ...while the global history keeps receiving every command, in fish's own format.
          const globalHistory = join(server.environment.XDG_DATA_HOME ?? '', 'fish', 'fish_history');
          await typeLine(server, created[0]!, `echo 'back\\slash'`);
          await waitFor(
            async () =>
              existsSync(globalHistory) &&
              (await readFile(globalHistory, 'utf8')).includes(`- cmd: echo 'back\\\\slash'\n`),
            15_000,
            'the command in the global fish history',
          );
          assert.match(await readFile(globalHistory, 'utf8'), /- cmd: history search --reverse > /);
        }
        assert.deepEqual(restoredFirst.slice(-2), ['echo alpha-one', 'echo alpha-two']);
        assert.deepEqual(restoredSecond.slice(-1), ['echo beta-one']);
        assert.equal(
          [...restoredFirst, ...restoredSecond].some((entry) => entry.includes('secret-space')),
          false,
        );
        assert.deepEqual(await paneFiles(server, '.restore'), [], 'the shells deleted their restore files');
      });

      it('comes back through continuum restore: history, virtualenv and named variables', async () => {
        const venv = join(server.root, 'venv');
        execFileSync('python3', ['-m', 'venv', '--without-pip', venv], { stdio: 'ignore' });
        const command = await shellCommand(server, shell);
        const configure = async (): Promise<void> => {
          await server.tmux('set-option', '-g', 'default-command', command);
          await server.tmux('set-option', '-g', '@continuum-environment', 'NAMED_ONE');
          await server.tmux('set-environment', '-g', 'CONTINUUM_ENVIRONMENT_NAMES', 'NAMED_ONE');
        };
        await server.start('bootstrap');
        await configure();
        await server.tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40');
        await server.tmux('split-window', '-t', 'work:0');
        await server.tmux('kill-session', '-t', 'bootstrap');
        await waitFor(
          async () => (await paneFiles(server, '.state')).length === 2,
          15_000,
          'two pane records',
        );
        await typeLine(server, 'work:0.0', 'echo alpha-one');
        await typeLine(server, 'work:0.0', ' echo secret-space');
        // The same value in each shell's syntax: a newline, quotes, a backslash and an escape.
        const typed =
          shell === 'fish'
            ? [
                `source ${venv}/bin/activate.fish`,
                `set -gx NAMED_ONE 'a'\\n'b \\'q\\' "d" \\\\e '\\e'[31m'`,
                'set -gx UNNAMED_ONE hidden',
              ]
            : [
                `source ${venv}/bin/activate`,
                `export NAMED_ONE=$'a\\nb \\'q\\' "d" \\\\e \\x1b[31m'`,
                'export UNNAMED_ONE=hidden',
              ];
        for (const line of typed) await typeLine(server, 'work:0.0', line);
        await typeLine(server, 'work:0.1', 'echo beta-one');
        await waitForRecorded(server, '.state', 'NAMED_ONE=a');
        await waitForRecorded(server, '.history', 'beta-one');
        const saved = await server.cli('save');
        assert.equal(saved.code, 0, saved.stderr);

        await server.kill();
        await server.start('bootstrap');
        await configure();
        const restored = await server.cli('restore');
        assert.equal(restored.code, 0, restored.stderr);
        await waitFor(
          async () => (await paneFiles(server, '.restore')).length === 0,
          15_000,
          'restore files read',
        );
        const listing =
          shell === 'bash' ? 'history' : shell === 'zsh' ? 'fc -ln 1' : 'history search --reverse';
        for (const index of [0, 1]) {
          const output = join(server.root, `restored-${index}`);
          await typeLine(
            server,
            `work:0.${index}`,
            shell === 'fish'
              ? `begin; printf '%s\\0' "$NAMED_ONE" "$VIRTUAL_ENV" (set -q UNNAMED_ONE; and echo $UNNAMED_ONE; or echo unset); ${listing}; printf end-of-listing; end > ${output}`
              : `{ printf '%s\\0' "$NAMED_ONE" "\${VIRTUAL_ENV-}" "\${UNNAMED_ONE-unset}"; ${listing}; printf end-of-listing; } > ${output}`,
          );
          await waitFor(
            async () => existsSync(output) && (await readFile(output, 'utf8')).endsWith('end-of-listing'),
            15_000,
            output,
          );
        }
        const [value, virtualEnvironment, unnamed, firstHistory] = (
          await readFile(join(server.root, 'restored-0'), 'utf8')
        ).split('\0');
        assert.equal(value, 'a\nb \'q\' "d" \\e \u001b[31m');
        assert.equal(virtualEnvironment, venv);
        assert.equal(unnamed, 'unset');
        const secondHistory =
          (await readFile(join(server.root, 'restored-1'), 'utf8')).split('\0').at(-1) ?? '';
        // The pane's own entries are the newest, just before the listing command itself.
        const own = (text: string): string[] =>
          text
            .split('\n')
            .map((line) => line.replace(/^\s*\d*\s*/, ''))
            .filter(
              (line) =>
                line !== '' &&
                !line.startsWith('{ printf') &&
                !line.startsWith('begin; printf') &&
                line !== 'end-of-listing',
            );
        assert.deepEqual(own(firstHistory ?? '').slice(-4), ['echo alpha-one', ...typed]);
        assert.deepEqual(own(secondHistory).slice(-1), ['echo beta-one']);
        if (shell === 'fish') {
          // A session of the pane's own: nothing of the other pane's.
          assert.deepEqual(own(firstHistory ?? ''), ['echo alpha-one', ...typed]);
          assert.deepEqual(own(secondHistory), ['echo beta-one']);
        }
        assert.equal(`${firstHistory}${secondHistory}`.includes('secret-space'), false);
      });

      it('records the command line being run byte for byte', async () => {
        const command = await shellCommand(server, shell);
        await server.tmux('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40', command);
        await waitFor(async () => (await paneFiles(server, '.state')).length === 1, 15_000, 'a pane record');
        const line = `sleep 300 && echo "a  'b'  \\"c\\"" 'ünïcödé 😀'`;
        await typeLine(server, 'work:0.0', line);
        await waitForRecorded(server, '.state', 'sleep 300');
        const saved = await server.cli('save');
        assert.equal(saved.code, 0, saved.stderr);
        const [pane] = panesOf(await newestSave(server));
        assert.equal(pane?.shell?.commandLine, line);
        await server.tmux('send-keys', '-t', 'work:0.0', 'C-c');
      });

      it('records the virtualenv and the named variables, not the others, and sets them again as data', async () => {
        const venv = join(server.root, 'venv');
        execFileSync('python3', ['-m', 'venv', '--without-pip', venv], { stdio: 'ignore' });
        await server.start('bootstrap');
        await server.tmux('set-environment', '-g', 'CONTINUUM_ENVIRONMENT_NAMES', 'NAMED_ONE,OTHER_NAMED');
        const command = await shellCommand(server, shell);
        await server.tmux('new-window', '-t', 'bootstrap', command);
        await waitFor(async () => (await paneFiles(server, '.state')).length === 1, 15_000, 'a pane record');
        const activate =
          shell === 'fish' ? `source ${venv}/bin/activate.fish` : `source ${venv}/bin/activate`;
        await typeLine(server, 'bootstrap:1', activate);
        await typeLine(
          server,
          'bootstrap:1',
          shell === 'fish' ? 'set -gx UNNAMED_ONE hidden' : 'export UNNAMED_ONE=hidden',
        );
        await typeLine(
          server,
          'bootstrap:1',
          shell === 'fish' ? 'set -gx NAMED_ONE named-value' : 'export NAMED_ONE=named-value',
        );
        await waitForRecorded(server, '.state', 'named-value');
        const saved = await server.cli('save');
        assert.equal(saved.code, 0, saved.stderr);
        const pane = panesOf(await newestSave(server)).find((candidate) => candidate.shell);
        assert.deepEqual(pane?.shell?.environment, { VIRTUAL_ENV: venv, NAMED_ONE: 'named-value' });

        // A value with a newline, quotes, a backslash and an escape comes back as the same bytes.
        const tricky = `line one\nline 'two' "three" \\n $(touch ${join(server.root, 'pwned')}) \u001b[31m ünï`;
        const restore = planPaneShellRestore(
          {
            ...pane!,
            shell: {
              ...pane!.shell,
              environment: { ...pane!.shell!.environment, NAMED_ONE: tricky, UNNAMED_ONE: 'x' },
            },
          },
          { directory: panesDirectory(server), history: undefined, namedVariables: ['NAMED_ONE'] },
        );
        assert.ok(restore);
        await writePaneShellRestoreFiles(panesDirectory(server), restore);
        const environment = Object.entries(restore.environment).flatMap(([name, value]) => [
          '-e',
          `${name}=${value}`,
        ]);
        await server.tmux('new-window', '-t', 'bootstrap', ...environment, command);
        const output = join(server.root, 'restored');
        await waitFor(
          async () => (await paneFiles(server, '.restore')).length === 0,
          15_000,
          'restore file read',
        );
        await typeLine(
          server,
          'bootstrap:2',
          shell === 'fish'
            ? `printf '%s\\0' "$NAMED_ONE" "$VIRTUAL_ENV" "$PATH[1]" (set -q UNNAMED_ONE; and echo set; or echo unset) > ${output}`
            : `printf '%s\\0' "$NAMED_ONE" "$VIRTUAL_ENV" "\${PATH%%:*}" "\${UNNAMED_ONE-unset}" > ${output}`,
        );
        await waitFor(async () => existsSync(output) && (await readFile(output)).includes(0), 15_000, output);
        const [value, virtualEnvironment, firstPath, unnamed] = (await readFile(output, 'utf8')).split('\0');
        assert.equal(value, tricky);
        assert.equal(virtualEnvironment, venv);
        assert.equal(firstPath, join(venv, 'bin'));
        assert.equal(unnamed, 'unset');
        assert.equal(existsSync(join(server.root, 'pwned')), false);
      });
    });
  }
});
