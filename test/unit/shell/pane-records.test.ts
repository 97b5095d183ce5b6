import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeShellIntegration } from '../../../src/cli/commands/status.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { parseEnvironmentNames } from '../../../src/shell/environment-names.js';
import { parsePaneHistory, parsePaneRecord } from '../../../src/shell/pane-records.js';
import { encodeHistoryFor, planPaneShellRestore } from '../../../src/shell/restore-shell.js';
import { removeClosedPaneRecords } from '../../../src/shell/shell-capture.js';
import { type PaneSnapshot, type Snapshot, validateSnapshot } from '../../../src/snapshot/schema.js';
import { readPaneHistoriesFile } from '../../../src/store/pane-histories-file.js';
import { defaultRetention } from '../../../src/store/retention.js';
import { SaveStore } from '../../../src/store/save-store.js';
import { removeStaleTemporaryFiles } from '../../../src/store/temporary-files.js';
import { pane, session, snapshot } from '../../support/snapshots.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('pane records', () => {
  const complete =
    'continuum-pane\x001\0identity\x004242-3-99\0tmux\0/tmp/tmux-0/my,socket,4242,$1\0tmux-pane\0%3\0' +
    'shell\0bash\0shell-pid\x0099\0history-file\0/run/x.history\0fc-command\0\t vim "a b"\n\0' +
    'environment\0VIRTUAL_ENV=/srv/venv\0environment\0NAMED=line\nx=y\0environment\0bad name=1\0end\0';

  it('reads every field, the server pid from $TMUX (a socket path may hold commas) and the fc line as typed', () => {
    const record = parsePaneRecord(bytes(complete));
    assert.ok(record);
    assert.equal(record.identity, '4242-3-99');
    assert.equal(record.serverPid, 4242);
    assert.equal(record.tmuxPane, '%3');
    assert.equal(record.shellPid, 99);
    assert.equal(record.commandLine, 'vim "a b"');
    assert.deepEqual(Object.fromEntries(record.environment), {
      VIRTUAL_ENV: '/srv/venv',
      NAMED: 'line\nx=y',
    });
    assert.equal(record.complete, true);
  });

  it('uses the complete fields of a record cut off by a concurrent write', () => {
    const cut = complete.slice(0, complete.indexOf('environment\0NAMED') + 15);
    const record = parsePaneRecord(bytes(cut));
    assert.ok(record);
    assert.equal(record.complete, false);
    assert.deepEqual(Object.fromEntries(record.environment), { VIRTUAL_ENV: '/srv/venv' });
    assert.equal(parsePaneRecord(bytes('continuum-pa')), undefined);
    assert.equal(parsePaneRecord(bytes('')), undefined);
    assert.equal(parsePaneRecord(bytes('something else\x001\0identity\0x\0end\0')), undefined);
  });

  it("reads a pane's history, removing fc's decoration for bash only", () => {
    assert.deepEqual(parsePaneHistory(bytes('\t echo a\n\0\0\t echo "b\n c"\n\0\t cut'), 'bash'), [
      'echo a',
      'echo "b\n c"',
    ]);
    assert.deepEqual(parsePaneHistory(bytes('\t keep\0ls\0'), 'zsh'), ['\t keep', 'ls']);
  });

  it('takes variable names from @continuum-environment, separated by spaces or commas', () => {
    assert.deepEqual(parseEnvironmentNames(' AWS_PROFILE,KUBECONFIG  bad-name 1X AWS_PROFILE'), [
      'AWS_PROFILE',
      'KUBECONFIG',
    ]);
  });
});

