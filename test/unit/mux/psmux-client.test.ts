import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MuxCommandError, NoServerError, UsageError } from '../../../src/errors.js';
import type { PollClock } from '../../../src/mux/poll.js';
import type { ProcessOutcome } from '../../../src/mux/process-runner.js';
import { PsmuxClient } from '../../../src/mux/psmux-client.js';
import { PsmuxStandIn } from '../../support/psmux-stand-in.js';

interface Call {
  readonly args: readonly string[];
  readonly target: string | undefined;
  readonly nesting: string | undefined;
}

/**
 * A psmux stand-in: answers by the command, records what was asked and with which routing. psmux
 * cannot run here; what it answers is what docs/psmux.md says it answers.
 */
function fakePsmux(answer: (args: readonly string[], target: string | undefined) => Partial<ProcessOutcome>) {
  const calls: Call[] = [];
  const execute = async (
    _binary: string,
    args: readonly string[],
    environment: NodeJS.ProcessEnv,
  ): Promise<ProcessOutcome> => {
    const target = environment.PSMUX_TARGET_SESSION;
    calls.push({ args, target, nesting: environment.PSMUX_ALLOW_NESTING });
    return { code: 0, stdout: '', stderr: '', spawnError: undefined, ...answer(args, target) };
  };
  return { calls, execute };
}

const instantClock: PollClock = (() => {
  let time = 0;
  return {
    now: () => time,
    sleep: async (milliseconds: number) => {
      time += milliseconds;
    },
  };
})();

const namespace = { kind: 'socket-name', name: 'work' } as const;

