import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readSnapshotFile } from '../../src/store/save-store.js';
import { newestSaveIn, TestServer } from '../support/tmux-server.js';

/** psmux-resurrect's own options as its users set them (issue 16), on a real tmux server. */
describe('psmux-resurrect options on save', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  async function savedNames(): Promise<string[]> {
    const newest = await newestSaveIn(server.saveDirectory);
    assert.ok(newest, 'no save was written');
    const snapshot = await readSnapshotFile(join(server.saveDirectory, newest));
    return snapshot.sessions.map((session) => session.name).sort();
  }

  it('never saves sessions whose names start with __, and says so', async () => {
    await server.newSession('work');
    await server.newSession('__warm__');
    const result = await server.cli('save');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^not saving "__warm__" \(psmux's own\)\n/);
    assert.deepEqual(await savedNames(), ['work']);
  });

  it('says "nothing to save" and writes nothing when only __ sessions run', async () => {
    await server.newSession('__warm__');
    const result = await server.cli('save');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^nothing to save: every session on .* is left out: "__warm__"/);
    assert.deepEqual(await readdir(server.saveDirectory).catch(() => []), []);
  });

  it('keeps numbered sessions on tmux unless @resurrect-save-unnamed says otherwise', async () => {
    await server.newSession('work');
    await server.newSession('0');
    await server.newSession('1');
    await server.tmux('new-window', '-t', '=1:');
    const byDefault = await server.cli('save');
    assert.equal(byDefault.code, 0, byDefault.stderr);
    assert.deepEqual(await savedNames(), ['0', '1', 'work']);

    // auto: a numbered session is saved once it has been shaped (here a second window).
    await server.tmux('set-option', '-g', '@resurrect-save-unnamed', 'auto');
    const auto = await server.cli('save');
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(auto.stdout, /^not saving "0" \(unnamed, untouched\)\n/);
    assert.deepEqual(await savedNames(), ['1', 'work']);

    await server.tmux('set-option', '-g', '@resurrect-save-unnamed', 'off');
    const off = await server.cli('save');
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /^not saving "0" \(unnamed\), "1" \(unnamed\)\n/);
    assert.deepEqual(await savedNames(), ['work']);
  });
});
