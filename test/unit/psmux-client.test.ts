import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MuxCommandError, NoServerError, UsageError } from '../../src/errors.js';
import type { PollClock } from '../../src/mux/poll.js';
import { type ExecutionOutcome, PsmuxClient } from '../../src/mux/psmux-client.js';

interface Call {
  readonly args: readonly string[];
  readonly target: string | undefined;
  readonly nesting: string | undefined;
}

/**
 * A psmux stand-in: answers by the command, records what was asked and with which routing. psmux
 * cannot run here; what it answers is what docs/psmux.md says it answers.
 */
function fakePsmux(
  answer: (args: readonly string[], target: string | undefined) => Partial<ExecutionOutcome>,
) {
  const calls: Call[] = [];
  const execute = async (
    _binary: string,
    args: readonly string[],
    environment: NodeJS.ProcessEnv,
  ): Promise<ExecutionOutcome> => {
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
  it('list-panes -a asks every session of the namespace, each at its own server', async () => {
    const psmux = fakePsmux((args) => {
      const command = args.slice(2);
      if (command[0] === 'list-sessions') return { stdout: 'main\r\nnotes\r\n' };
      if (command[0] === 'list-panes') return { stdout: `panes of ${command[3]}\r\n` };
      return {};
    });
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    const output = await client.run(['list-panes', '-a', '-F', 'FORMAT']);
    assert.equal(output, 'panes of main:\npanes of notes:\n');
    assert.deepEqual(
      psmux.calls.map((call) => [call.args, call.target, call.nesting]),
      [
        [['-L', 'work', 'list-sessions', '-F', '#{session_name}'], undefined, '1'],
        [['-L', 'work', 'list-panes', '-s', '-t', 'main:', '-F', 'FORMAT'], 'work__main', '1'],
        [['-L', 'work', 'list-panes', '-s', '-t', 'notes:', '-F', 'FORMAT'], 'work__notes', '1'],
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
    const psmux = fakePsmux((args) =>
      args.includes('=gone:0')
        ? { code: 1, stderr: "no server running on session 'gone'\r\n" }
        : { stdout: 'ok\r\n' },
    );
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    const result = await client.runScript([
      ['select-pane', '-t', '=main:1.0', '-T', 'editor'],
      ['select-window', '-t', '=gone:0'],
      ['set-option', '-g', '@x', 'y'],
    ]);
    assert.deepEqual(result, { stdout: 'ok\nok\n', errors: ["line 2: no server running on session 'gone'"] });
    assert.deepEqual(
      psmux.calls.map((call) => call.target),
      ['work__main', 'work__gone', undefined],
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
    const psmux = fakePsmux((args) => (args[2] === 'list-sessions' ? { stdout: 'a\nb\n' } : {}));
    const client = new PsmuxClient({ server: namespace, environment: {}, execute: psmux.execute });
    await client.run(['kill-server']);
    assert.deepEqual(
      psmux.calls.map((call) => call.args.slice(2)),
      [
        ['list-sessions', '-F', '#{session_name}'],
        ['kill-session', '-t', 'a:'],
        ['kill-session', '-t', 'b:'],
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
