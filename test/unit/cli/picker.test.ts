import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKeys, type PickerKey } from '../../../src/cli/picker-keys.js';
import {
  initialPickerState,
  type PickerEvent,
  type PickerSave,
  type PickerState,
  updatePicker,
} from '../../../src/cli/picker-state.js';
import { renderPicker } from '../../../src/cli/picker-view.js';
import { displayWidth } from '../../../src/cli/printable-text.js';
import type { Snapshot } from '../../../src/snapshot/schema.js';
import { pane, session, snapshot, splitWindow, window } from '../../support/snapshots.js';

/** Control characters: none may reach the terminal from a rendered line. */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

function save(number: number, sessionNames: readonly string[], readable = true): PickerSave {
  const saved: Snapshot = snapshot({
    sessions: sessionNames.map((name, position) =>
      session({ id: `$${position}`, name, windows: [splitWindow(0, 2 * position, 2 * position + 1)] }),
    ),
  });
  return {
    path: `/saves/save-${number}.json`,
    text: `${number === 1 ? '*' : ' '}${String(number).padStart(3)}  10:${String(60 - number).padStart(2, '0')}, ${number} min ago   ${sessionNames.length} sessions`,
    snapshot: readable ? saved : undefined,
  };
}

const key = (kind: Exclude<PickerKey['kind'], 'character'>): PickerEvent => ({ kind: 'key', key: { kind } });
const typed = (text: string): PickerEvent[] =>
  [...text].map((character) => ({ kind: 'key', key: { kind: 'character', text: character } }));

function press(state: PickerState, ...events: (PickerEvent | PickerEvent[])[]) {
  let current = state;
  const effects = [];
  for (const event of events.flat()) {
    const update = updatePicker(current, event);
    current = update.state;
    effects.push(...update.effects);
  }
  return { state: current, effects };
}

const three = (): PickerState =>
  initialPickerState('saves of -L test', [
    save(1, ['dev', 'notes']),
    save(2, ['dev']),
    save(3, ['web', 'Mail']),
  ]);

/** The path of the selected save, read from the state's own fields. */
const selectedPath = (state: PickerState): string | undefined =>
  state.saves[state.matches[state.cursor]!]?.path;

describe('picker keys', () => {
  it('decodes arrows, paging, Home and End as xterm, tmux and the Linux console send them', () => {
    const kinds = (input: string) => decodeKeys(input).map((decoded) => decoded.kind);
    assert.deepEqual(kinds('\x1b[A\x1b[B\x1bOA\x1bOB'), ['up', 'down', 'up', 'down']);
    assert.deepEqual(kinds('\x1b[5~\x1b[6~'), ['page-up', 'page-down']);
    assert.deepEqual(kinds('\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH\x1bOF'), [
      'home',
      'end',
      'home',
      'end',
      'home',
      'end',
    ]);
    assert.deepEqual(kinds('\t\x1b[Z\r\n'), ['tab', 'back-tab', 'enter', 'enter']);
    assert.deepEqual(kinds('\x7f\b\x15\x03'), ['backspace', 'backspace', 'clear-filter', 'interrupt']);
  });

  it('takes a lone ESC as the Escape key, and ignores Alt+key, unknown sequences and control bytes', () => {
    assert.deepEqual(decodeKeys('\x1b'), [{ kind: 'escape' }]);
    assert.deepEqual(decodeKeys('\x1b\x1b'), [{ kind: 'escape' }, { kind: 'escape' }]);
    assert.deepEqual(decodeKeys('\x1bx\x1b[15~\x01\x9b'), [
      { kind: 'other' },
      { kind: 'other' },
      { kind: 'other' },
      { kind: 'other' },
    ]);
  });

  it('types whole characters, astral ones included', () => {
    assert.deepEqual(decodeKeys('aé😀'), [
      { kind: 'character', text: 'a' },
      { kind: 'character', text: 'é' },
      { kind: 'character', text: '😀' },
    ]);
  });
});

