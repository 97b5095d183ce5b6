import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PsmuxClient } from '../../src/mux/psmux-client.js';
import { PsmuxNamespace, psmuxMissingReason } from '../support/psmux.js';

/**
 * The psmux suite: continuum driving a real psmux through its psmux dialect, on any platform where
 * CONTINUUM_TEST_PSMUX names a psmux binary (on Windows, psmux on PATH will do:
 * .github/workflows/windows.yml). Elsewhere every test is SKIPPED with the reason.
 */
const missing = await psmuxMissingReason();

/** Every session, window (index and name), pane and pane box of the namespace, comparable. */
async function structure(namespace: PsmuxNamespace, only?: readonly string[]): Promise<string[]> {
  const rows: string[] = [];
  const sessions = (await namespace.sessions()).filter((name) => only === undefined || only.includes(name));
  for (const session of sessions.sort())
    rows.push(
      ...(await namespace.panes(
        session,
        '#{session_name}|#{window_index}|#{window_name}|#{pane_index}|#{pane_left},#{pane_top},#{pane_width},#{pane_height}',
      )),
    );
  return rows;
}

/** Boxes may sit a cell off: psmux keeps a split as a whole percentage (docs/psmux.md, Layouts). */
function assertSameStructure(after: readonly string[], before: readonly string[]): void {
  const withoutBoxes = (rows: readonly string[]) => rows.map((row) => row.slice(0, row.lastIndexOf('|')));
  assert.deepEqual(withoutBoxes(after), withoutBoxes(before));
  for (const [position, row] of before.entries()) {
    const wanted = row
      .slice(row.lastIndexOf('|') + 1)
      .split(',')
      .map(Number);
    const got = after[position]!.slice(after[position]!.lastIndexOf('|') + 1)
      .split(',')
      .map(Number);
    for (const [edge, value] of wanted.entries())
      assert.ok(Math.abs(got[edge]! - value) <= 1, `${row} came back as ${after[position]}`);
  }
}

