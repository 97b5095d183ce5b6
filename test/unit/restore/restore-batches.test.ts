import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestoreAction } from '../../../src/restore/actions.js';
import { batchRestore } from '../../../src/restore/restore-batches.js';

const create = (session: string): RestoreAction => ({
  kind: 'create-session',
  session,
  windowIndex: 0,
  initialWindowIndex: 0,
  windowName: 'w',
  cwd: '/',
  width: 80,
  height: 24,
});
const split = (session: string): RestoreAction => ({
  kind: 'split-pane',
  after: { session, windowIndex: 0, paneIndex: 0 },
  cwd: '/',
});
const switchTo = (session: string, client = '/dev/pts/1'): RestoreAction => ({
  kind: 'switch-client',
  client,
  session,
});
const park: RestoreAction = { kind: 'rename-session', from: '0', to: 'parked', purpose: 'park' };

describe('batchRestore', () => {
  it('puts the landing session first with its switch, then the others in the plan order', () => {
    const actions = [park, create('a'), split('a'), create('b'), create('c'), create('d'), switchTo('c')];
    const batches = batchRestore({
      actions,
      programs: [],
      finalActions: [],
      landing: 'c',
      sessionsPerBatch: 2,
    });
    assert.deepEqual(
      batches.map((batch) => batch.sessions),
      [['c'], ['a', 'b'], ['d']],
    );
    assert.deepEqual(batches[0]!.actions, [park, create('c'), switchTo('c')]);
    assert.deepEqual(batches[1]!.actions, [create('a'), split('a'), create('b')]);
    assert.deepEqual(batches[2]!.actions, [create('d')]);
    assert.deepEqual(
      batches.map((batch) => batch.panes),
      // c's one pane; a's two and b's one; d's one.
      [1, 3, 1],
    );
  });

  it('switches through the alternate session again once it exists, in the last batch', () => {
    const actions = [create('alt'), create('main'), switchTo('alt'), switchTo('main')];
    const batches = batchRestore({
      actions,
      programs: [],
      finalActions: [],
      landing: 'main',
      sessionsPerBatch: 8,
    });
    assert.deepEqual(batches[0]!.actions, [create('main'), switchTo('main')]);
    assert.deepEqual(batches[1]!.actions, [create('alt'), switchTo('alt'), switchTo('main')]);
  });

  it('keeps a group together with its carrier, and a temporary name with its final rename and programs', () => {
    const join: RestoreAction = { kind: 'join-group', session: 'member', carrier: 'carrier' };
    const program: RestoreAction = {
      kind: 'start-program',
      address: { session: 'tmp-1', windowIndex: 0, paneIndex: 0 },
      commandLine: 'vim',
    };
    const rename: RestoreAction = { kind: 'rename-session', from: 'tmp-1', to: '$x', purpose: 'final-name' };
    const batches = batchRestore({
      actions: [create('tmp-1'), create('carrier'), join, switchTo('member')],
      programs: [program],
      finalActions: [rename],
      landing: 'member',
      sessionsPerBatch: 1,
    });
    assert.deepEqual(
      batches.map((batch) => batch.sessions),
      [['carrier', 'member'], ['$x']],
    );
    assert.deepEqual(batches[0]!.actions, [create('carrier'), join, switchTo('member')]);
    assert.deepEqual(batches[1]!.actions, [create('tmp-1'), program, rename]);
  });

  it('keeps the plan order without a landing session (nobody waits; tmux attach picks the last created)', () => {
    const actions = [create('a'), create('b'), create('active')];
    const batches = batchRestore({
      actions,
      programs: [],
      finalActions: [],
      landing: undefined,
      sessionsPerBatch: 2,
    });
    assert.deepEqual(
      batches.map((batch) => batch.sessions),
      [['a', 'b'], ['active']],
    );
  });
});
