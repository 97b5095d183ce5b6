import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParsedRecord } from '../../../src/mux/formats.js';
import { buildSnapshot, withoutDeletedSuffix } from '../../../src/snapshot/capture.js';

/** One pane line as tmux 3.3a printed it for a pane whose shell had not started yet. */
function paneRecord(currentPath: string, startPath: string): ParsedRecord {
  return {
    tag: 'P',
    values: new Map([
      ['session_id', '$0'],
      ['session_name', 'work'],
      ['window_id', '@0'],
      ['window_index', '0'],
      ['pane_id', '%2'],
      ['pane_index', '0'],
      ['pane_current_path', currentPath],
      ['pane_start_path', startPath],
    ]),
  };
}

const cwdOf = (record: ParsedRecord): string =>
  buildSnapshot([record], () => null, new Date(0)).sessions[0]!.windows[0]!.panes[0]!.cwd;

describe('the working directory a capture records', () => {
  it('is the directory of the pane process when tmux can read it', () => {
    assert.equal(cwdOf(paneRecord('/srv/now', '/srv/start')), '/srv/now');
  });
  it('is the start directory while tmux reads none (a pane just created, a `sudo` program)', () => {
    // `new-window -c /var ; list-panes` printed `%2||/var`: an empty pane_current_path.
    assert.equal(cwdOf(paneRecord('', '/var')), '/var');
  });
});

describe('withoutDeletedSuffix', () => {
  it('strips only tmux`s exact " (deleted)" suffix, and keeps a directory really named so', () => {
    const none = (): boolean => false;
    assert.equal(withoutDeletedSuffix('/home/u/p (deleted)', none), '/home/u/p');
    assert.equal(withoutDeletedSuffix('/home/u/p(deleted)', none), '/home/u/p(deleted)');
    assert.equal(withoutDeletedSuffix('/home/u/p (Deleted)', none), '/home/u/p (Deleted)');
    assert.equal(withoutDeletedSuffix(' (deleted)', none), ' (deleted)');
    assert.equal(
      withoutDeletedSuffix('/home/u/p (deleted)', () => true),
      '/home/u/p (deleted)',
    );
  });
});