describe('restoring a pane shell', () => {
  const saved = pane({
    id: '%3',
    shell: {
      identity: '4242-3-99',
      name: 'zsh',
      environment: { VIRTUAL_ENV: '/srv/venv', NAMED: 'a\nb', NOT_NAMED_NOW: 'x' },
    },
  });

  it('passes the identity and a restore file with only the variables named now', () => {
    const restore = planPaneShellRestore(saved, {
      directory: '/run/panes',
      history: ['echo é→'],
      namedVariables: ['NAMED'],
    });
    assert.ok(restore);
    assert.deepEqual(restore.environment, {
      CONTINUUM_PANE_ID: '4242-3-99',
      CONTINUUM_PANE_OWNER: '',
      CONTINUUM_RESTORE_FILE: '/run/panes/4242-3-99.restore',
    });
    assert.deepEqual(
      restore.files.map((file) => [file.path, file.content.toString('utf8')]),
      [
        [
          '/run/panes/4242-3-99.restore',
          'continuum-restore\x001\0history-shell\0zsh\0history-file\0/run/panes/4242-3-99.restore-history\0' +
            'environment\0VIRTUAL_ENV\0/srv/venv\0environment\0NAMED\0a\nb\0',
        ],
        // zsh's history file is metafied: → is E2 86 92, and 0x86, 0x92 are written as 0x83, byte ^ 0x20.
        [
          '/run/panes/4242-3-99.restore-history',
          Buffer.from([...Buffer.from('echo é'), 0xe2, 0x83, 0xa6, 0x83, 0xb2, 0x0a]).toString('utf8'),
        ],
      ],
    );
  });

  it('gives nothing to a pane without a recorded identity, and writes bash history one line per entry', () => {
    assert.equal(
      planPaneShellRestore(pane(), { directory: '/d', history: [], namedVariables: [] }),
      undefined,
    );
    assert.equal(encodeHistoryFor('bash', ['ls', '', 'git status'])?.toString(), 'ls\ngit status\n');
    assert.equal(encodeHistoryFor('nu', ['ls']), undefined);
  });

  it("writes fish history in fish's own file format, stamped before the save", () => {
    const fishPane = pane({ shell: { identity: '4242-3-99', name: 'fish' } });
    const restore = planPaneShellRestore(fishPane, {
      directory: '/run/panes',
      history: ['ls', 'echo a\\b', 'printf "x\ny"', 'echo ü'],
      namedVariables: [],
      savedAt: '2026-01-02T03:04:05.678Z',
    });
    // fish's escaping: one backslash becomes two, a newline becomes backslash-n.
    assert.equal(
      restore?.files[1]?.content.toString('utf8'),
      [
        '- cmd: ls\n  when: 1767323044\n',
        '- cmd: echo a\\\\b\n  when: 1767323044\n',
        '- cmd: printf "x\\ny"\n  when: 1767323044\n',
        '- cmd: echo ü\n  when: 1767323044\n',
      ].join(''),
    );
  });

  it('accepts saves without the shell fields and refuses an identity that is no file name', () => {
    const plain = snapshot({ sessions: [session({ id: '$1', name: 'dev' })] });
    assert.equal(validateSnapshot(plain).ok, true);
    const withShell = JSON.parse(JSON.stringify(plain));
    withShell.sessions[0].windows[0].panes[0].shell = { identity: '../../etc/x' };
    const validation = validateSnapshot(withShell);
    assert.equal(validation.ok, false);
  });
});

describe('saves with pane histories', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const at = (day: number) =>
    snapshot({
      savedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
      sessions: [session({ id: '$1', name: 'dev' })],
    });
  const policy = { ...defaultRetention, maximumAgeDays: 2 };

  it('stores histories beside the save, 0600, saves again when only the history changed, and deletes them with the save', async () => {
    const store = new SaveStore(directory, namedServerIdentity('work'));
    const now = new Date(Date.UTC(2026, 0, 4, 0, 30));
    const paneId = at(1).sessions[0]!.windows[0]!.panes[0]!.id;
    assert.equal(
      (await store.write(at(1), policy, now, undefined, new Map([[paneId, ['ls']]]))).result,
      'written',
    );
    const loaded = await store.load();
    assert.ok(loaded.snapshot.paneHistories);
    const historiesPath = join(directory, loaded.snapshot.paneHistories.file);
    assert.equal(
      loaded.snapshot.sessions[0]!.windows[0]!.panes[0]!.shell?.historyFile,
      loaded.snapshot.paneHistories.file,
    );
    assert.equal((await stat(historiesPath)).mode & 0o777, 0o600);
    assert.deepEqual(await readPaneHistoriesFile(historiesPath), new Map([[paneId, ['ls']]]));

    assert.equal(
      (await store.write(at(2), policy, now, undefined, new Map([[paneId, ['ls']]]))).result,
      'unchanged',
    );
    assert.equal(
      (await store.write(at(3), policy, now, undefined, new Map([[paneId, ['ls', 'pwd']]]))).result,
      'written',
    );
    assert.equal(
      (await store.write(at(4), policy, now, undefined, new Map([[paneId, ['ls', 'pwd', 'id']]]))).result,
      'written',
    );
    const files = await readdir(directory);
    assert.equal(files.filter((name) => name.endsWith('.histories.json.gz')).length, 2);
    assert.ok(!files.includes(loaded.snapshot.paneHistories.file));
  });

  it("saves again when only a pane's named variables or command line changed, not when nothing did", async () => {
    const store = new SaveStore(join(directory, 'shell-state'), namedServerIdentity('work'));
    const now = new Date(Date.UTC(2026, 0, 4, 0, 30));
    const withShell = (day: number, shell: NonNullable<PaneSnapshot['shell']>): Snapshot => {
      const base = at(day);
      const [first] = base.sessions;
      const [window] = first!.windows;
      const panes = window!.panes.map((one) => ({ ...one, shell }));
      return { ...base, sessions: [{ ...first!, windows: [{ ...window!, panes }] }] };
    };
    const results = [];
    for (const [day, shell] of [
      [1, { identity: 'a', name: 'bash', environment: { AWS_PROFILE: 'dev' } }],
      [2, { identity: 'a', name: 'bash', environment: { AWS_PROFILE: 'dev' } }],
      [3, { identity: 'a', name: 'bash', environment: { AWS_PROFILE: 'prod' } }],
      [4, { identity: 'a', name: 'bash', environment: { AWS_PROFILE: 'prod' }, commandLine: 'less x' }],
    ] as const)
      results.push((await store.write(withShell(day, shell), policy, now)).result);
    assert.deepEqual(results, ['written', 'unchanged', 'written', 'written']);
  });
});

