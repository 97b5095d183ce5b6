import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { joinCommandArguments, literalForFormat } from '../../src/mux/script.js';
import { snapshotStructure } from '../../src/snapshot/structure.js';
import { readSnapshotFile } from '../../src/store/save-store.js';
import { captureSnapshot, startWithConfig } from '../support/live-server.js';
import { newestSaveIn, TestServer, waitFor } from '../support/tmux-server.js';

/** Printable ASCII and a few wide, accented and emoji characters; no control characters. */
const characters = [
  ...Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)),
  'é',
  'ü',
  'ß',
  '中',
  '→',
  '😀',
  '🚀',
];
// tmux turns `:` and `.` in session names into `_` (they separate targets): not names a user can have.
const sessionCharacters = characters.filter((character) => character !== ':' && character !== '.');
const textOf = (alphabet: string[], minLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength: 8 });

const paneArbitrary = fc.record({ title: textOf(characters, 0), splitHorizontally: fc.boolean() });
const windowArbitrary = fc.record({
  name: textOf(characters, 1),
  panes: fc.array(paneArbitrary, { minLength: 1, maxLength: 3 }),
  activePane: fc.nat(2),
  zoomed: fc.boolean(),
});
const environmentArbitrary = fc.record({
  baseIndex: fc.constantFrom(0, 1),
  paneBaseIndex: fc.constantFrom(0, 1),
  sessions: fc.uniqueArray(
    fc.record({
      name: textOf(sessionCharacters, 1),
      windows: fc.array(windowArbitrary, { minLength: 1, maxLength: 3 }),
      activeWindow: fc.nat(2),
    }),
    { minLength: 1, maxLength: 3, selector: (session) => session.name },
  ),
  groupLastWithFirst: fc.boolean(),
});
type Environment = typeof environmentArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

const bootstrapParking = 'parked bootstrap session';

async function build(server: TestServer, environment: Environment): Promise<void> {
  const tmux = (...args: string[]) => server.tmux(...joinCommandArguments([args]));
  await tmux('rename-session', '-t', '=0', bootstrapParking);
  const ids: string[] = [];
  for (const [sessionPosition, session] of environment.sessions.entries()) {
    if (
      environment.groupLastWithFirst &&
      sessionPosition > 0 &&
      sessionPosition === environment.sessions.length - 1
    ) {
      await tmux('new-session', '-d', '-s', literalForFormat(session.name), '-t', ids[0]!);
      continue;
    }
    let sessionId = '';
    for (const [windowPosition, window] of session.windows.entries()) {
      const name = literalForFormat(window.name);
      const windowId = (
        windowPosition === 0
          ? await tmux(
              'new-session',
              '-d',
              '-P',
              '-F',
              '#{session_id} #{window_id}',
              '-s',
              literalForFormat(session.name),
              '-n',
              name,
              '-x',
              '100',
              '-y',
              '30',
            )
          : await tmux(
              'new-window',
              '-d',
              '-P',
              '-F',
              '#{session_id} #{window_id}',
              '-t',
              `${sessionId}:`,
              '-n',
              name,
            )
      )
        .trim()
        .split(' ');
      sessionId = windowId[0]!;
      ids[sessionPosition] = sessionId;
      const target = windowId[1]!;
      for (const pane of window.panes.slice(1))
        await tmux('split-window', '-d', pane.splitHorizontally ? '-h' : '-v', '-t', target);
      const paneIds = (await tmux('list-panes', '-t', target, '-F', '#{pane_id}'))
        .split('\n')
        .filter(Boolean);
      for (const [panePosition, pane] of window.panes.entries())
        await tmux('select-pane', '-t', paneIds[panePosition]!, '-T', literalForFormat(pane.title));
      const active = paneIds[window.activePane % paneIds.length]!;
      await tmux('select-pane', '-t', active);
      if (window.zoomed && paneIds.length > 1) await tmux('resize-pane', '-Z', '-t', active);
    }
    const windows = (await tmux('list-windows', '-t', sessionId, '-F', '#{window_id}'))
      .split('\n')
      .filter(Boolean);
    await tmux('select-window', '-t', windows[session.activeWindow % windows.length]!);
  }
  await tmux('kill-session', '-t', `=${bootstrapParking}`);
}

interface ObservedPane {
  readonly title: string;
  readonly active: boolean;
}
interface ObservedWindow {
  readonly index: number;
  readonly name: string;
  readonly active: boolean;
  readonly zoomed: boolean;
  readonly panes: readonly ObservedPane[];
}
/** By session name: a Map, since a session may be called `toString` or `__proto__`. */
type Observed = Map<string, readonly ObservedWindow[]>;

