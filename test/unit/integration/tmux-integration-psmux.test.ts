import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DaemonLog } from '../../../src/daemon/daemon-log.js';
import { UsageError } from '../../../src/errors.js';
import { autoRestoreNamespaceOnce, autoRestoreOnce } from '../../../src/integration/auto-restore.js';
import { installPsmuxHook } from '../../../src/integration/init-install.js';
import {
  bindingCommand,
  clientAttachedHook,
  pickBindingCommand,
  sessionCreatedEntries,
} from '../../../src/integration/tmux-integration.js';
import type { MuxClient } from '../../../src/mux/mux-client.js';
import { PsmuxClient } from '../../../src/mux/psmux-client.js';
import {
  powershellCall,
  psmuxDialect,
  psmuxShellCommand,
  psmuxShWords,
} from '../../../src/mux/psmux-dialect.js';
import { tmuxDialect } from '../../../src/mux/tmux-dialect.js';
import { PsmuxStandIn } from '../../support/psmux-stand-in.js';

const cli = ['C:\\Program Files\\nodejs\\node.exe', "C:\\Users\\o'neil\\continuum.js", '-L', 'work'];

describe('run-shell commands for psmux are PowerShell calls', () => {
  it('quotes every argument in double quotes, escapes what PowerShell would expand, calls with &', () => {
    assert.equal(
      powershellCall([...cli, 'hook', 'save']),
      `& "C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\o'neil\\continuum.js" "-L" "work" "hook" "save"`,
    );
    assert.equal(powershellCall(['a$b', '`c', 'd"e', '#{x}']), '& "a`$b" "``c" "d`"e" "#{x}"');
  });

  it('key bindings and the client-attached hook use the dialect, tmux keeps /bin/sh', () => {
    const onWindows = (argv: readonly string[]) => psmuxShellCommand(argv, 'win32');
    assert.deepEqual(bindingCommand('C-s', cli, 'save', onWindows), [
      'bind-key',
      'C-s',
      'run-shell',
      '-b',
      powershellCall([...cli, 'hook', 'save']),
    ]);
    assert.equal(
      bindingCommand('C-s', ['/bin/continuum'], 'save', tmuxDialect.runShellCommand)[4],
      "'/bin/continuum' 'hook' 'save'",
    );
    assert.equal(bindingCommand('C-s', ['/bin/continuum'], 'save')[4], "'/bin/continuum' 'hook' 'save'");
    const plain = ['C:\\Program Files\\nodejs\\node.exe', 'C:\\continuum.js'];
    assert.equal(
      clientAttachedHook(plain, onWindows),
      `'run-shell' '-b' '& "C:\\Program Files\\nodejs\\node.exe" "C:\\continuum.js" "daemon" "start"'`,
    );
  });

  it('the pick binding runs PowerShell on psmux, /bin/sh words on tmux', () => {
    const windowsDialect = {
      ...psmuxDialect,
      shellWords: (argv: readonly string[]) => psmuxShellCommand(argv, 'win32'),
    };
    const psmux = pickBindingCommand('C-p', ['C:\\node.exe', 'x.js'], '', 'C:\\menu.conf', windowsDialect);
    assert.equal(psmux.at(-1), '& "C:\\node.exe" "x.js" "pick"');
    const tmux = pickBindingCommand('C-p', ['/bin/continuum'], '3.3a', '/m.conf', tmuxDialect);
    assert.deepEqual(tmux, pickBindingCommand('C-p', ['/bin/continuum'], '3.3a', '/m.conf'));
    assert.equal(tmux.at(-1), "'/bin/continuum' 'pick'");
  });

  it('off Windows psmux runs run-shell with sh -c: sh words that psmux passes through unchanged', () => {
    assert.equal(
      psmuxShellCommand(['/usr/bin/node', '/opt/continuum/cli.js', '-L', 'work$1', 'hook', 'save'], 'linux'),
      '/usr/bin/node /opt/continuum/cli.js -L work\\$1 hook save',
    );
    assert.equal(psmuxShWords(['a&b', 'x(y)', 'c\\d']), 'a\\&b x\\(y\\) c\\\\d');
    for (const word of ['with space', "it's", 'a"b', '#{x}', 'a;b', '~/x', ''])
      assert.throws(() => psmuxShWords(['/bin/node', word]), UsageError, word);
  });

  it("reads psmux's show-hooks: NAME -> CMD, NAME[i] -> CMD, (no hooks)", () => {
    const shown = 'client-attached[0] -> run-shell "a"\nclient-attached[1] -> b\nsession-created -> c\n';
    assert.deepEqual(sessionCreatedEntries(shown, 'client-attached'), [
      { index: 0, command: 'run-shell "a"' },
      { index: 1, command: 'b' },
    ]);
    assert.deepEqual(sessionCreatedEntries(shown), [{ index: 0, command: 'c' }]);
    assert.deepEqual(sessionCreatedEntries('(no hooks)\n', 'client-attached'), []);
  });

  it('reads hook entries of any name, CRLF or not', () => {
    const output =
      'client-attached[0] run-shell -b x\r\nsession-created[3] other\r\nclient-attached[2] y\r\n';
    assert.deepEqual(sessionCreatedEntries(output, 'client-attached'), [
      { index: 0, command: 'run-shell -b x' },
      { index: 2, command: 'y' },
    ]);
    assert.deepEqual(sessionCreatedEntries(output), [{ index: 3, command: 'other' }]);
  });
});

