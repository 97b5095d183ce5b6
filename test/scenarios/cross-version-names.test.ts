import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decodeQuotedField } from '../../src/mux/quoted-field.js';
import { literalForFormat } from '../../src/mux/script.js';
import { startWithConfig } from '../support/live-server.js';
import { missingMatrixVersions, useMatrixVersion } from '../support/tmux-matrix.js';
import { TestServer } from '../support/tmux-server.js';

/**
 * A save made on one tmux restored on another, with session and window names holding a backslash,
 * `$` and a control byte: 3.1c keeps session names as given, 3.2 and later keep them escaped (3.3a
 * also escapes `$`), and 3.7 and later refuse control bytes in session and window names. The
 * binaries come from the version matrix's cache; without them the test is skipped, naming them.
 */
const versions = ['3.1c', '3.3a', '3.5a', '3.8'] as const;
type Version = (typeof versions)[number];
const skip = await missingMatrixVersions(versions);

async function names(server: TestServer, command: string[], field: string): Promise<(string | undefined)[]> {
  const output = await server.tmux(...command, '-F', `#{q:${field}}`);
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => decodeQuotedField(line))
    .sort();
}

const slashName = 'back\\slash $x';
const controlName = 'us\x1fend';
const windowName = 'w\x1fin\\dow';

/**
 * What each version stores for the names above, written out from what each was seen to store, or
 * `undefined` where it refuses them (then the restore replaces the control byte by `_`).
 */
const stored: Record<Version, { slash: string; control: string | undefined; window: string | undefined }> = {
  '3.1c': { slash: slashName, control: controlName, window: windowName },
  '3.3a': { slash: 'back\\\\slash \\$x', control: 'us\\037end', window: windowName },
  '3.5a': { slash: 'back\\\\slash $x', control: 'us\\037end', window: windowName },
  '3.8': { slash: 'back\\\\slash $x', control: undefined, window: undefined },
};

describe('session and window names in a save restored on another tmux version', { skip }, () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  for (const [from, to] of [
    ['3.1c', '3.3a'],
    ['3.1c', '3.5a'],
    ['3.1c', '3.8'],
    ['3.8', '3.1c'],
    ['3.3a', '3.8'],
  ] as const) {
    it(`come back from tmux ${from} on tmux ${to}, once, with one warning per name ${to} refuses`, async () => {
      useMatrixVersion(server, from);
      await startWithConfig(server, []);
      const made: string[] = [];
      let first: string | undefined;
      for (const name of [slashName, controlName]) {
        const result = await server.tmuxResult(
          'new-session',
          '-d',
          '-P',
          '-F',
          '#{session_id}',
          '-s',
          literalForFormat(name),
        );
        if (result.code !== 0) continue;
        made.push(name);
        first ??= result.stdout.trim();
      }
      const window = await server.tmuxResult(
        'new-window',
        '-t',
        `${first}:`,
        '-n',
        literalForFormat(windowName),
      );
      const windowMade = window.code === 0;
      if (!windowMade) await server.tmux('new-window', '-t', `${first}:`, '-n', 'win\\dow');
      const saved = await server.cli('save');
      assert.equal(saved.stderr, '');
      assert.equal(saved.code, 0);
      await server.kill();

      useMatrixVersion(server, to);
      await startWithConfig(server, []);
      assert.match(
        await server.tmux('display-message', '-p', '#{version}'),
        new RegExp(`^${to.replace('.', '\\.')}`),
      );
      const restored = await server.cli('restore');
      assert.equal(restored.code, 0, restored.stdout + restored.stderr);
      const expected = stored[to];
      const expectedSessions = ['0', expected.slash];
      const warnings: RegExp[] = [];
      if (made.includes(controlName)) {
        expectedSessions.push(expected.control ?? 'us_end');
        if (expected.control === undefined)
          warnings.push(
            /session "us\\u001fend": tmux 3\.8 refuses control characters in session names; it is restored as "us_end"$/,
          );
      }
      if (windowMade && expected.window === undefined)
        warnings.push(
          /window ".*":1 \("w\\u001fin\\\\dow"\): tmux 3\.8 refuses control characters in window names; it is restored as "w_in\\\\dow"$/,
        );
      const stderrLines = restored.stderr.split('\n').filter((line) => line !== '');
      assert.equal(stderrLines.length, warnings.length, restored.stderr);
      for (const pattern of warnings)
        assert.ok(
          stderrLines.some((line) => pattern.test(line)),
          `${pattern} in ${restored.stderr}`,
        );
      assert.deepEqual(await names(server, ['list-sessions'], 'session_name'), expectedSessions.sort());
      const windows = await names(server, ['list-windows', '-t', `=${expected.slash}`], 'window_name');
      assert.equal(windows.length, 2);
      assert.ok(
        windows.includes(windowMade ? (expected.window ?? 'w_in\\\\dow') : 'win\\dow'),
        JSON.stringify(windows),
      );
      // The server is whole: nothing differs from the save, and a second restore does nothing.
      const diff = await server.cli('diff');
      if (warnings.length === 0) assert.equal(diff.code, 0, diff.stdout + diff.stderr);
      const again = await server.cli('restore');
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.deepEqual(await names(server, ['list-sessions'], 'session_name'), expectedSessions.sort());
    });
  }
});