describe('leftover pane histories files', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('removes an old histories file whose save was never written, and keeps the others', async () => {
    const kept = 'continuum-2026-11-24T12-00-00-000Z-server-1795522571-4242';
    const orphan = 'continuum-2026-11-24T11-00-00-000Z-server-1795522571-4242';
    const fresh = 'continuum-2026-11-24T12-30-00-000Z-server-1795522571-4242';
    const old = new Date(Date.now() - 10 * 60_000);
    for (const name of [`${kept}.json`, `${kept}.histories.json.gz`, `${orphan}.histories.json.gz`]) {
      await writeFile(join(directory, name), 'x');
      await utimes(join(directory, name), old, old);
    }
    await writeFile(join(directory, `${fresh}.histories.json.gz`), 'x'); // its save is being written now
    await removeStaleTemporaryFiles(directory, { temporaryDirectory: directory });
    assert.deepEqual(
      (await readdir(directory)).sort(),
      [`${kept}.histories.json.gz`, `${kept}.json`, `${fresh}.histories.json.gz`].sort(),
    );
  });
});

describe('records of closed panes', () => {
  let root: string;
  let directory: string;
  before(async () => {
    // As in a runtime directory: continuum/panes, both the user's and 0700.
    root = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    directory = join(root, 'panes');
    await mkdir(directory, { mode: 0o700 });
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const record = (identity: string, serverPid: number, paneId: string): string =>
    `continuum-pane\x001\x00identity\x00${identity}\x00tmux\x00/tmp/s,${serverPid},$0\x00tmux-pane\x00${paneId}\x00end\x00`;

  it("removes the current server's closed panes' records and histories, and nothing else", async () => {
    const saved = snapshot({
      server: { pid: 500, startTime: 1, socketPath: '/tmp/s' },
      savedAt: new Date().toISOString(),
      sessions: [session({ id: '$1', name: 'dev' })],
    });
    const livePane = saved.sessions[0]!.windows[0]!.panes[0]!.id;
    const old = new Date(Date.now() - 10 * 60_000);
    const write = async (identity: string, serverPid: number, paneId: string, time?: Date) => {
      for (const [suffix, content] of [
        ['.state', record(identity, serverPid, paneId)],
        ['.history', 'ls\x00'],
      ] as const) {
        await writeFile(join(directory, `${identity}${suffix}`), content, { mode: 0o600 });
        if (time) await utimes(join(directory, `${identity}${suffix}`), time, time);
      }
    };
    await write('closed', 500, '%99', old);
    await write('live', 500, livePane, old);
    await write('other-server', 600, '%99', old);
    await write('just-created', 500, '%100');
    assert.deepEqual(await removeClosedPaneRecords(saved, directory, new Date()), ['closed']);
    assert.deepEqual((await readdir(directory)).sort(), [
      'just-created.history',
      'just-created.state',
      'live.history',
      'live.state',
      'other-server.history',
      'other-server.state',
    ]);
  });
});

describe('shell integration in status', () => {
  it('names each shell with its count, and how to turn it on when no pane has it', () => {
    assert.equal(
      describeShellIntegration({ panes: 4, shells: { zsh: 1, bash: 2 } }),
      '3 of 4 panes (bash 2, zsh 1)',
    );
    assert.equal(
      describeShellIntegration({ panes: 1, shells: {} }),
      '0 of 1 pane (add `eval "$(continuum shell-init bash)"` (or zsh, fish, pwsh) to your shell\'s rc file)',
    );
  });
});
