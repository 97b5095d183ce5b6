import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/errors.js';
import { binaryName, dialectFor, selectMux } from '../../../src/mux/dialect-selection.js';
import { isPsmuxVersion, versionLineOf, versionLines } from '../../../src/mux/mux-version.js';
import { type PollClock, pollUntil } from '../../../src/mux/poll.js';
import {
  isWarmSession,
  isWindowsAbsolutePath,
  normalisePsmuxOutput,
  parsePsmuxSessionList,
  parsePsmuxTmuxVariable,
  psmuxDialect,
  psmuxSessionTarget,
  registryName,
  sessionOfTarget,
  targetOf,
  windowsPathKey,
} from '../../../src/mux/psmux-dialect.js';
import { tmuxDialect } from '../../../src/mux/tmux-dialect.js';

describe('dialectFor: which dialect a binary speaks', () => {
  it('psmux and pmux are psmux on every platform, with or without a path and .exe', () => {
    for (const binary of [
      'psmux',
      'pmux',
      'PSMUX.EXE',
      'C:\\Users\\ana\\.cargo\\bin\\psmux.exe',
      '/opt/psmux/pmux',
    ]) {
      assert.equal(dialectFor(binary, 'linux').name, 'psmux', binary);
      assert.equal(dialectFor(binary, 'win32').name, 'psmux', binary);
    }
  });

  it('tmux is tmux on Linux and macOS, and psmux on Windows (psmux installs tmux.exe as itself)', () => {
    assert.equal(dialectFor('tmux', 'linux').name, 'tmux');
    assert.equal(dialectFor('/usr/local/bin/tmux', 'darwin').name, 'tmux');
    assert.equal(dialectFor('tmux', 'win32').name, 'psmux');
    assert.equal(dialectFor('C:\\Program Files\\psmux\\tmux.exe', 'win32').name, 'psmux');
  });

  it('any other name follows the platform', () => {
    assert.equal(dialectFor('/home/ana/bin/my-tmux-build', 'linux').name, 'tmux');
    assert.equal(dialectFor('D:\\tools\\mux.exe', 'win32').name, 'psmux');
  });

  it('binaryName strips directories of both kinds, .exe and case', () => {
    assert.equal(binaryName('C:\\a\\b\\PMux.Exe'), 'pmux');
    assert.equal(binaryName('/usr/bin/tmux'), 'tmux');
  });
});

describe('selectMux: --mux, CONTINUUM_MUX, then the platform default', () => {
  it('the option wins over the environment', () => {
    const chosen = selectMux('psmux', { CONTINUUM_MUX: 'tmux' }, 'linux');
    assert.deepEqual([chosen.binary, chosen.dialect.name], ['psmux', 'psmux']);
  });
  it('the environment is used without an option', () => {
    const chosen = selectMux(undefined, { CONTINUUM_MUX: '/opt/bin/pmux' }, 'linux');
    assert.deepEqual([chosen.binary, chosen.dialect.name], ['/opt/bin/pmux', 'psmux']);
  });
  it('Windows defaults to psmux, other platforms to tmux', () => {
    assert.deepEqual(
      [selectMux(undefined, {}, 'win32').binary, selectMux(undefined, {}, 'win32').dialect.name],
      ['psmux', 'psmux'],
    );
    assert.deepEqual(
      [selectMux(undefined, {}, 'linux').binary, selectMux(undefined, {}, 'linux').dialect.name],
      ['tmux', 'tmux'],
    );
  });
  it('an empty CONTINUUM_MUX falls back to the default; a blank --mux is a usage error', () => {
    assert.equal(selectMux(undefined, { CONTINUUM_MUX: '' }, 'linux').binary, 'tmux');
    assert.throws(() => selectMux('  ', {}, 'linux'), UsageError);
  });
});

