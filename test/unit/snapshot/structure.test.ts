import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countPanes,
  layoutGeometry,
  sameStructure,
  snapshotStructure,
} from '../../../src/snapshot/structure.js';
import { pane, session, snapshot, splitWindow, window } from '../../support/snapshots.js';

describe('layoutGeometry', () => {
  it('drops the checksum and the pane ids of a flat layout', () => {
    assert.equal(layoutGeometry('b25f,80x24,0,0,0'), '80x24,0,0');
  });

  it('drops them at every depth of a nested layout and keeps the geometry', () => {
    const saved = 'c4ae,120x40,0,0{60x40,0,0[60x20,0,0,3,60x19,0,21,4],59x40,61,0,5}';
    const restored = '1a2b,120x40,0,0{60x40,0,0[60x20,0,0,11,60x19,0,21,12],59x40,61,0,13}';
    assert.equal(layoutGeometry(saved), '120x40,0,0{60x40,0,0[60x20,0,0,60x19,0,21],59x40,61,0}');
    assert.equal(layoutGeometry(saved), layoutGeometry(restored));
  });

  it('tells different geometries apart', () => {
    assert.notEqual(
      layoutGeometry('f91d,120x40,0,0{60x40,0,0,0,59x40,61,0,1}'),
      layoutGeometry('f91d,120x40,0,0[120x20,0,0,0,120x19,0,21,1]'),
    );
  });
});

describe('sameStructure', () => {
  const base = snapshot({
    activeSession: 'dev',
    sessions: [session({ id: '$1', name: 'dev', windows: [splitWindow(0, 0, 1), splitWindow(1, 2, 3)] })],
  });

  it('ignores ids, pids, the save time and the server identity', () => {
    const other = snapshot({
      savedAt: '2030-01-01T00:00:00.000Z',
      server: { pid: 1, startTime: 2, socketPath: '/elsewhere' },
      mux: { name: 'tmux', version: '3.4' },
      activeSession: 'dev',
      sessions: [
        session({ id: '$9', name: 'dev', windows: [splitWindow(0, 20, 21), splitWindow(1, 22, 23)] }),
      ],
    });
    assert.ok(sameStructure(base, other));
  });

  it('ignores the order tmux listed sessions, windows and panes in', () => {
    const second = session({ id: '$2', name: 'b' });
    const first = session({ id: '$3', name: 'a' });
    const reversed = { ...base.sessions[0]!, windows: [...base.sessions[0]!.windows].reverse() };
    assert.ok(
      sameStructure(
        snapshot({ ...base, sessions: [base.sessions[0]!, first, second] }),
        snapshot({ ...base, sessions: [second, reversed, first] }),
      ),
    );
  });

  it('ignores the name of a window tmux renames itself (automatic-rename), not of a named one', () => {
    const auto = (name: string) =>
      snapshot({ sessions: [session({ windows: [window({ name, automaticRename: true })] })] });
    assert.ok(sameStructure(auto('bash'), auto('vim')));
    const named = (name: string) => snapshot({ sessions: [session({ windows: [window({ name })] })] });
    assert.ok(!sameStructure(named('bash'), named('vim')));
  });

  it('identifies a group by its members, not by the name tmux gave it', () => {
    const grouped = (groupName: string) =>
      snapshot({
        sessions: [
          session({ id: '$1', name: 'a', group: groupName }),
          session({ id: '$2', name: 'b', group: groupName }),
        ],
      });
    assert.ok(sameStructure(grouped('a'), grouped('b')));
    assert.ok(
      !sameStructure(grouped('a'), snapshot({ sessions: [session({ name: 'a' }), session({ name: 'b' })] })),
    );
  });

  for (const [what, change] of [
    [
      'a session name',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s.sessions[0]!, { name: 'dev2' }),
    ],
    [
      'the active session',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s, { activeSession: null }),
    ],
    [
      'the alternate session',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s, { alternateSession: 'x' }),
    ],
    ['base-index', (s: ReturnType<typeof snapshot>) => void Object.assign(s.sessions[0]!, { baseIndex: 1 })],
    [
      'a window index',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s.sessions[0]!.windows[1]!, { index: 5 }),
    ],
    [
      'a layout',
      (s: ReturnType<typeof snapshot>) =>
        void Object.assign(s.sessions[0]!.windows[0]!, { layout: 'b25f,80x24,0,0,0' }),
    ],
    [
      'zoom',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s.sessions[0]!.windows[0]!, { zoomed: true }),
    ],
    [
      'the active window',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s.sessions[0]!.windows[0]!, { active: false }),
    ],
    [
      'the alternate window',
      (s: ReturnType<typeof snapshot>) => void Object.assign(s.sessions[0]!.windows[0]!, { alternate: true }),
    ],
    [
      'pane-base-index',
      (s: ReturnType<typeof snapshot>) =>
        void Object.assign(s.sessions[0]!.windows[0]!, { paneBaseIndex: 1 }),
    ],
    [
      'a pane title',
      (s: ReturnType<typeof snapshot>) =>
        void Object.assign(s.sessions[0]!.windows[0]!.panes[0]!, { title: 'x' }),
    ],
    [
      'a pane directory',
      (s: ReturnType<typeof snapshot>) =>
        void Object.assign(s.sessions[0]!.windows[0]!.panes[0]!, { cwd: '/x' }),
    ],
    [
      'the active pane',
      (s: ReturnType<typeof snapshot>) =>
        void Object.assign(s.sessions[0]!.windows[0]!.panes[0]!, { active: true }),
    ],
    [
      'a program',
      (s: ReturnType<typeof snapshot>) =>
        void Object.assign(s.sessions[0]!.windows[0]!.panes[0]!, { program: { argv: ['less', 'a b'] } }),
    ],
  ] as const) {
    it(`sees a change of ${what}`, () => {
      const changed = structuredClone(base);
      change(changed);
      assert.ok(!sameStructure(base, changed));
    });
  }

  it('describes the structure without ids', () => {
    const text = JSON.stringify(snapshotStructure(base));
    assert.ok(!text.includes('%') && !text.includes('$1') && !text.includes('@'), text);
  });
});

describe('countPanes', () => {
  it('counts sessions, windows and panes', () => {
    const counted = countPanes(
      snapshot({
        sessions: [session({ windows: [splitWindow(0), window({ index: 1, panes: [pane()] })] }), session()],
      }),
    );
    assert.deepEqual(counted, { sessions: 2, windows: 3, panes: 4 });
  });
});
