import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { statusOption } from '../../../src/daemon/status-line.js';
import { resurrectStatusOption, statusLineReporter } from '../../../src/integration/restore-status.js';
import { muxFor } from '../../support/live-server.js';
import { TestServer } from '../../support/tmux-server.js';

describe('@resurrect-status during a restore', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
    await server.newSession('work');
  });
  afterEach(async () => {
    await server.dispose();
  });

  const globalOption = async (name: string): Promise<string> =>
    (await server.tmux('show-options', '-gqv', name)).replace(/\n$/, '');

  it('shows the progress in @resurrect-status as psmux-resurrect does, and unsets it after', async () => {
    const reporter = await statusLineReporter(muxFor(server));
    await reporter.report({
      kind: 'building',
      sessions: ['work'],
      sessionsDone: 0,
      sessionsTotal: 2,
      panesDone: 0,
      panesTotal: 3,
    });
    assert.equal(await globalOption(resurrectStatusOption), 'restoring 0/2');
    assert.equal(await globalOption(statusOption), 'restoring 0/2');
    await reporter.finish();
    assert.equal(await globalOption(resurrectStatusOption), '');
    const listed = await server.tmux('show-options', '-g');
    assert.doesNotMatch(listed, /@resurrect-status/);
  });
});