describe('psmux output quirks', () => {
  it('a byte-order mark and CRLF line ends are removed; a lone CR inside a line is kept', () => {
    assert.equal(normalisePsmuxOutput('\uFEFFwork\r\nnotes\r\n'), 'work\nnotes\n');
    assert.equal(normalisePsmuxOutput('a\rb\n'), 'a\rb\n');
  });

  it('ls with exit 0 and nothing printed means no server in the namespace', () => {
    assert.deepEqual(parsePsmuxSessionList({ code: 0, stdout: '', stderr: '' }), { kind: 'no-server' });
  });

  it('an empty line is a session whose server did not answer ls within 500 ms: it exists', () => {
    assert.deepEqual(parsePsmuxSessionList({ code: 0, stdout: '\r\n', stderr: '' }), {
      kind: 'sessions',
      names: [],
      unanswered: 1,
    });
    assert.deepEqual(parsePsmuxSessionList({ code: 0, stdout: 'work\n\nnotes\n', stderr: '' }), {
      kind: 'sessions',
      names: ['work', 'notes'],
      unanswered: 1,
    });
  });

  it('tmux reads the same empty output as a server without sessions, only its error as no server', () => {
    assert.deepEqual(tmuxDialect.parseSessionList({ code: 0, stdout: '', stderr: '' }), {
      kind: 'sessions',
      names: [],
    });
    assert.deepEqual(
      tmuxDialect.parseSessionList({ code: 1, stdout: '', stderr: 'no server running on /tmp/x\n' }),
      { kind: 'no-server' },
    );
  });

  it('the warm session is never a session to save, bare or in a namespace', () => {
    const listing = parsePsmuxSessionList(
      { code: 0, stdout: '__warm__\r\nwork\r\nwork____warm__\r\nmy__warm__\r\n', stderr: '' },
      'work',
    );
    assert.deepEqual(listing, { kind: 'sessions', names: ['work', 'my__warm__'], unanswered: 0 });
    assert.equal(isWarmSession('__warm__'), true);
    assert.equal(isWarmSession('ns____warm__', 'ns'), true);
    assert.equal(isWarmSession('ns____warm__'), false);
  });

  it('a warm session alone is no server', () => {
    assert.deepEqual(parsePsmuxSessionList({ code: 0, stdout: '__warm__\n', stderr: '' }), {
      kind: 'no-server',
    });
  });

  it('a failed ls that says no server is no server; another failure lists nothing', () => {
    assert.deepEqual(
      parsePsmuxSessionList({ code: 1, stdout: '', stderr: "no server running on session 'default'" }),
      { kind: 'no-server' },
    );
    assert.deepEqual(parsePsmuxSessionList({ code: 1, stdout: '', stderr: 'access denied' }), {
      kind: 'sessions',
      names: [],
      unanswered: 0,
    });
  });

  it('session names keep unicode and spaces', () => {
    assert.deepEqual(parsePsmuxSessionList({ code: 0, stdout: 'проект один\r\n日本\r\n', stderr: '' }), {
      kind: 'sessions',
      names: ['проект один', '日本'],
      unanswered: 0,
    });
  });
});

describe('psmux -V', () => {
  it('psmux prints tmux 3.3.8 first and its own line second: the second names it', () => {
    const output = 'tmux 3.3.8\r\npsmux 3.3.8 (b2ac6eb 2026-11-30)\r\n';
    assert.equal(versionLineOf(output), 'psmux 3.3.8 (b2ac6eb 2026-11-30)');
    assert.equal(isPsmuxVersion(output), true);
    assert.equal(isPsmuxVersion('tmux 3.3a\n'), false);
    assert.equal(versionLineOf('tmux 3.3a\n'), 'tmux 3.3a');
    assert.deepEqual(versionLines('1.0.0', 'tmux', versionLineOf(output)), [
      'continuum 1.0.0',
      'psmux 3.3.8 (b2ac6eb 2026-11-30) (dialect tmux)',
      'this tmux is psmux: run continuum with --mux psmux (or CONTINUUM_MUX=psmux)',
    ]);
  });
});