describe('picker state', () => {
  it('lists every save, newest first, with the first selected', () => {
    const state = three();
    assert.deepEqual(state.matches, [0, 1, 2]);
    assert.equal(selectedPath(state), '/saves/save-1.json');
    assert.equal(state.focus, 'saves');
  });

  it('filters by every typed word over the row and the session names, ignoring case', () => {
    const { state } = press(three(), typed('mail'));
    assert.equal(state.filter, 'mail');
    assert.deepEqual(state.matches, [2]);
    assert.equal(selectedPath(state), '/saves/save-3.json');
    // Two words: both must occur.
    assert.deepEqual(press(three(), typed('DEV notes')).state.matches, [0]);
    // A row's text: its time.
    assert.deepEqual(press(three(), typed('10:58')).state.matches, [1]);
    assert.deepEqual(press(three(), typed('nothing like it')).state.matches, []);
  });

  it('keeps the selected save while the filter still lists it, and clears the filter with Backspace and C-u', () => {
    const moved = press(three(), key('down')).state;
    assert.equal(selectedPath(moved), '/saves/save-2.json');
    const filtered = press(moved, typed('dev'));
    assert.deepEqual(filtered.state.matches, [0, 1]);
    assert.equal(selectedPath(filtered.state), '/saves/save-2.json');
    const back = press(filtered.state, key('backspace'));
    assert.equal(back.state.filter, 'de');
    const cleared = press(back.state, key('clear-filter'));
    assert.equal(cleared.state.filter, '');
    assert.deepEqual(cleared.state.matches, [0, 1, 2]);
    assert.equal(selectedPath(cleared.state), '/saves/save-2.json');
  });

  it('moves with the arrows, PgUp/PgDn by the page and Home/End, never past either end', () => {
    const saves = Array.from({ length: 30 }, (_, position) => save(position + 1, ['s']));
    const start = initialPickerState('h', saves, 7);
    assert.equal(press(start, key('up')).state.cursor, 0);
    assert.equal(press(start, key('down'), key('down')).state.cursor, 2);
    assert.equal(press(start, key('page-down')).state.cursor, 7);
    assert.equal(press(start, key('page-down'), key('page-down'), key('page-up')).state.cursor, 7);
    assert.equal(press(start, key('end')).state.cursor, 29);
    assert.equal(press(start, key('end'), key('down'), key('page-down')).state.cursor, 29);
    assert.equal(press(start, key('end'), key('home')).state.cursor, 0);
    // A resize changes the page.
    assert.equal(press(start, { kind: 'resize', pageSize: 3 }, key('page-down')).state.cursor, 3);
  });

  it('restores the selected save with Enter, whole', () => {
    const { state, effects } = press(three(), key('down'), key('enter'));
    assert.deepEqual(effects, [{ kind: 'restore', path: '/saves/save-2.json', session: undefined }]);
    assert.equal(state.mode.kind, 'restoring');
  });

  it('switches to the sessions of the selected save with Tab, and restores only the one under the cursor', () => {
    const focused = press(three(), key('end'), key('tab'));
    assert.equal(focused.state.focus, 'sessions');
    // The arrows now move among the sessions; the save stays selected.
    const { state, effects } = press(focused.state, key('down'), key('down'), key('enter'));
    assert.equal(selectedPath(state), '/saves/save-3.json');
    assert.deepEqual(effects, [{ kind: 'restore', path: '/saves/save-3.json', session: 'Mail' }]);
    // Tab again goes back to the saves, and Enter there restores the whole save.
    const back = press(focused.state, key('down'), key('tab'), key('up'), key('enter'));
    assert.equal(back.state.focus, 'saves');
    assert.deepEqual(back.effects, [{ kind: 'restore', path: '/saves/save-2.json', session: undefined }]);
  });

  it('leaves with Esc, C-c, and q before anything is typed, without restoring', () => {
    for (const event of [key('escape'), key('interrupt'), ...typed('q')])
      assert.deepEqual(press(three(), key('down'), event).effects, [{ kind: 'leave' }]);
    // After typing, q is part of the filter.
    const typing = press(three(), typed('aq'));
    assert.deepEqual(typing.effects, []);
    assert.equal(typing.state.filter, 'aq');
  });

  it('restores nothing from an unreadable save or an empty list, and says why', () => {
    const state = initialPickerState('h', [save(1, ['a'], false)]);
    const enter = press(state, key('enter'));
    assert.deepEqual(enter.effects, []);
    assert.match(enter.state.notice ?? '', /cannot be read/);
    assert.equal(press(state, key('tab')).state.focus, 'saves');
    const none = press(three(), typed('zzz'), key('enter'));
    assert.deepEqual(none.effects, []);
    assert.match(none.state.notice ?? '', /no save is listed/);
  });

  it('ignores keys while restoring, then shows the summary until any key leaves', () => {
    const restoring = press(three(), key('enter')).state;
    const ignored = press(restoring, key('escape'), typed('x'));
    assert.deepEqual(ignored.effects, []);
    assert.equal(ignored.state.mode.kind, 'restoring');
    const finished = press(restoring, {
      kind: 'restore-finished',
      lines: ['restored 2 sessions'],
      failed: false,
    });
    assert.deepEqual(finished.state.mode, {
      kind: 'finished',
      lines: ['restored 2 sessions'],
      failed: false,
    });
    assert.deepEqual(press(finished.state, typed('x')).effects, [{ kind: 'leave' }]);
  });
});

