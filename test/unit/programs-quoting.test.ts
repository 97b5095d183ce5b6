import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { checkSafeToType } from '../../src/programs/safe-to-type.js';
import { quoteArgv, quoteForShell, shellDialectOf } from '../../src/programs/shell-quote.js';

const run = promisify(execFile);

describe('shell quoting of saved arguments', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    assert.equal(quoteArgv(['vim', '-O', 'a.txt', 'b/c-d_e.md']), 'vim -O a.txt b/c-d_e.md');
    assert.equal(quoteForShell('a b'), `'a b'`);
    assert.equal(quoteForShell(`it's`), `'it'\\''s'`);
    assert.equal(quoteForShell(''), `''`);
    assert.equal(quoteForShell('$HOME'), `'$HOME'`);
    assert.equal(quoteForShell('~/x'), `'~/x'`);
    assert.equal(quoteForShell('=x'), `'=x'`);
  });

  it('escapes backslashes and quotes for fish', () => {
    assert.equal(quoteForShell(`a\\b 'c'`, 'fish'), `'a\\\\b \\'c\\''`);
    assert.equal(shellDialectOf('/usr/bin/fish'), 'fish');
    assert.equal(shellDialectOf('/bin/bash'), 'posix');
  });

  it('sh reads every quoted argv back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 }), {
          minLength: 1,
          maxLength: 5,
        }),
        async (argv) => {
          const clean = argv.map((argument) => argument.replaceAll('\0', ''));
          const { stdout } = await run('/bin/sh', [
            '-c',
            `for a in ${quoteArgv(clean)}; do printf '%s\\0' "$a"; done`,
          ]);
          assert.deepEqual(stdout.split('\0').slice(0, -1), clean);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('safe to type', () => {
  it('refuses newlines, escape sequences, other controls and DEL', () => {
    assert.deepEqual(checkSafeToType('vim a\nrm -rf ~'), { safe: false, reason: 'contains a newline' });
    assert.deepEqual(checkSafeToType('less \x1b[201~x'), {
      safe: false,
      reason: 'contains an escape sequence',
    });
    assert.equal(checkSafeToType('a\x03b').safe, false);
    assert.equal(checkSafeToType('a\tb').safe, false);
    assert.equal(checkSafeToType('a\x7fb').safe, false);
    assert.equal(checkSafeToType('a\u009bb').safe, false);
    assert.equal(checkSafeToType('   ').safe, false);
  });

  it('accepts quoted text with unicode', () => {
    assert.deepEqual(checkSafeToType(`less 'ünï 😀.txt'`), { safe: true });
  });
});
