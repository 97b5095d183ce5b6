import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { optionsDocument } from '../../../src/settings/options-document.js';

describe('docs/options.md', () => {
  const written = readFileSync('docs/options.md', 'utf8');

  it('is the document the settings table makes (run `node scripts/generate-options-doc.mjs`)', () => {
    assert.equal(written, optionsDocument());
  });

  it('names the options users already have, with their plugins’ defaults', () => {
    // Written by hand from tmux-resurrect's and tmux-continuum's documentation, not from the table.
    for (const row of [
      '| `@resurrect-save` | `C-s` |',
      '| `@resurrect-restore` | `C-r` |',
      '| `@resurrect-capture-pane-contents` | `off` |',
      '| `@resurrect-pane-contents-area` | `full` |',
      '| `@resurrect-delete-backup-after` | `30` |',
      '| `@continuum-save-interval` | `15` |',
      '| `@continuum-restore` | `off` |',
      '| `@continuum-boot` | `off` |',
      '| `@continuum-systemd-start-cmd` | `new-session -d` |',
      '| `CONTINUUM_MUX_TIMEOUT_MS` | `10000` |',
      '| `CONTINUUM_DAEMON_POLL_MS` | `5000` |',
      '| `CONTINUUM_HOOK_TIMEOUT_MS` | `60000` |',
    ])
      assert.ok(written.includes(row), `docs/options.md has the row ${row}`);
  });
});