/** A psmux namespace as the auto-restore sees it: options, and the sessions' creation times. */
function namespaceMux(
  options: Record<string, string>,
  created: readonly number[],
): MuxClient & { sent: string[][] } {
  const sent: string[][] = [];
  return {
    binary: 'psmux',
    server: { kind: 'socket-name', name: 'work' },
    dialect: psmuxDialect,
    invocationCount: 0,
    sent,
    describeServer: () => 'psmux namespace -L work',
    run: async (command) => {
      sent.push([...command]);
      return command[0] === 'list-sessions' ? created.map((seconds) => `${seconds}\n`).join('') : '';
    },
    runCommands: async () => '',
    runScript: async () => ({ stdout: '', errors: [] }),
    applyActions: async () => ({ stdout: '', errors: [] }),
    readGlobalOptions: async (names) => new Map(names.map((name) => [name, options[name] ?? ''])),
    readRecords: async () => [],
    readServerLifetime: async () => ({ pid: 0, startTime: 0 }),
  };
}

describe("init's client-attached hook on psmux", () => {
  it('exactly one continuum hook after three inits in every session, the user hooks kept', async () => {
    const psmux = new PsmuxStandIn();
    const one = psmux.addSession('one', 1000);
    const two = psmux.addSession('two', 2000);
    one.hooks.set('client-attached', ['display-message hello']);
    two.hooks.set('client-attached', ['run-shell "my-own"', 'display-message bye']);
    const client = new PsmuxClient({
      server: { kind: 'socket-name', name: 'w' },
      environment: {},
      execute: psmux.execute,
    });
    const older = clientAttachedHook(['/old/node', '/old/cli.js'], psmuxShWords);
    await installPsmuxHook(client, 'client-attached', older, { installed: '', shown: '' });
    const hook = clientAttachedHook(['/usr/bin/node', '/opt/cli.js', '-L', 'w'], psmuxShWords);
    for (let init = 0; init < 3; init += 1)
      await installPsmuxHook(client, 'client-attached', hook, { installed: older, shown: older });
    assert.deepEqual(one.hooks.get('client-attached'), ['display-message hello', hook]);
    assert.deepEqual(two.hooks.get('client-attached'), ['run-shell "my-own"', 'display-message bye', hook]);
  });
});

describe('auto-restore on psmux: once per namespace, by its daemon', () => {
  const now = new Date(Date.UTC(2026, 10, 25, 9, 0, 0));
  const seconds = now.getTime() / 1000;

  async function withLog<T>(body: (log: DaemonLog, home: string) => Promise<T>): Promise<T> {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-psmux-restore-'));
    try {
      return await body(new DaemonLog({ path: join(directory, 'daemon.log'), rotates: false }), directory);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  it('the hook path leaves it to the daemon: no option claim, no restore', async () => {
    await withLog(async (log, home) => {
      let restores = 0;
      const mux = namespaceMux({ '@continuum-restore': 'on' }, [seconds - 5]);
      const outcome = await autoRestoreOnce({
        mux,
        log,
        home,
        now: () => now,
        restore: async () => `${++restores}`,
      });
      assert.equal(outcome.result, 'skipped');
      assert.equal(restores, 0);
      assert.deepEqual(mux.sent, []);
    });
  });

  it('the daemon restores a fresh namespace, and leaves an old one alone', async () => {
    await withLog(async (log, home) => {
      let restores = 0;
      const restore = async () => {
        restores += 1;
        return 'restored 2 sessions';
      };
      const fresh = namespaceMux({ '@continuum-restore': 'on' }, [seconds - 5, seconds - 2]);
      assert.deepEqual(await autoRestoreNamespaceOnce({ mux: fresh, log, home, now: () => now, restore }), {
        result: 'restored',
        message: 'restored 2 sessions',
      });
      assert.equal(restores, 1);
      assert.ok(!fresh.sent.some((command) => command.includes('-go')), 'no option is the claim');

      const old = namespaceMux({ '@continuum-restore': 'on' }, [seconds - 600, seconds - 2]);
      const skipped = await autoRestoreNamespaceOnce({ mux: old, log, home, now: () => now, restore });
      assert.equal(skipped.result, 'skipped');
      const off = namespaceMux({}, [seconds - 5]);
      assert.equal(
        (await autoRestoreNamespaceOnce({ mux: off, log, home, now: () => now, restore })).result,
        'skipped',
      );
      assert.equal(restores, 1);
    });
  });
});
