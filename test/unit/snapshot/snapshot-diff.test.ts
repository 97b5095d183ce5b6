import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeChanges } from '../../../src/cli/snapshot-diff-lines.js';
import type { Snapshot } from '../../../src/snapshot/schema.js';
import { diffSnapshots } from '../../../src/snapshot/snapshot-diff.js';
import { sameStructure } from '../../../src/snapshot/structure.js';
import { pane, session, snapshot, splitWindow, window } from '../../support/snapshots.js';

/** Two windows of two panes in "dev", one single-pane window in "notes". */
function base(): Snapshot {
  return snapshot({
    activeSession: 'dev',
    alternateSession: 'notes',
    sessions: [
      session({ id: '$1', name: 'dev', windows: [splitWindow(0, 0, 1), splitWindow(1, 2, 3)] }),
      session({
        id: '$2',
        name: 'notes',
        windows: [window({ id: '@9', panes: [pane({ id: '%9', cwd: '/home/user/notes' })] })],
      }),
    ],
  });
}

const lines = (before: Snapshot, after: Snapshot) =>
  describeChanges(diffSnapshots(before, after), { colour: false });

describe('diffSnapshots', () => {
  it('finds nothing between two captures of the same environment, whatever the ids, pids and time', () => {
    const other = base();
    other.savedAt = '2031-01-01T00:00:00.000Z';
    other.server = { pid: 1, startTime: 2, socketPath: '/elsewhere' };
    other.sessions[0]!.id = '$7';
    other.sessions[0]!.windows = [splitWindow(0, 40, 41), splitWindow(1, 42, 43)];
    assert.deepEqual(diffSnapshots(base(), other), []);
  });

  it('names added and removed sessions, windows and panes', () => {
    const after = base();
    after.sessions.push(session({ id: '$3', name: 'web', windows: [splitWindow(0, 5, 6)] }));
    after.sessions[1]!.windows.push(window({ id: '@8', index: 4, name: 'logs', active: false }));
    after.sessions[0]!.windows[1]!.panes.push(
      pane({ id: '%30', index: 2, active: false, cwd: '/srv/a b', program: { argv: ['tail', '-f', 'x'] } }),
    );
    after.sessions[0]!.windows[0]!.panes.pop();
    assert.deepEqual(lines(base(), after), [
      '- pane "dev":0.1 "/home/user"',
      '+ pane "dev":1.2 "/srv/a b"  runs: "tail" "-f" "x"',
      '+ window "notes":4 "logs" (1 pane)',
      '+ session "web" (1 window, 2 panes)',
    ]);
    assert.deepEqual(lines(after, base()), [
      '+ pane "dev":0.1 "/home/user"',
      '- pane "dev":1.2 "/srv/a b"  runs: "tail" "-f" "x"',
      '- window "notes":4 "logs" (1 pane)',
      '- session "web" (1 window, 2 panes)',
    ]);
  });

  it('names what changed in a session, a window and a pane, with the value before and after', () => {
    const after = base();
    const dev = after.sessions[0]!;
    dev.baseIndex = 1;
    dev.windows[0]!.name = 'editor';
    dev.windows[0]!.zoomed = true;
    dev.windows[1]!.automaticRename = true;
    dev.windows[1]!.layout = 'b25d,80x24,0,0[80x12,0,0,2,80x11,0,13,3]';
    dev.windows[0]!.panes[0]!.cwd = '/tmp';
    dev.windows[0]!.panes[1]!.program = { argv: ['vim', 'a file'] };
    dev.windows[0]!.panes[1]!.title = 'editing';
    after.activeSession = 'notes';
    after.alternateSession = null;
    assert.deepEqual(lines(base(), after), [
      '~ session "dev" base-index: 0 → 1',
      '~ window "dev":0 name: "w0" → "editor"',
      '~ window "dev":0 zoomed: no → yes',
      '~ pane "dev":0.0 directory: "/home/user" → "/tmp"',
      '~ pane "dev":0.1 program: (none) → "vim" "a file"',
      '~ pane "dev":0.1 title: "host" → "editing"',
      '~ window "dev":1 name: "w1" → (automatic)',
      '~ window "dev":1 layout: 120x40,0,0{60x40,0,0,59x40,61,0} → 80x24,0,0[80x12,0,0,80x11,0,13]',
      '~ active session: "dev" → "notes"',
      '~ alternate session: "notes" → (none)',
    ]);
  });

  it('calls a session that only changed its name renamed, and the active session it was still active', () => {
    const after = base();
    after.sessions[0]!.name = 'work';
    after.activeSession = 'work';
    const changes = diffSnapshots(base(), after);
    assert.deepEqual(changes, [{ kind: 'session-renamed', before: 'dev', after: 'work' }]);
    assert.deepEqual(describeChanges(changes, { colour: false }), ['~ session "dev" renamed to "work"']);
  });

  it('calls a session renamed and changed a removal and an addition', () => {
    const after = base();
    after.sessions[0]!.name = 'work';
    after.sessions[0]!.windows.pop();
    after.activeSession = 'work';
    assert.deepEqual(lines(base(), after), [
      '- session "dev" (2 windows, 4 panes)',
      '+ session "work" (1 window, 2 panes)',
      '~ active session: "dev" → "work"',
    ]);
  });

  it('calls a window at another index moved, with the flags that changed with it', () => {
    const after = base();
    const moved = after.sessions[0]!.windows[1]!;
    moved.index = 7;
    moved.alternate = true;
    assert.deepEqual(lines(base(), after), [
      '~ window "dev":1 moved to "dev":7',
      '~ window "dev":7 alternate: no → yes',
    ]);
  });

  it('matches panes by position: a pane killed first shifts the others', () => {
    const before = base();
    before.sessions[0]!.windows[0]!.panes[1]!.cwd = '/second';
    const after = base();
    after.sessions[0]!.windows[0]!.panes = [pane({ id: '%1', index: 0, active: true, cwd: '/second' })];
    assert.deepEqual(lines(before, after), [
      '~ pane "dev":0.0 directory: "/home/user" → "/second"',
      '~ pane "dev":0.0 active: no → yes',
      '- pane "dev":0.1 "/second"',
    ]);
  });

  it('is empty exactly when the structures are the same', () => {
    const edits: ((s: Snapshot) => void)[] = [
      (s) => {
        s.sessions[0]!.group = 'g';
      },
      (s) => {
        s.sessions[0]!.windows[0]!.alternate = true;
      },
      (s) => {
        s.sessions[0]!.windows[0]!.paneBaseIndex = 1;
      },
      (s) => {
        s.sessions[0]!.windows[0]!.panes[0]!.index = 3;
      },
      (s) => {
        s.sessions[0]!.windows[0]!.panes[0]!.active = true;
      },
      (s) => {
        s.sessions[1]!.windows[0]!.automaticRename = true;
      },
      (s) => {
        s.sessions[0]!.windows[0]!.panes[0]!.currentCommand = 'bash';
      },
      (s) => {
        s.sessions[0]!.windows[0]!.width = 200;
      },
    ];
    for (const edit of edits) {
      const after = base();
      edit(after);
      assert.equal(diffSnapshots(base(), after).length === 0, sameStructure(base(), after), edit.toString());
    }
  });
});

describe('describeChanges', () => {
  it('escapes control characters in names and directories', () => {
    const after = base();
    after.sessions[1]!.name = 'n\x1b[31m"x\\';
    after.sessions[0]!.windows[0]!.panes[0]!.cwd = '/tmp/\x9b2J';
    const text = lines(base(), after).join('\n');
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.match(text, /"\/tmp\/\\x9b2J"/);
    assert.match(text, /~ session "notes" renamed to "n\\x1b\[31m\\"x\\\\"$/m);
  });

  it('colours added lines green, removed red and changed yellow when asked', () => {
    const after = base();
    after.sessions.pop();
    after.sessions.push(session({ id: '$5', name: 'new' }));
    after.sessions[0]!.baseIndex = 2;
    assert.deepEqual(describeChanges(diffSnapshots(base(), after), { colour: true }), [
      '\x1b[33m~ session "dev" base-index: 0 → 2\x1b[0m',
      '\x1b[32m+ session "new" (1 window, 1 pane)\x1b[0m',
      '\x1b[31m- session "notes" (1 window, 1 pane)\x1b[0m',
    ]);
  });
});
