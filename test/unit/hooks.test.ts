import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runHook } from '../../src/hooks/run-hook.js';

describe('hooks', () => {
  it('passes the save path as an argument and in CONTINUUM_SAVE_FILE, never inside the command text', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const output = join(directory, 'out');
      const savePath = join(directory, `it's $(touch pwned) "x".json`);
      const outcome = await runHook('post-save-layout', {
        command: `printf '%s|%s' "$CONTINUUM_SAVE_FILE" > '${output}'; printf '|%s'`,
        arguments: [savePath],
        savePath,
      });
      assert.deepEqual(outcome, { result: 'ran' });
      // The trailing printf received the path as its argument ("$@"), unexpanded.
      assert.equal(await readFile(output, 'utf8'), `${savePath}|`);
      await assert.rejects(readFile(join(directory, 'pwned')));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a failing hook with its exit code and last error line', async () => {
    const outcome = await runHook('post-restore-all', {
      command: 'echo "no such thing" >&2; exit 3',
      arguments: [],
      savePath: undefined,
    });
    assert.equal(outcome.result, 'failed');
    assert.match(
      outcome.result === 'failed' ? outcome.warning : '',
      /@resurrect-hook-post-restore-all exited with code 3: no such thing/,
    );
  });

  it('stops a hook that runs too long', async () => {
    const outcome = await runHook('pre-restore-all', {
      command: 'sleep 30',
      arguments: [],
      savePath: undefined,
      timeoutMilliseconds: 200,
    });
    assert.equal(outcome.result, 'failed');
  });

  it('does nothing for an unset hook', async () => {
    assert.deepEqual(await runHook('post-save-all', { command: '  ', arguments: [], savePath: undefined }), {
      result: 'not-set',
    });
  });
});
