import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oldestSupportedTmux, tmuxVersionAtLeast, tmuxVersionNumber } from '../../../src/mux/tmux-version.js';

describe('tmux versions', () => {
  it('reads the number of every way tmux names its version', () => {
    assert.deepEqual(tmuxVersionNumber('tmux 3.0a'), [3, 0]);
    assert.deepEqual(tmuxVersionNumber('3.10'), [3, 10]);
    assert.deepEqual(tmuxVersionNumber('tmux next-3.4'), [3, 4]);
    assert.deepEqual(tmuxVersionNumber('tmux openbsd-7.4'), [7, 4]);
    assert.equal(tmuxVersionNumber('tmux master'), undefined);
  });

  it('supports 3.1 and later, and a development build without a number', () => {
    for (const version of ['tmux 3.1', 'tmux 3.1c', 'tmux 3.3a', 'tmux 3.10', 'tmux 4.0', 'tmux master'])
      assert.equal(tmuxVersionAtLeast(version, oldestSupportedTmux), true, version);
    for (const version of ['tmux 3.0a', 'tmux 2.8', 'tmux 1.9'])
      assert.equal(tmuxVersionAtLeast(version, oldestSupportedTmux), false, version);
  });
});