describe('PsmuxClient', () => {
  it('list-panes -a asks every session at its own server; ids come back unique and routable', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('main', 1000, 2);
    psmux.addSession('notes', 2000, 2);
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    const output = await client.run([
      'list-panes',
      '-a',
      '-F',
      '#{session_id} #{window_id} #{pane_id} #{pid}',
    ]);
    // psmux itself answers `$0 @0 %0`/`%1` in both sessions, and each session's own pid.
    const oldest = psmux.session('main')!.pid;
    assert.equal(
      output,
      [
        `$0 main:@0 main:.%0 ${oldest}`,
        `$0 main:@0 main:.%1 ${oldest}`,
        `$1 notes:@0 notes:.%0 ${oldest}`,
        `$1 notes:@0 notes:.%1 ${oldest}`,
      ]
        .map((line) => `${line}\n`)
        .join(''),
    );
    assert.deepEqual(
      psmux.calls.slice(1).map((call) => [call.args.slice(2, 6), call.routedTo]),
      [
        [['list-panes', '-s', '-t', 'main:'], 'main'],
        [['list-panes', '-s', '-t', 'notes:'], 'notes'],
      ],
    );
  });

  it('a kill-pane of one session leaves the same pane id of every other session alone', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('main', 1000, 2);
    psmux.addSession('notes', 2000, 2);
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    const panes = (await client.run(['list-panes', '-a', '-F', '#{session_name} #{pane_id}']))
      .trim()
      .split('\n');
    const [, secondOfMain] = panes[1]!.split(' ');
    await client.run(['kill-pane', '-t', secondOfMain!]);
    assert.deepEqual(
      psmux.sessions.map((session) => [session.name, session.windows[0]!.panes.map((pane) => pane.id)]),
      [
        ['main', [0]],
        ['notes', [0, 1]],
      ],
    );
    await assert.rejects(client.run(['kill-pane', '-t', '%1']), UsageError);
    assert.equal(psmux.session('notes')!.windows[0]!.panes.length, 2);
  });

  it('a command without a session goes to the oldest session, a setting to every session', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('old', 1000);
    psmux.addSession('new', 2000);
    const client = new PsmuxClient({
      server: namespace,
      environment: { PSMUX_TARGET_SESSION: 'work__new' },
      execute: psmux.execute,
    });
    // psmux alone would answer from the newest session: its pid would change with every new one.
    assert.equal(
      await client.run(['display-message', '-p', '#{pid} #{start_time}']),
      `${psmux.session('old')!.pid} 1000\n`,
    );
    await client.run(['set-option', '-g', '@continuum-status', 'saved']);
    assert.deepEqual(
      psmux.sessions.map((session) => session.options.get('@continuum-status')),
      ['saved', 'saved'],
    );
  });

  it('set-option -o is refused: psmux 3.3.8 sets nothing and exits 0', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('main', 1000);
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    await assert.rejects(client.run(['set-option', '-go', '@claim', '1']), UsageError);
    assert.equal(psmux.session('main')!.options.has('@claim'), false);
  });

  it('a session whose server is silent in ls is waited for, then an error, never left out', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('main', 1000);
    psmux.addSession('busy', 2000);
    psmux.silent.add('busy');
    const client = new PsmuxClient({
      server: namespace,
      environment: {},
      execute: psmux.execute,
      clock: instantClock,
    });
    await assert.rejects(client.run(['list-panes', '-a', '-F', '#{pane_id}']), /did not answer/);
    psmux.silent.clear();
    assert.deepEqual(await client.sessionNames(), ['main', 'busy']);
  });

  it('new-window at an index: made where psmux puts it, then moved to the index asked for', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('main', 1000);
    const client = new PsmuxClient({
      server: namespace,
      environment: {},
      execute: psmux.execute,
      clock: instantClock,
    });
    const result = await client.applyActions(
      [
        {
          kind: 'create-window',
          address: { session: 'main', windowIndex: 3 },
          windowName: 'logs',
          cwd: '/home/user',
        },
      ],
      { server: { name: 'psmux', version: '3.3.8' } },
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      psmux.session('main')!.windows.map((window) => [window.index, window.name]),
      [
        [0, 'shell'],
        [3, 'logs'],
      ],
    );
  });

  it('an empty ls with exit 0 is no server, for list-panes -a and for list-sessions', async () => {
    const psmux = fakePsmux(() => ({ stdout: '' }));
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    await assert.rejects(client.run(['list-panes', '-a', '-F', 'X']), NoServerError);
    await assert.rejects(client.run(['list-sessions', '-F', '#{session_id}']), NoServerError);
  });

  it('a script runs one command per invocation, routed to its session, failures collected', async () => {
    const psmux = new PsmuxStandIn();
    psmux.addSession('main', 1000);
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    const result = await client.runScript([
      ['select-pane', '-t', '=main:0.0', '-T', 'editor'],
      ['select-window', '-t', '=gone:0'],
      ['set-option', '-g', '@x', 'y'],
    ]);
    assert.deepEqual(result, { stdout: '', errors: ["line 2: no server running on session 'gone'"] });
    assert.deepEqual(
      psmux.calls.filter((call) => !call.args.includes('list-sessions')).map((call) => call.routedTo),
      ['main', undefined, 'main'],
    );
  });

  it('a command for a session that does not exist fails as a command, not as "no server"', async () => {
    const psmux = fakePsmux(() => ({ code: 1, stderr: "no server running on session 'x'" }));
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    await assert.rejects(client.run(['has-session', '-t', 'x']), MuxCommandError);
    await assert.rejects(client.run(['show-options', '-gv', '@x']), NoServerError);
  });

  it('new-session returns once has-session finds the session', async () => {
    let probes = 0;
    const psmux = fakePsmux((args) => {
      if (args[0] === 'has-session') return ++probes < 3 ? { code: 1, stderr: "can't find session: s" } : {};
      return {};
    });
    const client = new PsmuxClient({
      server: { kind: 'inherited', tmuxEnvironment: undefined },
      environment: {},
      execute: psmux.execute,
      clock: instantClock,
    });
    await client.run(['new-session', '-d', '-s', 's', '-x', '80', '-y', '24']);
    assert.equal(probes, 3);
    assert.deepEqual(psmux.calls[0]!.args, ['new-session', '-d', '-s', 's', '-x', '80', '-y', '24']);
  });

  it('a restored session is waited for under the name psmux stores, one # where the command has two', async () => {
    const psmux = fakePsmux(() => ({}));
    const client = new PsmuxClient({
      server: { kind: 'inherited', tmuxEnvironment: undefined },
      environment: {},
      execute: psmux.execute,
      clock: instantClock,
    });
    const result = await client.applyActions(
      [
        {
          kind: 'create-session',
          session: 'a#b',
          windowIndex: 0,
          initialWindowIndex: 0,
          windowName: 'w',
          cwd: '/srv',
          width: 80,
          height: 24,
        },
      ],
      { server: { name: 'psmux', version: '3.3.8' } },
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      psmux.calls.map((call) => call.args),
      [
        ['new-session', '-d', '-s', 'a##b', '-n', 'w', '-c', '/srv', '-x', '80', '-y', '24'],
        ['has-session', '-t', 'a#b:'],
      ],
    );
  });

  it('new-session that never shows up fails at the deadline', async () => {
    const psmux = fakePsmux((args) =>
      args[2] === 'has-session' ? { code: 1, stderr: "can't find session" } : {},
    );
    const client = new PsmuxClient({
      server: namespace,
      environment: {},
      execute: psmux.execute,
      clock: instantClock,
      creationDeadlineMilliseconds: 500,
    });
    await assert.rejects(client.run(['new-session', '-d', '-s', 's']), /did not appear within 500 ms/);
  });

  it('kill-server ends the sessions of this namespace one by one, never every namespace', async () => {
    const psmux = fakePsmux((args) => (args[2] === 'list-sessions' ? { stdout: '1 10 a\n2 20 b\n' } : {}));
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    await client.run(['kill-server']);
    assert.deepEqual(
      psmux.calls.map((call) => call.args.slice(2)),
      [
        ['list-sessions', '-F', '#{pid} #{start_time} #{session_name}'],
        ['kill-session', '-t', '=a'],
        ['kill-session', '-t', '=b'],
      ],
    );
  });

  it('list-clients gives no records (the psmux CLI drops -F); -S is refused', async () => {
    const psmux = fakePsmux(() => ({ stdout: 'garbage' }));
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    assert.equal(await client.run(['list-clients', '-F', 'X']), '');
    assert.equal(psmux.calls.length, 0);
    const withPath = new PsmuxClient({
      server: { kind: 'socket-path', path: 'C:\\s' },
      execute: psmux.execute,
    });
    await assert.rejects(withPath.run(['list-sessions']), UsageError);
  });
});