describe('psmux addressing', () => {
  it('-L names the namespace; -S is refused, since psmux would ignore it', () => {
    assert.deepEqual(psmuxDialect.serverArguments({ kind: 'socket-name', name: 'work' }), ['-L', 'work']);
    assert.deepEqual(psmuxDialect.serverArguments({ kind: 'inherited', tmuxEnvironment: undefined }), []);
    assert.throws(() => psmuxDialect.serverArguments({ kind: 'socket-path', path: 'C:\\x' }), UsageError);
  });

  it('no PSMUX_TARGET_SESSION: psmux overwrites it from $TMUX or the newest session; nesting is allowed', () => {
    assert.deepEqual(psmuxDialect.environmentFor({ kind: 'socket-name', name: 'work' }), {
      PSMUX_ALLOW_NESTING: '1',
    });
    assert.equal(registryName(undefined, 'x'), 'x');
  });

  it('the session a command goes to is read from its -t target', () => {
    assert.equal(sessionOfTarget('=work:1.2'), 'work');
    assert.equal(sessionOfTarget('work'), 'work');
    assert.equal(sessionOfTarget('%4'), undefined);
    assert.equal(sessionOfTarget('=@3'), undefined);
    assert.equal(sessionOfTarget(':1'), undefined);
    assert.equal(targetOf(['select-pane', '-t', '=a:0.1', '-T', 'x']), '=a:0.1');
    assert.equal(targetOf(['list-sessions']), undefined);
    // psmux reads a bare `api.2` as session api, pane 2: whole-session targets end in `:`.
    assert.equal(psmuxSessionTarget('api.2'), 'api.2:');
  });

  it("psmux's $TMUX carries a port, not a pid", () => {
    assert.deepEqual(parsePsmuxTmuxVariable('/tmp/psmux-4242/work,53117,0'), {
      socketName: 'work',
      port: 53117,
    });
    assert.equal(parsePsmuxTmuxVariable('garbage'), undefined);
    assert.equal(parsePsmuxTmuxVariable(undefined), undefined);
  });

  it('the dialect says how it differs from tmux', () => {
    assert.equal(psmuxDialect.scriptDelivery, 'one-invocation-per-command');
    assert.equal(psmuxDialect.creation, 'asynchronous');
    assert.equal(psmuxDialect.layoutStrings, 'verify-or-split');
    assert.equal(psmuxDialect.displayMessageKeepsControlBytes, false);
    assert.ok(psmuxDialect.substitutes.some((entry) => entry.command.startsWith('source-file')));
    assert.equal(tmuxDialect.scriptDelivery, 'source-file');
    assert.deepEqual(tmuxDialect.substitutes, []);
  });
});

describe('Windows paths', () => {
  it('drive, UNC and long paths are absolute; relative and POSIX-only ones are not', () => {
    for (const path of ['C:\\Users\\ana', 'd:/src', '\\\\server\\share\\dir', '\\\\?\\C:\\very\\long'])
      assert.equal(isWindowsAbsolutePath(path), true, path);
    for (const path of ['Users\\ana', 'C:relative', '\\\\server', '/home/ana'])
      assert.equal(isWindowsAbsolutePath(path), false, path);
  });

  it('comparison keys ignore case, separator kind and trailing separators, but keep a drive root', () => {
    assert.equal(windowsPathKey('C:/Users/Ana/'), windowsPathKey('c:\\users\\ana'));
    assert.equal(windowsPathKey('\\\\Server\\Share\\Dir\\'), '\\\\server\\share\\dir');
    assert.equal(windowsPathKey('C:\\'), 'c:\\');
    assert.notEqual(windowsPathKey('C:\\a b'), windowsPathKey('C:\\a  b'));
  });
});

describe('pollUntil: asynchronous creation waited for with a deadline', () => {
  function fakeClock(): PollClock & { slept: number[] } {
    let time = 0;
    const slept: number[] = [];
    return {
      slept,
      now: () => time,
      sleep: async (milliseconds) => {
        slept.push(milliseconds);
        time += milliseconds;
      },
    };
  }

  it('returns the value on the attempt that finds it', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await pollUntil(
      async () => (++calls === 3 ? '%7' : undefined),
      { deadlineMilliseconds: 1000, intervalMilliseconds: 100 },
      clock,
    );
    assert.deepEqual(result, { result: 'found', value: '%7', attempts: 3 });
    assert.deepEqual(clock.slept, [100, 100]);
  });

  it('gives up at the deadline, with a last attempt at the deadline itself', async () => {
    const clock = fakeClock();
    const result = await pollUntil(
      async () => undefined,
      { deadlineMilliseconds: 250, intervalMilliseconds: 100 },
      clock,
    );
    assert.deepEqual(result, { result: 'timed-out', attempts: 4 });
    assert.deepEqual(clock.slept, [100, 100, 50]);
  });
});
