import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RestoreAction } from '../../../src/restore/actions.js';
import type { PlanEnvironment } from '../../../src/restore/plan/plan-types.js';
import { planRestore } from '../../../src/restore/plan.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { type Snapshot, validateSnapshot } from '../../../src/snapshot/schema.js';
import { SaveStore } from '../../../src/store/save-store.js';
import { withChecksum } from '../../support/layouts.js';
import { pane, session, snapshot, splitWindow, window } from '../../support/snapshots.js';

const threePanes = [pane({ id: '%5', index: 0 }), pane({ id: '%6', index: 1 }), pane({ id: '%7', index: 2 })];
const threePaneBody = '80x24,0,0[80x12,0,0,5,80x11,0,13{40x11,0,13,6,39x11,41,13,7}]';

/** Session "dev": window 0 valid, window 1 "editor" hand-edited to garbage, window 2 with a wrong checksum. */
const edited: Snapshot = snapshot({
  activeSession: 'dev',
  sessions: [
    session({
      id: '$1',
      name: 'dev',
      windows: [
        splitWindow(0),
        window({ id: '@1', index: 1, name: 'editor', layout: 'garbage-layout', panes: threePanes }),
        window({ id: '@2', index: 2, name: 'logs', layout: `0000,${threePaneBody}`, panes: threePanes }),
      ],
    }),
  ],
});

const environment: PlanEnvironment = {
  directoryExists: () => true,
  home: '/home/user',
  bootstrapParkingName: 'continuum-bootstrap-1',
};

const fresh = snapshot({ sessions: [session({ id: '$0', name: '0' })] });

const layoutsOf = (actions: readonly RestoreAction[]) =>
  actions.flatMap((action) =>
    action.kind === 'set-layout' ? [[action.address.windowIndex, action.layout]] : [],
  );

describe('a save with layouts tmux cannot use', () => {
  it('still loads, with one warning per such window naming its session, index and name', () => {
    const result = validateSnapshot(JSON.parse(JSON.stringify(edited)));
    assert.ok(result.ok);
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0]!, /^window "dev":1 \("editor"\): .*checksum/);
    assert.match(
      result.warnings[1]!,
      /^window "dev":2 \("logs"\): .*checksum 0000 .*\(tmux computes [0-9a-f]{4}\)/,
    );
    assert.equal(result.snapshot.sessions[0]!.windows[1]!.layout, 'garbage-layout');
    assert.equal(result.snapshot.sessions[0]!.windows[1]!.panes.length, 3);
  });

  it('has no warnings when every layout is one tmux wrote', () => {
    const valid = snapshot({
      sessions: [
        session({
          windows: [
            splitWindow(0, 3, 4),
            window({ index: 1, layout: withChecksum(threePaneBody), panes: threePanes }),
          ],
        }),
      ],
    });
    const result = validateSnapshot(JSON.parse(JSON.stringify(valid)));
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, []);
  });

  describe('SaveStore.load', () => {
    let directory: string;
    before(async () => {
      directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    });
    after(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('returns the warnings with the save', async () => {
      const path = join(directory, 'edited.json');
      await writeFile(path, JSON.stringify(edited), { mode: 0o600 });
      const loaded = await new SaveStore(directory, namedServerIdentity('work')).load(path);
      assert.equal(loaded.warnings.length, 2);
      assert.match(loaded.warnings[0]!, /"dev":1 \("editor"\)/);
    });
  });

  it('plans the panes of such a window but no layout for it, with one warning saying they are tiled (none for existing windows)', () => {
    const plan = planRestore(edited, { snapshot: fresh, clients: [] }, environment);
    assert.deepEqual(layoutsOf(plan.actions), [[0, edited.sessions[0]!.windows[0]!.layout]]);
    const splits = plan.actions.filter((action) => action.kind === 'split-pane');
    assert.deepEqual(
      splits.map((action) => action.after.windowIndex),
      [0, 1, 1, 2, 2],
    );
    assert.equal(plan.panesCreated.filter((created) => created.address.windowIndex === 1).length, 3);
    assert.equal(plan.warnings.length, 2);
    assert.match(plan.warnings[0]!, /^window "dev":1 \("editor"\): .*; its 3 panes are restored tiled$/);
    assert.match(plan.warnings[1]!, /^window "dev":2 \("logs"\): .*checksum.*tiled$/);

    // Windows that already exist are left alone: nothing is said about their saved layouts.
    const again = planRestore(edited, { snapshot: edited, clients: [] }, environment);
    assert.deepEqual(again.actions, []);
    assert.deepEqual(again.warnings, []);
  });
});