describe('continuum with a real psmux', () => {
  let namespace: PsmuxNamespace;
  beforeEach(async () => {
    if (!missing) namespace = await PsmuxNamespace.create();
  });
  afterEach(async () => {
    if (!missing) await namespace.dispose();
  });

  it('save and restore bring back every session, window, name, pane and layout', async (t) => {
    if (missing) return t.skip(missing);
    await namespace.newSession('alpha', '-n', 'editor');
    await namespace.psmux('split-window', '-h', '-p', '30', '-t', 'alpha:0');
    await namespace.psmux('split-window', '-v', '-p', '25', '-t', 'alpha:0.1');
    await namespace.psmux('new-window', '-t', 'alpha:', '-n', 'logs');
    await namespace.waitFor(
      async () => (await namespace.panes('alpha', '#{window_index}')).length === 4,
      'alpha',
    );
    await namespace.psmux('split-window', '-v', '-t', 'alpha:1');
    await namespace.newSession('beta', '-n', 'mail');
    await namespace.psmux('split-window', '-h', '-t', 'beta:0');
    await namespace.newSession('gamma', '-n', 'notes');
    await namespace.waitFor(
      async () =>
        (await namespace.panes('alpha', '#{pane_id}')).length === 5 &&
        (await namespace.panes('beta', '#{pane_id}')).length === 2,
      'every pane',
    );
    const before = await structure(namespace);

    const saved = await namespace.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    for (const session of ['alpha', 'beta', 'gamma'])
      await namespace.psmux('kill-session', '-t', `=${session}`);
    await namespace.waitFor(async () => (await namespace.sessions()).length === 0, 'the sessions to end');

    // As after a reboot: a bare `psmux` gives a fresh session, into which the save is restored
    // (a psmux namespace without a session has no server to ask).
    await namespace.psmux('new-session', '-d', '-x', '120', '-y', '40');
    await namespace.waitFor(async () => (await namespace.sessions()).length === 1, 'a fresh session');
    const restored = await namespace.cli('restore');
    assert.equal(restored.code, 0, `${restored.stdout}${restored.stderr}`);
    // The fresh session stays when psmux reports no pane pid to prove it idle (its Linux build
    // does not): only the saved sessions are compared.
    const savedSessions = ['alpha', 'beta', 'gamma'];
    await namespace.waitFor(
      async () => (await structure(namespace, savedSessions)).length === before.length,
      'the restored panes',
    );
    assertSameStructure(await structure(namespace, savedSessions), before);
  });

  it('a kill-pane of one session leaves the panes of every other session alone', async (t) => {
    if (missing) return t.skip(missing);
    for (const session of ['one', 'two', 'three']) {
      await namespace.newSession(session);
      await namespace.psmux('split-window', '-h', '-t', `${session}:0`);
    }
    await namespace.waitFor(
      async () => (await namespace.panes('three', '#{pane_id}')).length === 2,
      'the split panes',
    );
    // psmux counts pane ids per session: the same ids in each.
    const ids = await namespace.panes('one', '#{pane_id}');
    assert.deepEqual(await namespace.panes('two', '#{pane_id}'), ids);
    const client = new PsmuxClient({
      binary: namespace.binary,
      server: { kind: 'socket-name', name: namespace.namespace },
      environment: namespace.environment,
    });
    const all = (await client.run(['list-panes', '-a', '-F', '#{session_name} #{pane_id}']))
      .trim()
      .split('\n');
    const victim = all.find((line) => line.startsWith('two '))!.split(' ')[1]!;
    await client.run(['kill-pane', '-t', victim]);
    await namespace.waitFor(
      async () => (await namespace.panes('two', '#{pane_id}')).length === 1,
      'the kill',
    );
    assert.equal((await namespace.panes('one', '#{pane_id}')).length, 2);
    assert.equal((await namespace.panes('three', '#{pane_id}')).length, 2);
  });

  it('three inits leave one continuum hook, and the hook of the user', async (t) => {
    if (missing) return t.skip(missing);
    await namespace.newSession('main');
    await namespace.psmux('set-hook', '-g', '-t', 'main:', 'client-attached', 'display-message hello');
    for (let init = 0; init < 3; init += 1) {
      const result = await namespace.cli('init');
      assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    }
    const hooks = (await namespace.psmux('show-hooks', '-g', '-t', 'main:')).stdout
      .split(/\r?\n/)
      .filter((line) => line.startsWith('client-attached'));
    assert.equal(hooks.filter((line) => line.includes('daemon start')).length, 1, hooks.join('\n'));
    assert.equal(hooks.filter((line) => line.includes('display-message hello')).length, 1, hooks.join('\n'));
  });

  it('init, then many attaches at once: the hook starts exactly one daemon, which auto-restores once', async (t) => {
    if (missing) return t.skip(missing);
    if (process.platform === 'win32') return t.skip('attaching needs a terminal the workflow does not have');
    await namespace.newSession('work', '-n', 'one');
    await namespace.psmux('new-window', '-t', 'work:', '-n', 'two');
    await namespace.waitFor(
      async () => (await namespace.panes('work', '#{window_name}')).includes('two'),
      'two',
    );
    assert.equal((await namespace.cli('save')).code, 0);
    await namespace.cli('daemon', 'stop');
    await namespace.psmux('kill-session', '-t', '=work');
    await namespace.waitFor(async () => (await namespace.sessions()).length === 0, 'the session to end');

    await namespace.newSession('fresh');
    await namespace.psmux('set-option', '-g', '-t', 'fresh:', '@continuum-restore', 'on');
    const init = await namespace.cli('init');
    assert.equal(init.code, 0, `${init.stdout}${init.stderr}`);
    // init starts a daemon itself; stop it so that only the attaches' hooks start one.
    await namespace.cli('daemon', 'stop');
    await namespace.waitFor(async () => (await namespace.daemonProcesses()) === 0, 'no daemon');
    for (let client = 0; client < 6; client += 1) namespace.attach('fresh');
    await namespace.waitFor(async () => (await namespace.daemonProcesses()) === 1, 'one daemon', 30_000);
    await namespace.waitFor(
      async () => (await namespace.sessions()).includes('work'),
      'the restored session',
      30_000,
    );
    await new Promise((done) => setTimeout(done, 2000));
    assert.equal(await namespace.daemonProcesses(), 1);
    assert.deepEqual(
      (await namespace.panes('work', '#{window_name}')).sort(),
      ['one', 'two'],
      'restored once: no window doubled',
    );
  });

  it('racing daemon starts leave exactly one daemon for the namespace', async (t) => {
    if (missing) return t.skip(missing);
    await namespace.newSession('race');
    const starts = await Promise.all(Array.from({ length: 8 }, () => namespace.cli('daemon', 'start')));
    for (const start of starts) assert.equal(start.code, 0, start.stderr);
    await namespace.waitFor(async () => (await namespace.cli('status')).code === 0, 'the daemon to answer');
    assert.equal(await namespace.daemonProcesses(), 1);
  });

  it("a save leaves out psmux's own __ sessions and, by default, an untouched numbered one", async (t) => {
    if (missing) return t.skip(missing);
    await namespace.newSession('work');
    await namespace.newSession('7');
    await namespace.psmux('new-window', '-t', '7:');
    await namespace.newSession('__hidden__');
    await namespace.newSession('8');
    await namespace.waitFor(async () => (await namespace.panes('7', '#{pane_id}')).length === 2, 'session 7');
    const saved = await namespace.cli('save');
    assert.equal(saved.code, 0, `${saved.stdout}${saved.stderr}`);
    const notSaving = saved.stdout.split(/\r?\n/).find((line) => line.startsWith('not saving ')) ?? '';
    assert.match(notSaving, /"__hidden__" \(psmux's own\)/);
    assert.match(notSaving, /"8" \(unnamed, untouched\)/);
    assert.doesNotMatch(notSaving, /"work"|"7"/);
    assert.match(saved.stdout, /saved 2 sessions/);
  });

  it('--version names psmux', async (t) => {
    if (missing) return t.skip(missing);
    const version = await namespace.cli('--version');
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^continuum \S+\r?\npsmux \d\S* .*\(dialect psmux\)/);
  });
});
