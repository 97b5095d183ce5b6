import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import {
  checkSafeToType,
  quoteArgv,
  quoteForFish,
  quoteForPosix,
  quoteForPwsh,
  quoteForShell,
  shellDialectOf,
} from '../../../src/shell-quote.js';

const run = promisify(execFile);

/** Each shell prints every word of `words` NUL-terminated; `words` is pasted in as shell text. */
const printWords: Record<string, (words: string) => string[]> = {
  sh: (words) => ['/bin/sh', '-c', `for a in ${words}; do printf '%s\\0' "$a"; done`],
  bash: (words) => ['bash', '--norc', '--noprofile', '-c', `for a in ${words}; do printf '%s\\0' "$a"; done`],
  zsh: (words) => ['zsh', '-f', '-c', `for a in ${words}; do printf '%s\\0' "$a"; done`],
  fish: (words) => ['fish', '--no-config', '-c', `for a in ${words}; printf '%s\\0' $a; end`],
};

async function wordsAs(shell: string, words: string): Promise<string[]> {
  const [program, ...args] = printWords[shell]!(words);
  const { stdout } = await run(program!, args);
  return stdout.split('\0').slice(0, -1);
}

const hostile = [
  `x\\' & touch PWNED #`,
  `it's`,
  'a\\b',
  '\\',
  "'",
  `\\'`,
  '$HOME',
  '`touch PWNED`',
  '$(touch PWNED)',
  'a;touch PWNED',
  'a & b',
  '# not a comment',
  '!!',
  '{a,b}',
  '*',
  '~',
  '=x',
  "''",
  'line\nbreak',
  '',
  'ünï 😀',
];

describe('shell quoting of saved arguments', () => {
  it('leaves plain words alone and single-quotes the rest, quotes and backslashes outside', () => {
    assert.equal(quoteArgv(['vim', '-O', 'a.txt', 'b/c-d_e.md']), 'vim -O a.txt b/c-d_e.md');
    assert.equal(quoteForShell('a b'), `'a b'`);
    assert.equal(quoteForShell(`it's`), `'it'\\''s'`);
    assert.equal(quoteForShell(''), `''`);
    assert.equal(quoteForShell('$HOME'), `'$HOME'`);
    assert.equal(quoteForShell('~/x'), `'~/x'`);
    assert.equal(quoteForShell('=x'), `'=x'`);
    assert.equal(quoteForPosix(`x\\' & touch PWNED #`), `'x'\\\\\\'' & touch PWNED #'`);
  });

  it("gives fish the same text as sh: fish reads \\\\ and \\' in single quotes as escapes", () => {
    assert.equal(quoteForFish(`a\\b 'c'`), quoteForPosix(`a\\b 'c'`));
    assert.equal(quoteForShell(`a\\b 'c'`, 'fish'), `'a'\\\\'b '\\''c'\\'`);
  });

  it('doubles single quotes for PowerShell, typographic ones too, and calls a quoted program with &', () => {
    assert.equal(quoteForPwsh(`it's`), `'it''s'`);
    assert.equal(quoteForPwsh('a\u2019b'), `'a\u2019\u2019b'`);
    assert.equal(quoteForPwsh('$env:HOME'), `'$env:HOME'`);
    assert.equal(quoteArgv(['my tool', 'x'], 'pwsh'), `& 'my tool' x`);
    assert.equal(quoteArgv(['less', 'a b'], 'pwsh'), `less 'a b'`);
  });

  it('names the dialect of a shell path, and none for shells it cannot quote for', () => {
    assert.equal(shellDialectOf('/usr/bin/fish'), 'fish');
    assert.equal(shellDialectOf('/bin/bash'), 'posix');
    assert.equal(shellDialectOf('-zsh'), 'posix');
    assert.equal(shellDialectOf('/usr/bin/pwsh'), 'pwsh');
    assert.equal(shellDialectOf('/bin/tcsh'), undefined);
    assert.equal(shellDialectOf('/usr/bin/nu'), undefined);
    assert.equal(shellDialectOf(''), undefined);
  });

  for (const shell of ['sh', 'bash', 'zsh', 'fish']) {
    it(`${shell} reads hostile arguments quoted for sh and for fish back unchanged`, async () => {
      for (const quote of [quoteForPosix, quoteForFish]) {
        assert.deepEqual(await wordsAs(shell, hostile.map(quote).join(' ')), hostile);
      }
    });

    it(`${shell} reads every quoted argv back unchanged`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 }), {
            minLength: 1,
            maxLength: 5,
          }),
          async (argv) => {
            const clean = argv.map((argument) => argument.replaceAll('\0', ''));
            assert.deepEqual(await wordsAs(shell, quoteArgv(clean)), clean);
          },
        ),
        { numRuns: 25 },
      );
    });
  }
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
