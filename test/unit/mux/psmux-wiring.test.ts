import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootSettingsFor } from '../../../src/cli/commands/boot.js';
import { daemonServerKey, globalArgumentsFor } from '../../../src/cli/commands/daemon-target.js';
import { type CommandContext, createMuxClient, serverIdentityOf } from '../../../src/cli/context.js';
import { daemonFiles } from '../../../src/daemon/daemon-files.js';
import { UsageError } from '../../../src/errors.js';
import { selectMux } from '../../../src/mux/dialect-selection.js';
import { TmuxClient } from '../../../src/mux/mux-client.js';
import type { ProcessOutcome } from '../../../src/mux/process-runner.js';
import { PsmuxClient } from '../../../src/mux/psmux-client.js';
import { scheduledTaskXml } from '../../../src/platform/boot-windows.js';
import { leaseAddress, leaseKey, leaseOptionsFor } from '../../../src/platform/lease.js';
import { defaultSaveDirectory, expandUserPath, stateDirectory } from '../../../src/platform/paths.js';
import { psmuxDaemonPipeName, windowsUserOf } from '../../../src/platform/windows-pipe.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import type { ServerTarget } from '../../../src/server/server-target.js';
import { captureServer } from '../../../src/snapshot/capture.js';

function recordingExecute(answer: (args: readonly string[]) => Partial<ProcessOutcome> = () => ({})) {
  const calls: { args: readonly string[]; timeout: number }[] = [];
  const execute = async (
    _binary: string,
    args: readonly string[],
    _environment: NodeJS.ProcessEnv,
    timeout: number,
  ): Promise<ProcessOutcome> => {
    calls.push({ args, timeout });
    return { code: 0, stdout: '', stderr: '', spawnError: undefined, ...answer(args) };
  };
  return { calls, execute };
}

/** Just what the functions under test read of a context. */
function contextWith(mux: CommandContext['mux'], platform: NodeJS.Platform = 'win32'): CommandContext {
  return {
    mux,
    options: {},
    paths: { environment: {}, platform, home: 'C:\\Users\\ana' },
  } as unknown as CommandContext;
}

