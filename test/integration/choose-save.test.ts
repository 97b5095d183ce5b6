import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { parseSaveFileName, saveFileName } from '../../src/store/save-files.js';
import { readSnapshotFile } from '../../src/store/save-store.js';
import { captureSnapshot, listIds, startWithConfig } from '../fixtures/live-server.js';
import { type ProcessResult, TestServer } from '../helpers/tmux-server.js';

function succeeded(result: ProcessResult, code = 0): string {
  assert.equal(result.code, code, `exit ${result.code}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function saveFiles(server: TestServer): Promise<string[]> {
  return (await readdir(server.saveDirectory)).filter((name) => name.endsWith('.json')).sort();
}

async function allFiles(server: TestServer): Promise<string[]> {
  return (await readdir(server.saveDirectory)).sort();
}

/** The server killed and started again with only the bootstrap session "0", as after a reboot. */
async function restartFresh(server: TestServer, configLines: readonly string[] = []): Promise<void> {
  await server.kill();
  await startWithConfig(server, configLines);
}

interface ListedSave {
  number: number | null;
  name: string;
  savedAt: string;
  counts: { sessions: number; windows: number; panes: number } | null;
  lifetime: { id: string; startedAt: string; pid: number };
  hasContents: boolean;
  current: boolean;
}

async function listed(server: TestServer): Promise<ListedSave[]> {
  return (JSON.parse(succeeded(await server.cli('list', '--json'))) as { saves: ListedSave[] }).saves;
}

/** The session names `show` prints for a save, which tell the test's saves apart. */
async function shownSessions(server: TestServer, ...args: string[]): Promise<string[]> {
  const output = succeeded(await server.cli('show', ...args));
  return [...output.matchAll(/^session "([^"]+)"/gm)].map((match) => match[1]!);
}

/**
 * A copy of a real save re-dated to `savedAt`, with its first session renamed to `label`: saves
 * of known times without waiting hours (the CLI has no fake clock).
 */
async function redatedCopy(
  server: TestServer,
  fileName: string,
  savedAt: Date,
  label: string,
): Promise<string> {
  const original = parseSaveFileName(fileName)!;
  const [startTime, pid] = original.serverLifetime.split('-').map(Number) as [number, number];
  const copyName = saveFileName(savedAt, { startTime, pid }, 0, original.serverTag);
  const document = JSON.parse(await readFile(join(server.saveDirectory, fileName), 'utf8')) as {
    savedAt: string;
    sessions: { name: string }[];
  };
  document.savedAt = savedAt.toISOString();
  document.sessions[0]!.name = label;
  await writeFile(join(server.saveDirectory, copyName), JSON.stringify(document), { mode: 0o600 });
  return copyName;
}

describe('continuum list', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('numbers the saves newest first, groups them by server lifetime, marks contents and the one restore uses', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('work');
    succeeded(await server.cli('save'));
    await server.tmux('set', '-g', '@resurrect-capture-pane-contents', 'off');
    await server.tmux('new-window', '-d', '-t', '=work:');
    succeeded(await server.cli('save'));
    await restartFresh(server);
    await server.newSession('after');
    succeeded(await server.cli('save'));

    const saves = await listed(server);
    assert.deepEqual(
      saves.map((save) => [save.number, save.current, save.hasContents, save.counts?.sessions]),
      [
        [1, true, false, 2],
        [2, false, false, 2],
        [3, false, true, 2],
      ],
    );
    const [newest, middle, oldest] = saves as [ListedSave, ListedSave, ListedSave];
    assert.equal(middle.lifetime.id, oldest.lifetime.id);
    assert.notEqual(newest.lifetime.id, middle.lifetime.id);
    assert.deepEqual(await saveFiles(server), saves.map((save) => save.name).sort());

    const lines = succeeded(await server.cli('list'))
      .split('\n')
      .filter(Boolean);
    assert.equal(lines.length, 1 + 2 + 3, lines.join('\n'));
    // A header line before each lifetime: the restart is visible where it happened.
    const headers = lines.flatMap((line, index) => (line.startsWith('— server started ') ? [index] : []));
    assert.deepEqual(headers, [1, 3]);
    assert.match(lines[1]!, new RegExp(`\\(pid ${newest.lifetime.pid}\\) —$`));
    assert.match(lines[3]!, new RegExp(`\\(pid ${oldest.lifetime.pid}\\) —$`));
    assert.match(lines[2]!, /^\* {2}1 {2}\d\d:\d\d, \d+ s ago +2 sessions, 2 windows, 2 panes$/);
    assert.match(lines[4]!, /^ {3}2 {2}.* 2 sessions, 3 windows, 3 panes$/);
    assert.match(lines[5]!, /^ {3}3 {2}.* 2 sessions, 2 windows, 2 panes {2}contents$/);
    // Past the first line, which names the directory.
    for (const line of lines.slice(1)) assert.ok([...line].length <= 80, line);
  });
});

describe('choosing a save', () => {
  let server: TestServer;
  let newestName: string;
  let fiveHoursAgo: Date;
  let fiveHoursName: string;
  let thirtyHoursName: string;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.start();
    await server.newSession('now');
    succeeded(await server.cli('save'));
    newestName = (await saveFiles(server))[0]!;
    // Whole seconds, so an ISO time the test prints names the same instant.
    const base = Math.floor(Date.now() / 1000) * 1000;
    fiveHoursAgo = new Date(base - 5 * 3600_000);
    fiveHoursName = await redatedCopy(server, newestName, fiveHoursAgo, 'five-hours-ago');
    thirtyHoursName = await redatedCopy(
      server,
      newestName!,
      new Date(base - 30 * 3600_000),
      'thirty-hours-ago',
    );
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('takes the numbers of list', async () => {
    assert.deepEqual(
      (await listed(server)).map((save) => save.number),
      [1, 2, 3],
    );
    assert.deepEqual(await shownSessions(server, '1'), ['0', 'now']);
    assert.deepEqual(await shownSessions(server, '2'), ['five-hours-ago', 'now']);
    assert.deepEqual(await shownSessions(server, '3'), ['thirty-hours-ago', 'now']);
    const diff = await server.cli('diff', '3', '2');
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /thirty-hours-ago/);
    const planned = succeeded(await server.cli('restore', '--dry-run', '2'));
    // The renamed session is missing from the server: the plan creates it.
    assert.match(planned.split('\n')[0]!, /\(\d+ actions\):$/);
    assert.ok(planned.startsWith(`restore plan for ${join(server.saveDirectory, fiveHoursName)} (`), planned);

    const missing = await server.cli('show', '4');
    assert.equal(missing.code, 5);
    assert.match(missing.stderr, /^continuum: no save number 4: -L \S+ has saves 1 to 3 in /);
    assert.equal(missing.stderr.split('\n').filter(Boolean).length, 1);
  });

  it('takes --before TIME: the newest save strictly before it', async () => {
    assert.deepEqual(await shownSessions(server, '--before', '2h'), ['five-hours-ago', 'now']);
    assert.deepEqual(await shownSessions(server, '--before', '5h30m'), ['thirty-hours-ago', 'now']);
    assert.deepEqual(await shownSessions(server, '--before', fiveHoursAgo.toISOString()), [
      'thirty-hours-ago',
      'now',
    ]);
    assert.deepEqual(
      await shownSessions(server, '--before', new Date(fiveHoursAgo.getTime() + 1000).toISOString()),
      ['five-hours-ago', 'now'],
    );
    const planned = succeeded(await server.cli('restore', '--dry-run', '--before', '1d'));
    assert.match(
      planned.split('\n')[0]!,
      new RegExp(`^restore plan for ${join(server.saveDirectory, thirtyHoursName)} \\(`),
    );
    // diff --before TIME compares that save with the one given beside it.
    const diff = await server.cli('diff', '--before', '2h', '1');
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /five-hours-ago/);

    const none = await server.cli('show', '--before', '3d');
    assert.equal(none.code, 5, none.stderr);
    assert.match(none.stderr, /no save of -L \S+ older than .* \(--before 3d\): the oldest is from /);

    for (const command of ['show', 'restore', 'diff', 'delete']) {
      const bad = await server.cli(command, '--before', 'soon');
      assert.equal(bad.code, 2, `${command}: ${bad.stderr}`);
      assert.equal(bad.stderr.split('\n').filter(Boolean).length, 1, bad.stderr);
      assert.match(bad.stderr, /--before "soon" is not a time — use .*"2h".*"yesterday 18:00".*ISO time/);
    }
    assert.equal((await saveFiles(server)).length, 3);
  });
});

describe('continuum restore --session', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('restores only the sessions named, exactly, and a second run plans nothing', async () => {
    await server.start();
    for (const name of ['keep', 'other', 'third']) {
      await server.tmux('new-session', '-d', '-s', name, '-n', `${name} one`, '-x', '100', '-y', '30');
      await server.tmux('split-window', '-h', '-t', `=${name}:0`);
      await server.tmux('new-window', '-d', '-t', `=${name}:3`, '-n', `${name} two`);
      await server.tmux('split-window', '-v', '-t', `=${name}:3`);
    }
    await server.tmux('kill-session', '-t', '=0');
    succeeded(await server.cli('save'));
    const [saveName] = await saveFiles(server);
    const saved = await readSnapshotFile(join(server.saveDirectory, saveName!));
    const savedKeep = snapshotStructure(saved).sessions.find((session) => session.name === 'keep');

    await restartFresh(server);
    const unknown = await server.cli('restore', '--session', 'keep', '--session', 'nope');
    assert.equal(unknown.code, 5, unknown.stderr);
    assert.match(unknown.stderr, /holds no session "nope"; it holds "keep", "other", "third"/);
    assert.equal(unknown.stderr.split('\n').filter(Boolean).length, 1);
    assert.deepEqual(
      (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean),
      ['0'],
    );

    const restored = succeeded(await server.cli('restore', '--session', 'keep'));
    assert.match(restored, /^restored 1 session and 2 windows from /);
    const live = snapshotStructure(await captureSnapshot(server));
    // --session touches only what it restores: the fresh server's own session stays (docs/restore.md).
    assert.deepEqual(
      live.sessions.map((session) => session.name),
      ['0', 'keep'],
    );
    assert.deepEqual(
      live.sessions.find((session) => session.name === 'keep'),
      savedKeep,
    );

    const ids = await listIds(server);
    const planned = succeeded(await server.cli('restore', '--dry-run', '--session', 'keep'));
    assert.match(planned, /\(0 actions\):\n$/);
    const again = succeeded(await server.cli('restore', '--session', 'keep'));
    assert.match(again, /^nothing to restore/);
    assert.equal(await listIds(server), ids);

    // The rest of the save is still there to restore.
    succeeded(await server.cli('restore', '--session', 'third', '1'));
    assert.deepEqual(
      snapshotStructure(await captureSnapshot(server)).sessions.map((session) => session.name),
      ['0', 'keep', 'third'],
    );
  });
});

describe('continuum delete', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('removes a save with its pane contents, and keeps the newest save of an earlier server unless forced', async () => {
    await startWithConfig(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('first');
    succeeded(await server.cli('save'));
    await server.tmux('new-window', '-d', '-t', '=first:');
    succeeded(await server.cli('save'));
    await restartFresh(server, ['set -g @resurrect-capture-pane-contents on']);
    await server.newSession('second');
    succeeded(await server.cli('save'));
    await server.tmux('new-window', '-d', '-t', '=second:');
    succeeded(await server.cli('save'));
    const before = await listed(server);
    assert.equal(before.length, 4);
    assert.ok(before.every((save) => save.hasContents));
    const contentsOf = (name: string): string => name.replace(/\.json$/, '.contents.json.gz');
    assert.equal((await allFiles(server)).length, 8);

    // 3 is the newest save of the earlier server: what restores its sessions after a restart.
    const refused = await server.cli('delete', '2', '3');
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stderr.split('\n').filter(Boolean).length, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /is the newest save of the server that started .*nothing was deleted — add --force/,
    );
    assert.equal((await allFiles(server)).length, 8);

    // 2 and 4 at once: both resolved before either is gone (numbers shift as saves go).
    const deleted = succeeded(await server.cli('delete', '2', '4'));
    assert.deepEqual(deleted.split('\n').filter(Boolean), [
      `deleted ${before[1]!.name.replace(/\.json$/, '')} and its pane contents`,
      `deleted ${before[3]!.name.replace(/\.json$/, '')} and its pane contents`,
    ]);
    const expected = [before[0]!.name, before[2]!.name];
    assert.deepEqual(await allFiles(server), [...expected, ...expected.map(contentsOf)].sort());

    // Now 2 is the earlier server's only save.
    assert.equal((await server.cli('delete', '2')).code, 1);
    succeeded(await server.cli('delete', '--force', '2'));
    assert.deepEqual(await allFiles(server), [before[0]!.name, contentsOf(before[0]!.name)].sort());
  });

  it('refuses names that are no save of the directory, and deletes nothing then', async () => {
    await server.start();
    succeeded(await server.cli('save'));
    const [saveName] = await saveFiles(server);
    await writeFile(join(server.saveDirectory, 'last'), 'tmux-resurrect\n');
    const elsewhere = join(server.root, 'copy.json');
    await writeFile(elsewhere, await readFile(join(server.saveDirectory, saveName!)));

    const cases: [string[], number, RegExp][] = [
      [['no-such-save'], 5, /no save named "no-such-save"/],
      [['1', '7'], 5, /no save number 7/],
      [[join(server.saveDirectory, 'last')], 2, /is not a continuum save in /],
      [[elsewhere], 2, /is not a continuum save in /],
      [[], 2, /delete needs the saves to delete/],
    ];
    for (const [args, code, message] of cases) {
      const result = await server.cli('delete', ...args);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
    }
    assert.deepEqual(await allFiles(server), [saveName!, 'last'].sort());
    assert.equal(
      await readFile(elsewhere, 'utf8'),
      await readFile(join(server.saveDirectory, saveName!), 'utf8'),
    );
  });
});