describe('picker screen', () => {
  const sizes = [
    { columns: 80, rows: 24 },
    // Inside an 80×24 popup: tmux draws a border around it.
    { columns: 78, rows: 22 },
    { columns: 120, rows: 40 },
    { columns: 40, rows: 10 },
    { columns: 20, rows: 3 },
  ];

  function assertFits(lines: readonly string[], size: { columns: number; rows: number }): void {
    assert.equal(lines.length, size.rows, `${size.columns}x${size.rows}`);
    for (const line of lines) {
      assert.ok(
        displayWidth(line) <= size.columns,
        `${displayWidth(line)} > ${size.columns}: ${JSON.stringify(line)}`,
      );
      assert.doesNotMatch(line, controlCharacters);
    }
  }

  it('fills exactly the terminal and no line is wider, in every state and at every size', () => {
    const many = initialPickerState(
      'continuum: restore a save of -L a-very-long-socket-name-that-goes-on-and-on (42 saves)',
      Array.from({ length: 42 }, (_, position) => save(position + 1, ['dev', 'notes', 'web'])),
    );
    const states = [
      many,
      press(many, key('end')).state,
      press(many, key('tab'), key('down')).state,
      press(many, typed('no such save')).state,
      press(many, key('enter')).state,
      press(many, key('enter'), {
        kind: 'restore-finished',
        lines: [`restored 3 sessions and 3 windows from /${'long/'.repeat(40)}save.json`],
        failed: false,
      }).state,
      initialPickerState('h', []),
    ];
    for (const size of sizes) for (const state of states) assertFits(renderPicker(state, size), size);
  });

  it('shows the list, the filter and the preview of the selected save in 80×24', () => {
    const lines = renderPicker(press(three(), key('down')).state, { columns: 80, rows: 24 });
    assert.equal(lines[0], 'saves of -L test');
    assert.equal(lines[1], 'filter: _');
    const rows = lines.filter((line) => /^[> ] [* ] {2}\d/.test(line));
    assert.deepEqual(
      rows.map((line) => line.slice(0, 6)),
      ['  *  1', '>    2', '     3'],
    );
    // The preview (below: 80 columns are narrower than side by side) is `show`'s tree of save 2.
    const rule = lines.findIndex((line) => /^─+$/.test(line));
    assert.ok(rule > 0, lines.join('\n'));
    assert.equal(lines[rule + 1], 'session "dev"');
    assert.ok(lines.some((line) => /^ {2}window 0 /.test(line)));
    // The keys, whole within the 78 columns of a popup's inside.
    assert.equal(lines.at(-1), 'Enter restore · Tab its sessions · type to filter · ↑↓ move · Esc leave');
  });

  it('shows the preview beside the list on a wide terminal', () => {
    const lines = renderPicker(three(), { columns: 120, rows: 30 });
    const body = lines.slice(2, -1);
    const column = body[0]!.indexOf('│');
    assert.ok(column > 20, body[0]);
    assert.ok(body.every((line) => line.indexOf('│') === column));
    assert.match(body[0]!, /│session "dev"/);
  });

  it('lists the sessions of the save in the sessions focus and previews only the one under the cursor', () => {
    const lines = renderPicker(press(three(), key('end'), key('tab'), key('down')).state, {
      columns: 80,
      rows: 24,
    });
    assert.ok(lines.includes('  session "web"  1 window, 2 panes'), lines.join('\n'));
    assert.ok(lines.includes('> session "Mail"  1 window, 2 panes'), lines.join('\n'));
    assert.ok(lines.includes('restores only session "Mail" of this save:'));
    assert.ok(!lines.some((line) => line.startsWith('session "web"')));
    assert.match(lines.at(-1)!, /restore this session only/);
  });

  it('keeps the selected save in view when the list scrolls', () => {
    const state = initialPickerState(
      'h',
      Array.from({ length: 200 }, (_, position) => save(position + 1, ['s'])),
    );
    const lines = renderPicker(press(state, key('page-down'), key('page-down'), key('down')).state, {
      columns: 80,
      rows: 24,
    });
    const selected = lines.filter((line) => line.startsWith('>'));
    assert.equal(selected.length, 1);
    assert.match(selected[0]!, /^> {3}22 /);
  });

  it('escapes control characters of names from the save, and of what was typed', () => {
    const hostile = snapshot({
      sessions: [
        session({
          name: 'evil\x1b]0;pwned\x07\x9b31m',
          windows: [
            window({
              name: 'w\x1b[2J',
              panes: [pane({ cwd: '/tmp/\x1b]52;c;aGk=\x07', program: { argv: ['vim', '\x1b[6n'] } })],
            }),
          ],
        }),
      ],
    });
    const state = initialPickerState('h\x1b[2J', [
      { path: '/saves/x.json', text: '*  1  now  unreadable: bad\x1b[31m', snapshot: hostile },
    ]);
    for (const shown of [
      state,
      press(state, key('tab')).state,
      press(state, { kind: 'key', key: { kind: 'character', text: '\x1b' } }).state,
      press(state, key('enter'), { kind: 'restore-finished', lines: ['x\x1b]0;t\x07'], failed: true }).state,
    ]) {
      for (const size of sizes) {
        const lines = renderPicker(shown, size);
        assertFits(lines, size);
      }
    }
    const text = renderPicker(press(state, key('tab')).state, { columns: 120, rows: 30 }).join('\n');
    assert.ok(text.includes('session "evil\\x1b]0;pwned\\x07\\x9b31m"'), text);
    assert.ok(text.includes('\\x1b]52;c;aGk=\\x07'), text);
  });
});
