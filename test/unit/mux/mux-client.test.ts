import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitCodes, MuxTimeoutError, UsageError } from '../../../src/errors.js';
import { muxTimeoutFrom } from '../../../src/mux/mux-client.js';

describe('the deadline of a tmux call', () => {
  it('is 10 s unless CONTINUUM_MUX_TIMEOUT_MS says otherwise', () => {
    assert.equal(muxTimeoutFrom({}), 10_000);
    assert.equal(muxTimeoutFrom({ CONTINUUM_MUX_TIMEOUT_MS: '' }), 10_000);
    assert.equal(muxTimeoutFrom({ CONTINUUM_MUX_TIMEOUT_MS: '2000' }), 2000);
  });

  it('refuses a value that is not a whole number of milliseconds in range, naming it', () => {
    for (const value of ['soon', '1.5', '-1', '0', '99', '3600001']) {
      assert.throws(
        () => muxTimeoutFrom({ CONTINUUM_MUX_TIMEOUT_MS: value }),
        (error: unknown) =>
          error instanceof UsageError &&
          error.message.includes(`CONTINUUM_MUX_TIMEOUT_MS`) &&
          error.message.includes(`"${value}"`),
      );
    }
  });

  it('gives up with exit 8 and a line that names the server and the deadline', () => {
    const error = new MuxTimeoutError('socket -L work', ['list-panes', '-a', '-F', '#{pane_id}'], 2500);
    assert.equal(error.exitCode, exitCodes.muxFailed);
    assert.equal(
      error.message,
      'the tmux server on socket -L work did not answer `tmux list-panes` within 2.5 s',
    );
    assert.match(error.hint ?? '', /is it stopped \(kill -STOP\) or busy\?/);
  });
});
