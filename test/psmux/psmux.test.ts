import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PsmuxNamespace, psmuxMissingReason, runProcess } from './psmux-helpers.js';

/**
 * The psmux integration suite: continuum driving a real psmux through its psmux dialect. It runs
 * on Windows (.github/workflows/windows.yml); everywhere else every test is SKIPPED with the
 * reason, never counted as passed.
 */
const missing = await psmuxMissingReason();

/** Windows, windows' panes, names and layouts of the namespace, in a comparable order. */
async function structure(namespace: PsmuxNamespace): Promise<string[]> {
  const lines: string[] = [];
  for (const session of (await namespace.sessions()).sort()) {
    const result = await namespace.psmux(
      'list-panes',
      '-s',
      '-t',
      session,
      '-F',
      '#{session_name}|#{window_index}|#{window_name}|#{window_layout}|#{pane_index}|#{pane_current_path}',
    );
    assert.equal(result.code, 0, result.stderr);
    // The layout's checksum and pane ids change with new panes; its geometry must not.
    const withoutIds = result.stdout.replace(/\r\n/g, '\n').replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');
    lines.push(...withoutIds.split('\n').filter((line) => line !== ''));
  }
  return lines.map((line) => line.replace(/\|[0-9a-f]{4},/, '|'));
}

async function daemonProcesses(namespace: PsmuxNamespace): Promise<number> {
  const script = `@(Get-CimInstance Win32_Process -Filter "Name='node.exe'" | Where-Object { $_.CommandLine -like '*daemon run*' -and $_.CommandLine -like '*${namespace.namespace}*' }).Count`;
  const result = await runProcess(
    'powershell',
    ['-NoProfile', '-NonInteractive', '-Command', script],
    process.env,
  );
  assert.equal(result.code, 0, result.stderr);
  return Number(result.stdout.trim());
}

describe('continuum with psmux (Windows)', () => {
  let namespace: PsmuxNamespace;
  beforeEach(async () => {
    if (!missing) namespace = await PsmuxNamespace.create();
  });
  afterEach(async () => {
    if (!missing) await namespace.dispose();
  });

  it('save and restore round-trip sessions, windows, panes and layouts through the psmux dialect', async (t) => {
    if (missing) {
      t.skip(missing);
      return;
    }
    const created = await namespace.psmux(
      'new-session',
      '-d',
      '-s',
      'work',
      '-n',
      'editor',
      '-x',
      '120',
      '-y',
      '40',
    );
    assert.equal(created.code, 0, created.stderr);
    await namespace.waitFor(async () => (await namespace.sessions()).includes('work'), 'session work');
    await namespace.psmux('split-window', '-h', '-t', 'work:0');
    await namespace.psmux('new-window', '-t', 'work', '-n', 'logs');
    await namespace.waitFor(
      async () =>
        (await namespace.psmux('list-windows', '-t', 'work', '-F', '#{window_index}')).stdout
          .trim()
          .split(/\r?\n/).length === 2,
      'the second window',
    );
    const before = await structure(namespace);

    const saved = await namespace.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    await namespace.psmux('kill-session', '-t', 'work');
    await namespace.waitFor(async () => (await namespace.sessions()).length === 0, 'the session to end');

    const restored = await namespace.cli('restore');
    assert.equal(restored.code, 0, restored.stderr);
    await namespace.waitFor(
      async () => (await structure(namespace)).length === before.length,
      'the restored panes',
    );
    assert.deepEqual(await structure(namespace), before);
  });

  it('eight simultaneous daemon starts leave exactly one daemon for the namespace', async (t) => {
    if (missing) {
      t.skip(missing);
      return;
    }
    await namespace.psmux('new-session', '-d', '-s', 'race');
    await namespace.waitFor(async () => (await namespace.sessions()).includes('race'), 'session race');
    const starts = await Promise.all(Array.from({ length: 8 }, () => namespace.cli('daemon', 'start')));
    for (const start of starts) assert.equal(start.code, 0, start.stderr);
    await namespace.waitFor(async () => (await namespace.cli('status')).code === 0, 'the daemon to answer');
    assert.equal(await daemonProcesses(namespace), 1);
  });

  it('auto-restore runs once when the session-created hook fires six times at once', async (t) => {
    if (missing) {
      t.skip(missing);
      return;
    }
    await namespace.psmux('new-session', '-d', '-s', 'work', '-n', 'one');
    await namespace.waitFor(async () => (await namespace.sessions()).includes('work'), 'session work');
    await namespace.psmux('new-window', '-t', 'work', '-n', 'two');
    await namespace.waitFor(
      async () =>
        (await namespace.psmux('list-windows', '-t', 'work', '-F', '#{window_name}')).stdout.includes('two'),
      'window two',
    );
    assert.equal((await namespace.cli('save')).code, 0);
    await namespace.psmux('kill-session', '-t', 'work');
    await namespace.waitFor(async () => (await namespace.sessions()).length === 0, 'the session to end');

    await namespace.psmux('new-session', '-d', '-s', 'fresh');
    await namespace.waitFor(async () => (await namespace.sessions()).includes('fresh'), 'session fresh');
    await namespace.psmux('set-option', '-t', 'fresh', '-g', '@continuum-restore', 'on');
    const hooks = await Promise.all(
      Array.from({ length: 6 }, () => namespace.cli('hook', 'session-created')),
    );
    for (const hook of hooks) assert.equal(hook.code, 0, hook.stderr);
    await namespace.waitFor(
      async () => (await namespace.sessions()).includes('work'),
      'the restored session',
    );
    const windows = await namespace.psmux('list-windows', '-t', 'work', '-F', '#{window_name}');
    assert.deepEqual(windows.stdout.trim().split(/\r?\n/), ['one', 'two']);
  });
});
