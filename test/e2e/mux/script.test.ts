import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { buildScript } from '../../../src/mux/script.js';
import { TestServer } from '../../support/tmux-server.js';

describe('quoteScriptArgument through a real tmux source-file (property)', () => {
  let server: TestServer;
  before(async () => {
    server = await TestServer.create();
    await server.start();
  });
  after(async () => {
    await server.dispose();
  });

  it('gives tmux back exactly the argument it quoted', async () => {
    const script = join(server.root, 'quoted.tmux');
    // Any text but NUL (which no argument can hold), with tmux's own syntax characters and
    // line breaks mixed in (a directory name may hold a newline).
    const special = fc.constantFrom(`'`, '"', '#', '$', ';', '\\', '{', '}', '~', ' ', '\t', '\n', '\r', '%');
    const argument = fc
      .string({
        unit: fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
        maxLength: 24,
      })
      .filter((value) => !value.includes('\0'));
    await fc.assert(
      fc.asyncProperty(argument, async (value) => {
        await writeFile(script, buildScript([['set-option', '-g', '@continuum-probe', value]]));
        await server.tmux('source-file', script);
        const read = await server.tmux('show-options', '-gv', '@continuum-probe');
        assert.equal(read.replace(/\n$/, ''), value);
      }),
      { numRuns: 60 },
    );
  });
});
