import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decodeQuotedField } from '../../src/mux/quoted-field.js';
import { literalForFormat } from '../../src/mux/script.js';
import { createDaemonTestServer, daemonFilesOf, daemonStatus, disposeWithDaemon } from '../support/daemon.js';
import { startWithConfig } from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/** US and RS (the bytes continuum's formats once separated fields with), a newline and a tab. */
const oddBytes = 'us\x1f rs\x1e nl\n tab\t end';

/**
 * A field's value for one target. Asked for quoted and decoded (src/mux/quoted-field.ts): tmux 3.4
 * and 3.5 print control bytes as octal escapes, so a plain display-message would read differently
 * there. The values are compared with literals, never with what continuum saved.
 */
async function formatValue(server: TestServer, target: string, field: string): Promise<string> {
  const output = await server.tmux('display-message', '-p', '-t', target, `#{q:${field}}`);
  const value = decodeQuotedField(output.endsWith('\n') ? output.slice(0, -1) : output);
  assert.notEqual(value, undefined, `tmux printed ${JSON.stringify(output)} for ${field}`);
  return value!;
}

/** Every session's name as tmux stores it, sorted. */
async function sessionNames(server: TestServer): Promise<(string | undefined)[]> {
  const output = await server.tmux('list-sessions', '-F', '#{q:session_name}');
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => decodeQuotedField(line))
    .sort();
}

/**
 * Text that every version must give back exactly: a backslash before what tmux 3.4 and 3.5 print as
 * escapes (`\035`, `\n`), quotes, `#`, shell metacharacters, unicode and an emoji.
 */
const hardText = `back\\slash \\035 \\n "dq" 'sq' # ünï 😀 |<>%;=$x`;
/** The same with control bytes (DEL, ESC, US, RS, a tab), for names and directories that keep them. */
const hardBytes = `${hardText}\x7f\x1b\x1f\x1e\t end`;

describe('names and directories holding the separator bytes', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('are saved and restored exactly, and cost no other pane', async () => {
    const odd = join(server.home, oddBytes);
    const plain = join(server.home, 'plain');
    await mkdir(odd, { recursive: true });
    await mkdir(plain, { recursive: true });
    await startWithConfig(server, []);
    await server.newSession('work', { cwd: odd });
    await server.tmux('split-window', '-t', '=work:0', '-c', literalForFormat(plain));
    // new-window -n keeps control bytes in the name before 3.7 (rename-window would store them
    // escaped); 3.7 refuses them, and the name is then tried without.
    let windowName = 'win\x1fdow\x1e\ttab';
    const newWindow = () =>
      server.tmuxResult(
        'new-window',
        '-t',
        '=work:',
        '-n',
        literalForFormat(windowName),
        '-c',
        literalForFormat(odd),
      );
    if ((await newWindow()).code !== 0) {
      windowName = 'win dow tab';
      assert.equal((await newWindow()).code, 0);
    }
    // tmux 3.3a refuses a pane title holding control bytes (screen_set_title checks utf8_isvalid)
    // and keeps the old one; whatever it holds must come back.
    await server.tmuxResult('select-pane', '-t', '=work:0.0', '-T', oddBytes);
    await server.tmux('select-pane', '-t', '=work:0.1', '-T', 'title  with  spaces');
    // The shells must have started in their directories before the save reads them.
    await waitFor(
      async () => (await formatValue(server, '=work:0.0', 'pane_current_path')) === odd,
      5000,
      'the first pane to be in the odd directory',
    );
    const titleBefore = await formatValue(server, '=work:0.0', 'pane_title');

    const saved = await server.cli('save');
    assert.equal(saved.stderr, '');
    assert.equal(saved.code, 0);
    assert.match(saved.stdout, /saved 2 sessions, 3 windows, 4 panes to /);

    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.stderr, '');
    assert.equal(restored.code, 0);
    await waitFor(
      async () => (await formatValue(server, '=work:0.0', 'pane_current_path')) === odd,
      5000,
      'the restored pane to be in the odd directory',
    );
    assert.equal(await formatValue(server, '=work:0.1', 'pane_current_path'), plain);
    assert.equal(await formatValue(server, '=work:1', 'window_name'), windowName);
    assert.equal(await formatValue(server, '=work:1.0', 'pane_current_path'), odd);
    assert.equal(await formatValue(server, '=work:0.0', 'pane_title'), titleBefore);
    assert.equal(await formatValue(server, '=work:0.1', 'pane_title'), 'title  with  spaces');
  });
});