const windowsPaths = {
  environment: { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' },
  platform: 'win32' as const,
  home: 'C:\\Users\\ana',
};

describe('the dialect chooses the client', () => {
  const server: ServerTarget = { kind: 'socket-name', name: 'work' };
  it('psmux by default on Windows, tmux elsewhere, --mux psmux anywhere', () => {
    assert.ok(createMuxClient(selectMux(undefined, {}, 'win32'), server, {}) instanceof PsmuxClient);
    assert.ok(createMuxClient(selectMux(undefined, {}, 'linux'), server, {}) instanceof TmuxClient);
    assert.ok(createMuxClient(selectMux('psmux', {}, 'linux'), server, {}) instanceof PsmuxClient);
    assert.ok(
      createMuxClient(selectMux(undefined, { CONTINUUM_MUX: 'pmux' }, 'darwin'), server, {}) instanceof
        PsmuxClient,
    );
    assert.equal(createMuxClient(selectMux(undefined, {}, 'win32'), server, {}).dialect.name, 'psmux');
  });

  it('PsmuxClient honours CONTINUUM_MUX_TIMEOUT_MS as TmuxClient does', async () => {
    const psmux = recordingExecute(() => ({ stdout: 'main\n' }));
    const client = new PsmuxClient({
      server,
      environment: { CONTINUUM_MUX_TIMEOUT_MS: '1234' },
      execute: psmux.execute,
    });
    await client.run(['list-sessions', '-F', '#{session_name}']);
    assert.equal(psmux.calls[0]?.timeout, 1234);
    assert.throws(
      () => new PsmuxClient({ server, environment: { CONTINUUM_MUX_TIMEOUT_MS: 'soon' } }),
      UsageError,
    );
  });

  it('a psmux call past its deadline is a timeout, not an answer', async () => {
    const client = new PsmuxClient({
      server,
      environment: {},
      execute: async () => ({ code: 128, stdout: '', stderr: '', spawnError: undefined, timedOut: true }),
    });
    await assert.rejects(client.run(['list-sessions']), { name: 'MuxTimeoutError' });
  });
});

describe('options on psmux come from show-options -gv, never display-message -p', () => {
  it('reads each option from a session of the namespace; an unset one is empty', async () => {
    const psmux = recordingExecute((args) => {
      const command = args.slice(2);
      if (command[0] === 'list-sessions') return { stdout: '100 1700000000 main\n' };
      if (command[0] === 'show-options' && command.at(-1) === '@resurrect-dir')
        return { stdout: 'C:\\saves\\a\x1bb\n' };
      if (command[0] === 'show-options') return { code: 1, stderr: 'unknown option' };
      return {};
    });
    const client = new PsmuxClient({
      server: { kind: 'socket-name', name: 'w' },
      environment: {},
      execute: psmux.execute,
    });
    const options = await client.readGlobalOptions(['@resurrect-dir', '@continuum-restore']);
    assert.deepEqual(
      [...options],
      [
        ['@resurrect-dir', 'C:\\saves\\a\x1bb'],
        ['@continuum-restore', ''],
      ],
    );
    assert.deepEqual(
      psmux.calls.slice(1).map((call) => call.args),
      [
        ['-L', 'w', 'show-options', '-gv', '-t', 'main:', '@resurrect-dir'],
        ['-L', 'w', 'show-options', '-gv', '-t', 'main:', '@continuum-restore'],
      ],
    );
  });

  it('a capture through the psmux client sends no display-message and no list-clients -F', async () => {
    const psmux = recordingExecute((args) => {
      const command = args.slice(2);
      if (command[0] === 'list-sessions') return { stdout: '100 1700000000 main\n' };
      if (command[0] === 'show-options') return { stdout: 'on\n' };
      return {};
    });
    const client = new PsmuxClient({
      server: { kind: 'socket-name', name: 'w' },
      environment: {},
      execute: psmux.execute,
    });
    const capture = await captureServer(
      {
        mux: client,
        // Windows has no process table to read: the psmux capture never asks for one.
        inspectPrograms: async () => {
          throw new Error('inspectPrograms called');
        },
        now: () => new Date(0),
      },
      ['@continuum-restore'],
    );
    assert.equal(capture.options.get('@continuum-restore'), 'on');
    assert.equal(capture.snapshot.mux.name, 'psmux');
    const sent = psmux.calls.map((call) => call.args[2]);
    assert.ok(!sent.includes('display-message'), sent.join(' '));
    assert.ok(!psmux.calls.some((call) => call.args[2] === 'list-clients' && call.args.includes('-F')));
  });
});

describe('a psmux server is its namespace', () => {
  const psmuxClient = (server: ServerTarget) =>
    new PsmuxClient({ server, environment: {}, execute: recordingExecute().execute });
  it('-L NAME, the namespace of the pane it runs in, else default', () => {
    assert.deepEqual(
      serverIdentityOf(contextWith(psmuxClient({ kind: 'socket-name', name: 'work' }))),
      namedServerIdentity('work'),
    );
    assert.deepEqual(
      serverIdentityOf(
        contextWith(
          psmuxClient({ kind: 'inherited', tmuxEnvironment: 'C:\\Users\\ana\\.psmux\\play,51234,0' }),
        ),
      ),
      namedServerIdentity('play'),
    );
    assert.deepEqual(
      serverIdentityOf(contextWith(psmuxClient({ kind: 'inherited', tmuxEnvironment: undefined }))),
      namedServerIdentity('default'),
    );
  });

  it('the daemon key is the namespace, and no -S is passed on to another continuum', () => {
    const inPane = contextWith(
      psmuxClient({ kind: 'inherited', tmuxEnvironment: 'C:\\x\\.psmux\\default,5000,1' }),
    );
    assert.equal(daemonServerKey(inPane), 'psmux:default');
    assert.deepEqual(globalArgumentsFor(inPane), []);
    const named = contextWith(psmuxClient({ kind: 'socket-name', name: 'work' }));
    assert.equal(daemonServerKey(named), 'psmux:work');
    assert.deepEqual(globalArgumentsFor(named), ['-L', 'work']);
  });
});

describe('files on Windows', () => {
  it('saves in %LOCALAPPDATA%\\continuum\\saves, the log beside them', () => {
    assert.equal(defaultSaveDirectory(windowsPaths), 'C:\\Users\\ana\\AppData\\Local\\continuum\\saves');
    assert.equal(stateDirectory(windowsPaths), 'C:\\Users\\ana\\AppData\\Local\\continuum');
    const withoutVariable = { ...windowsPaths, environment: {} };
    assert.equal(defaultSaveDirectory(withoutVariable), 'C:\\Users\\ana\\AppData\\Local\\continuum\\saves');
  });

  it('@resurrect-dir with ~\\ is the home directory', () => {
    assert.equal(expandUserPath('~\\saves', windowsPaths), 'C:\\Users\\ana\\saves');
    assert.equal(expandUserPath('~\\saves', { ...windowsPaths, platform: 'linux' }), '~\\saves');
  });

  it("the daemon's pipe names the user case-blind, the namespace case-sensitive as psmux's ls is", () => {
    const ana = windowsUserOf({ USERDOMAIN: 'HOME', USERNAME: 'Ana' });
    const name = psmuxDaemonPipeName(ana, 'work');
    assert.match(name, /^\\\\\.\\pipe\\continuum-daemon-ana-work-[0-9a-f]{12}$/);
    assert.equal(psmuxDaemonPipeName({ domain: 'home', name: 'ANA' }, 'work'), name);
    assert.notEqual(psmuxDaemonPipeName(ana, 'WORK'), name);
    assert.notEqual(psmuxDaemonPipeName({ domain: 'HOME', name: 'bob' }, 'work'), name);
    assert.notEqual(psmuxDaemonPipeName(ana, 'play'), name);
    assert.notEqual(psmuxDaemonPipeName(ana, 'wo rk'), psmuxDaemonPipeName(ana, 'wo_rk'));
  });

  it('every lease of a namespace is a pipe named after the user and the namespace', () => {
    const environment = { ...windowsPaths.environment, USERDOMAIN: 'HOME', USERNAME: 'Ana' };
    const paths = { ...windowsPaths, environment };
    const files = daemonFiles('psmux:work', paths);
    assert.equal(files.address, psmuxDaemonPipeName({ domain: 'HOME', name: 'Ana' }, 'work'));
    const restore = leaseAddress(leaseKey('restore', 'psmux:work'), leaseOptionsFor(paths, 'psmux:work'));
    assert.match(restore, /^\\\\\.\\pipe\\continuum-restore-ana-work-[0-9a-f]{12}$/);
    const bob = { ...paths, environment: { ...environment, USERNAME: 'Bob' } };
    assert.notEqual(daemonFiles('psmux:work', bob).address, files.address);
  });
});

describe('start at login on Windows', () => {
  it('a Scheduled Task that starts psmux new-session -d in the namespace', async () => {
    const psmux = recordingExecute((args) => (args[2] === 'list-sessions' ? { stdout: 'main\n' } : {}));
    const client = new PsmuxClient({
      binary: 'C:\\Program Files\\psmux\\psmux.exe',
      server: { kind: 'socket-name', name: 'work' },
      environment: {},
      execute: psmux.execute,
    });
    const context = {
      ...contextWith(client),
      paths: { environment: { PATH: '' }, platform: 'win32', home: 'C:\\Users\\ana' },
    } as unknown as CommandContext;
    const settings = await bootSettingsFor(context);
    assert.deepEqual(settings.serverArguments, ['-L', 'work']);
    assert.deepEqual(settings.startCommand, ['new-session', '-d']);
    const xml = scheduledTaskXml(settings, 'HOME\\ana');
    assert.match(xml, /<Command>C:\\Program Files\\psmux\\psmux\.exe<\/Command>/);
    assert.match(xml, /<Arguments>-L work new-session -d<\/Arguments>/);
    assert.match(xml, /<LogonTrigger>/);
  });

  it('the default namespace is started without -L (-L default would be another namespace)', async () => {
    const client = new PsmuxClient({
      binary: 'C:\\psmux.exe',
      server: { kind: 'inherited', tmuxEnvironment: undefined },
      environment: {},
      execute: recordingExecute().execute,
    });
    const context = {
      ...contextWith(client),
      paths: { environment: { PATH: '' }, platform: 'win32', home: 'C:\\Users\\ana' },
    } as unknown as CommandContext;
    assert.deepEqual((await bootSettingsFor(context)).serverArguments, []);
  });
});