/**
 * What the generated environment must look like in tmux, worked out from the generator's values
 * alone: no capture of continuum's is the reference (a bug in capture would hide in both sides).
 */
function expectedFrom(environment: Environment): Observed {
  // tmux stores a session name escaped (session_check_name's utf8_stravis): a backslash doubled,
  // and a `$` that could start a variable (before an ASCII letter, `_` or `{`) with a backslash:
  // `a\b` is the session `a\\b`, `$L` is `\$L`, from then on, for tmux and continuum alike.
  const stored = (name: string): string => name.replaceAll('\\', '\\\\').replace(/\$(?=[A-Za-z_{])/g, '\\$');
  const expected = new Map<string, ObservedWindow[]>();
  let first: ObservedWindow[] = [];
  environment.sessions.forEach((session, sessionPosition) => {
    const grouped =
      environment.groupLastWithFirst &&
      sessionPosition > 0 &&
      sessionPosition === environment.sessions.length - 1;
    if (grouped) {
      // A session made with new-session -t shares the windows; its current window is the first one.
      expected.set(
        stored(session.name),
        first.map((window, position) => ({ ...window, active: position === 0 })),
      );
      return;
    }
    const windows = session.windows.map((window, windowPosition) => {
      const activePane = window.activePane % window.panes.length;
      return {
        index: environment.baseIndex + windowPosition,
        name: window.name,
        active: windowPosition === session.activeWindow % session.windows.length,
        zoomed: window.zoomed && window.panes.length > 1,
        panes: window.panes.map((pane, panePosition) => ({
          title: pane.title,
          active: panePosition === activePane,
        })),
      };
    });
    expected.set(stored(session.name), windows);
    if (sessionPosition === 0) first = windows;
  });
  return expected;
}

/** The live server read with plain tmux formats, in the shape of {@link expectedFrom}. */
async function observe(server: TestServer): Promise<Observed> {
  const separator = '\x1f';
  const fields = [
    'session_name',
    'window_index',
    'window_name',
    'window_active',
    'window_zoomed_flag',
    'pane_index',
    'pane_title',
    'pane_active',
  ];
  const output = await server.tmux(
    'list-panes',
    '-a',
    '-F',
    fields.map((field) => `#{${field}}`).join(separator),
  );
  const observed = new Map<string, ObservedWindow[]>();
  for (const line of output.split('\n').filter(Boolean)) {
    const [session, index, name, active, zoomed, , title, paneActive] = line.split(separator);
    const windows = observed.get(session!) ?? [];
    observed.set(session!, windows);
    let window = windows.find((candidate) => candidate.index === Number(index));
    if (!window) {
      window = {
        index: Number(index),
        name: name!,
        active: active === '1',
        zoomed: zoomed === '1',
        panes: [],
      };
      windows.push(window);
    }
    (window.panes as ObservedPane[]).push({ title: title!, active: paneActive === '1' });
  }
  for (const windows of observed.values()) windows.sort((a, b) => a.index - b.index);
  return observed;
}

describe('save → restore → save (property)', () => {
  it('gives the same structure for generated environments', async () => {
    await fc.assert(
      fc.asyncProperty(environmentArbitrary, async (environment) => {
        const server = await TestServer.create();
        try {
          const config = [
            `set -g base-index ${environment.baseIndex}`,
            `set -g pane-base-index ${environment.paneBaseIndex}`,
          ];
          await startWithConfig(server, config);
          await build(server, environment);
          const expected = expectedFrom(environment);
          assert.deepEqual(await observe(server), expected, 'the generator built what it describes');
          const built = snapshotStructure(await captureSnapshot(server));
          const first = await server.cli('save');
          assert.equal(first.code, 0, first.stderr);
          const last = (await newestSaveIn(server.saveDirectory))!;
          const saved = await readSnapshotFile(join(server.saveDirectory, last));
          assert.deepEqual(snapshotStructure(saved), built);

          await server.kill();
          await waitFor(async () => !(await server.isRunning()), 5000, 'the server to exit');
          await startWithConfig(server, config);
          const restored = await server.cli('restore');
          assert.equal(restored.stderr, '');
          assert.equal(restored.code, 0);
          assert.deepEqual(
            await observe(server),
            expected,
            'the restored server is the generated environment',
          );
          assert.deepEqual(snapshotStructure(await captureSnapshot(server)), built);
          const second = await server.cli('save');
          assert.equal(second.code, 0, second.stderr);
          assert.match(second.stdout, /^nothing changed since the last save/);
        } finally {
          await server.dispose();
        }
      }),
      { numRuns: 15 },
    );
  });
});