describe('names, directories and titles holding backslashes, quotes, unicode and control bytes', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  /**
   * A session, a window and a pane in a directory, all named with the hard text, and control bytes
   * where the running tmux keeps them (3.7 refuses them in session and window names, every version
   * in pane titles). Returns the directory and the window name used.
   */
  async function buildHardEnvironment(): Promise<{ directory: string }> {
    const directory = join(server.home, hardBytes);
    await mkdir(directory, { recursive: true });
    await startWithConfig(server, []);
    const cwd = ['-c', literalForFormat(directory)];
    const sessionMade = await server.tmuxResult(
      'new-session',
      '-d',
      '-s',
      literalForFormat(hardBytes),
      ...cwd,
    );
    if (sessionMade.code !== 0)
      await server.tmux('new-session', '-d', '-s', literalForFormat(hardText), ...cwd);
    let windowName = hardBytes;
    const windowMade = await server.tmuxResult(
      'new-window',
      '-t',
      '=0:',
      '-n',
      literalForFormat(windowName),
      ...cwd,
    );
    if (windowMade.code !== 0) {
      windowName = hardText;
      await server.tmux('new-window', '-t', '=0:', '-n', literalForFormat(windowName), ...cwd);
    }
    await server.tmux('select-pane', '-t', '=0:1.0', '-T', hardText);
    await waitFor(
      async () => (await formatValue(server, '=0:1.0', 'pane_current_path')) === directory,
      5000,
      'the pane to be in the hard directory',
    );
    return { directory };
  }

  it('are saved and restored exactly on the tmux first on PATH', async () => {
    const { directory } = await buildHardEnvironment();
    // tmux 3.2 and later keep a session name escaped (session_check_name), 3.1c as given, and 3.7 a
    // window name and a pane title too (clean_name): that stored form is what must come back.
    const sessionsBefore = await sessionNames(server);
    const windowName = await formatValue(server, '=0:1', 'window_name');
    const title = await formatValue(server, '=0:1.0', 'pane_title');

    assert.equal(sessionsBefore.length, 2);
    const saved = await server.cli('save');
    assert.equal(saved.stderr, '');
    assert.equal(saved.code, 0);
    assert.match(saved.stdout, /saved 2 sessions, 3 windows, 3 panes to /);

    await server.kill();
    await startWithConfig(server, []);
    const restored = await server.cli('restore');
    assert.equal(restored.stderr, '');
    assert.equal(restored.code, 0);
    assert.deepEqual(await sessionNames(server), sessionsBefore);
    assert.equal(await formatValue(server, '=0:1', 'window_name'), windowName);
    assert.equal(await formatValue(server, '=0:1.0', 'pane_title'), title);
    await waitFor(
      async () => (await formatValue(server, '=0:1.0', 'pane_current_path')) === directory,
      5000,
      'the restored pane to be in the hard directory',
    );
    // Nothing differs from the save, and a second restore finds everything in place.
    const diff = await server.cli('diff');
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });

  it('read the same from a client in the C locale: diff sees no change, restore into the complete server does nothing', async () => {
    await buildHardEnvironment();
    const cLocale = { ...server.environment, LC_ALL: 'C', LC_CTYPE: '', LANG: '' };
    const cli = (...args: string[]) => server.cliRaw(['-L', server.socketName, ...args], cLocale);
    const saved = await cli('save');
    assert.equal(saved.stderr, '');
    assert.equal(saved.code, 0);
    const diff = await cli('diff');
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    const restored = await cli('restore');
    assert.equal(restored.stderr, '');
    assert.equal(restored.code, 0, restored.stdout);
  });
});

describe('the daemon, with a pane in a directory holding the separator bytes', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createDaemonTestServer();
  });
  afterEach(async () => {
    await disposeWithDaemon(server);
  });

  it('saves that pane and the changes beside it', async () => {
    const odd = join(server.home, oddBytes);
    await mkdir(odd, { recursive: true });
    await server.newSession('work', { cwd: odd });
    const files = await daemonFilesOf(server);
    assert.equal((await server.cli('daemon', 'start')).code, 0);
    await server.tmux('new-window', '-t', '=work:', '-n', 'beside-it');
    const newest = async (): Promise<string> => {
      const name = (await newestSaveIn(server.saveDirectory)) ?? '';
      return name === '' ? '' : readFile(join(server.saveDirectory, name), 'utf8').catch(() => '');
    };
    await waitFor(async () => (await newest()).includes('beside-it'), 5000, 'a save with the new window');
    const saved = JSON.parse(await newest()) as { sessions: { windows: { panes: { cwd: string }[] }[] }[] };
    assert.equal(saved.sessions[0]!.windows[0]!.panes[0]!.cwd, odd);
    assert.equal((await daemonStatus(files))!.lastError, null);
  });
});
