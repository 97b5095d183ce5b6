// `npm run demo`: builds a small but real tmux environment on a throwaway server, saves it with
// the built `continuum`, kills the server, restores into a fresh one and prints both side by side
// with a one-line verdict. Nothing of the user's own tmux, shell or saves is touched.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, ThrowawayServer, tmuxInstalled } from '../bench/throwaway-server.js';
import { literalForFormat } from '../src/mux/script.js';
import { inspectForegroundPrograms } from '../src/platform/foreground-process.js';
import { namedServerIdentity } from '../src/server/server-identity.js';
import { captureServer } from '../src/snapshot/capture.js';
import type { Snapshot } from '../src/snapshot/schema.js';
import { countPanes, layoutGeometry, snapshotStructure } from '../src/snapshot/structure.js';
import { SaveStore } from '../src/store/save-store.js';

const cliPath = fileURLToPath(new URL('../dist/continuum.js', import.meta.url));
const socketName = 'continuum-demo';
const width = 160;
const height = 40;

/** One line of the environment tree; rows of the two trees with the same key are compared. */
interface TreeRow {
  readonly key: string;
  readonly text: string;
  /** What is compared; the text leaves out what would only add noise (a default pane title). */
  readonly compared: string;
  /** The pane's program (argv), shown on the line but judged apart from the structure. */
  readonly program?: readonly string[] | null;
}

/** A restored pane's program compared with the saved one. */
type ProgramState = 'running' | 'saved-not-running' | 'missing';

/** Directories with spaces, a log that `tail -f` follows and a file `less` shows. */
async function createProjectFiles(root: string): Promise<Record<'web' | 'logs' | 'api' | 'notes', string>> {
  const directories = {
    web: join(root, 'web app'),
    logs: join(root, 'web app', 'logs'),
    api: join(root, 'api  server'),
    notes: join(root, 'my notes'),
  };
  for (const directory of Object.values(directories)) await mkdir(directory, { recursive: true });
  await writeFile(
    join(directories.web, 'README.txt'),
    'web app\n\nThis file is open in `less` in the window "docs" of the session "web".\n',
  );
  const logLines = Array.from({ length: 20 }, (_, index) => `12:00:${String(index).padStart(2, '0')} GET /`);
  await writeFile(join(directories.logs, 'dev server.log'), `${logLines.join('\n')}\n`);
  return directories;
}

/**
 * Three sessions, six windows and fourteen panes: named and automatically named windows, five
 * layouts, a zoomed pane, pane titles, directories with spaces, and `tail -f` and `less` typed
 * into their shells as a user would. The session "web" is first created from the command line
 * (it starts the server); the rest goes in one source-file.
 */
async function buildEnvironment(server: ThrowawayServer, root: string): Promise<void> {
  const directory = await createProjectFiles(root);
  // tmux format-expands -c, so a `#` in the temporary path must be sent doubled.
  const at = (path: string): string => literalForFormat(path);
  await server.tmux(
    'new-session',
    '-d',
    '-s',
    'web',
    '-n',
    'editor',
    '-x',
    String(width),
    '-y',
    String(height),
    '-c',
    at(directory.web),
  );
  const commands = [
    ['split-window', '-h', '-d', '-t', '=web:0.0', '-c', at(directory.web)],
    ['select-layout', '-t', '=web:0', 'even-horizontal'],
    ['select-pane', '-t', '=web:0.0', '-T', 'editor'],
    ['new-window', '-d', '-t', '=web:1', '-n', 'server', '-c', at(directory.web)],
    ['split-window', '-h', '-d', '-t', '=web:1.0', '-c', at(directory.logs)],
    ['split-window', '-d', '-t', '=web:1.1', '-c', at(directory.web)],
    ['select-layout', '-t', '=web:1', 'main-vertical'],
    ['select-pane', '-t', '=web:1.1', '-T', 'dev server log'],
    ['new-window', '-d', '-t', '=web:2', '-n', 'docs', '-c', at(directory.web)],
    [
      'new-session',
      '-d',
      '-s',
      'api',
      '-n',
      'code',
      '-x',
      String(width),
      '-y',
      String(height),
      '-c',
      at(directory.api),
    ],
    ['split-window', '-d', '-t', '=api:0.0', '-c', at(directory.api)],
    ['select-layout', '-t', '=api:0', 'tiled'],
    ['split-window', '-d', '-t', '=api:0.0', '-c', at(directory.api)],
    ['select-layout', '-t', '=api:0', 'tiled'],
    ['split-window', '-d', '-t', '=api:0.0', '-c', at(directory.api)],
    ['select-layout', '-t', '=api:0', 'tiled'],
    // No -n: this window keeps automatic-rename and is named after what runs in it.
    ['new-window', '-d', '-t', '=api:1', '-c', at(directory.api)],
    ['split-window', '-d', '-t', '=api:1.0', '-c', at(directory.api)],
    ['select-layout', '-t', '=api:1', 'even-vertical'],
    [
      'new-session',
      '-d',
      '-s',
      'notes',
      '-n',
      'scratch',
      '-x',
      String(width),
      '-y',
      String(height),
      '-c',
      at(directory.notes),
    ],
    ['split-window', '-d', '-t', '=notes:0.0', '-c', at(directory.notes)],
    ['select-layout', '-t', '=notes:0', 'main-horizontal'],
    // Typed into the shells: fixed text, the file names are relative to each pane's directory.
    ['send-keys', '-t', '=web:1.1', "tail -f 'dev server.log'", 'Enter'],
    ['send-keys', '-t', '=web:2.0', 'less README.txt', 'Enter'],
    // web: window 0 active, window 1 the last one; api: pane 2 of "code" zoomed.
    ['select-window', '-t', '=web:1'],
    ['select-window', '-t', '=web:0'],
    ['select-pane', '-t', '=api:0.2'],
    ['resize-pane', '-Z', '-t', '=api:0.2'],
  ];
  const result = await server.client().runScript(commands);
  if (result.errors.length > 0) throw new Error(`building the demo failed: ${result.errors.join('; ')}`);
}

async function capture(server: ThrowawayServer): Promise<Snapshot> {
  const { snapshot } = await captureServer({
    mux: server.client(),
    inspectPrograms: inspectForegroundPrograms({ userShell: '/bin/sh' }),
    now: () => new Date(),
  });
  return snapshot;
}

/** Polls the server until `ready` holds for its snapshot, or the deadline passes; returns the last one. */
async function captureWhen(
  server: ThrowawayServer,
  ready: (snapshot: Snapshot) => boolean,
  timeoutMilliseconds: number,
): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const snapshot = await capture(server);
    if (ready(snapshot) || Date.now() > deadline) return snapshot;
    await new Promise((done) => setTimeout(done, 50));
  }
}

const programCount = (snapshot: Snapshot): number =>
  snapshot.sessions
    .flatMap((session) => session.windows.flatMap((window) => window.panes))
    .filter((pane) => pane.program).length;

/** argv as a person would type it: arguments with spaces in single quotes. */
function showCommandLine(argv: readonly string[]): string {
  return argv.map((argument) => (/^[\w./=:@%+-]+$/.test(argument) ? argument : `'${argument}'`)).join(' ');
}

/** The environment as a tree of rows: sessions, windows with their flags and layout geometry, panes. */
function treeRows(snapshot: Snapshot, root: string): TreeRow[] {
  const rows: TreeRow[] = [];
  const shortPath = (path: string): string =>
    path.startsWith(root) ? `$DEMO${path.slice(root.length)}` : path;
  const sessions = [...snapshot.sessions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const session of sessions) {
    const role =
      session.name === snapshot.activeSession
        ? ' (current)'
        : session.name === snapshot.alternateSession
          ? ' (last)'
          : '';
    const sessionText = `session ${session.name}${role}`;
    rows.push({ key: `session ${session.name}`, text: sessionText, compared: sessionText });
    for (const window of [...session.windows].sort((a, b) => a.index - b.index)) {
      const windowKey = `window ${session.name}:${window.index}`;
      // tmux's own window flags: * active, - last, Z zoomed.
      const flags = `${window.active ? '*' : ''}${window.alternate ? '-' : ''}${window.zoomed ? 'Z' : ''}`;
      const name = window.automaticRename ? `(automatic name: ${window.name})` : `"${window.name}"`;
      rows.push({
        key: windowKey,
        text: `  ${window.index}${flags} ${name}`,
        // tmux derives an automatic name from the program running, so only the setting is compared.
        compared: `${window.index}${flags} ${window.automaticRename ? 'automatic' : window.name}`,
      });
      const layout = `     ${layoutGeometry(window.layout)}`;
      rows.push({ key: `${windowKey} layout`, text: layout, compared: layout });
      for (const pane of [...window.panes].sort((a, b) => a.index - b.index)) {
        rows.push({
          key: `pane ${session.name}:${window.index}.${pane.index}`,
          // tmux titles a pane with the host name until something sets a title.
          text: `    .${pane.index}${pane.active ? '*' : ' '} ${shortPath(pane.cwd)}${pane.title === hostname() ? '' : `  title "${pane.title}"`}`,
          compared: `${pane.index} ${pane.active} ${pane.cwd} ${pane.title}`,
          program: pane.program?.argv ?? null,
        });
      }
    }
  }
  return rows;
}

/** Everything the verdict judges: the saved structure without programs (they are judged apart). */
function structureWithoutPrograms(snapshot: Snapshot): string {
  const withoutPrograms: Snapshot = {
    ...snapshot,
    sessions: snapshot.sessions.map((session) => ({
      ...session,
      windows: session.windows.map((window) => ({
        ...window,
        panes: window.panes.map((pane) => ({ ...pane, program: null })),
      })),
    })),
  };
  return JSON.stringify(snapshotStructure(withoutPrograms));
}

const sameArgv = (
  a: readonly string[] | null | undefined,
  b: readonly string[] | null | undefined,
): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Splits a cell into lines of at most `size` characters, continuations indented. */
function wrap(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const lines = [text.slice(0, size)];
  for (let start = size; start < text.length; start += size - 6)
    lines.push(`      ${text.slice(start, start + size - 6)}`);
  return lines;
}

interface Comparison {
  readonly differences: string[];
  readonly programs: { saved: number; running: number; notRunning: string[] };
}

/**
 * Prints before and after side by side. The gutter says how each row compares: `=` the same,
 * `≠` different, `~` a program that is in the save but is not running after the restore.
 */
function printSideBySide(before: Snapshot, after: Snapshot, saved: Snapshot, root: string): Comparison {
  const beforeRows = treeRows(before, root);
  const afterRows = new Map(treeRows(after, root).map((row) => [row.key, row]));
  const savedPrograms = new Map(
    treeRows(saved, root)
      .filter((row) => row.program)
      .map((row) => [row.key, row.program!]),
  );
  const differences: string[] = [];
  const programs = { saved: 0, running: 0, notRunning: [] as string[] };
  const lines: [string, string, string][] = [];
  for (const row of beforeRows) {
    const restored = afterRows.get(row.key);
    afterRows.delete(row.key);
    let mark = restored && restored.compared === row.compared ? '=' : '≠';
    if (mark === '≠') differences.push(row.key);
    let left = row.text;
    let right = restored?.text ?? '(missing)';
    if (row.program) {
      programs.saved += 1;
      left += `  ▶ ${showCommandLine(row.program)}`;
      const state: ProgramState = sameArgv(restored?.program, row.program)
        ? 'running'
        : sameArgv(savedPrograms.get(row.key), row.program)
          ? 'saved-not-running'
          : 'missing';
      if (state === 'running') {
        programs.running += 1;
        right += `  ▶ ${showCommandLine(row.program)}`;
      } else {
        programs.notRunning.push(showCommandLine(row.program));
        right += state === 'saved-not-running' ? '  ▷ saved, not running' : '  ▷ not in the save';
        if (mark === '=') mark = '~';
      }
    } else if (restored?.program) {
      right += `  ▶ ${showCommandLine(restored.program)}`;
    }
    lines.push([left, mark, right]);
  }
  for (const extra of afterRows.values()) {
    differences.push(extra.key);
    lines.push(['(not there before)', '≠', extra.text]);
  }

  // Not a terminal (a pipe, a CI log): wide enough for both trees without wrapping.
  const terminalWidth = process.stdout.columns || 180;
  const longest = Math.max(...lines.flatMap(([left, , right]) => [left.length, right.length]), 20);
  const columnWidth = Math.max(30, Math.min(longest, Math.floor((terminalWidth - 5) / 2)));
  const print = (left: string, mark: string, right: string): void => {
    const leftLines = wrap(left, columnWidth);
    const rightLines = wrap(right, columnWidth);
    for (let index = 0; index < Math.max(leftLines.length, rightLines.length); index += 1) {
      const gutter = index === 0 ? mark : ' ';
      console.log(
        `${(leftLines[index] ?? '').padEnd(columnWidth)}  ${gutter}  ${rightLines[index] ?? ''}`.trimEnd(),
      );
    }
  };
  print('BEFORE (saved from the first server)', ' ', 'AFTER (restored into a fresh server)');
  print('-'.repeat(Math.min(columnWidth, 36)), ' ', '-'.repeat(Math.min(columnWidth, 36)));
  for (const [left, mark, right] of lines) print(left, mark, right);
  return { differences, programs };
}

/** Runs the built CLI on the demo server, prints the command and its output, and fails on a non-zero exit. */
async function continuum(
  server: ThrowawayServer,
  saveDirectory: string,
  root: string,
  ...args: string[]
): Promise<void> {
  console.log(`$ continuum -L ${socketName} --dir ${saveDirectory.replace(root, '$DEMO')} ${args.join(' ')}`);
  const outcome = await runProcess(
    process.execPath,
    [cliPath, ...server.serverArguments, '--dir', saveDirectory, ...args],
    server.environment,
  );
  for (const line of `${outcome.stdout}${outcome.stderr}`.split('\n').filter((text) => text.trim() !== ''))
    console.log(`  ${line.replaceAll(root, '$DEMO')}`);
  console.log(`  (${outcome.seconds.toFixed(2)} s)`);
  if (outcome.code !== 0)
    throw new Error(`continuum ${args.join(' ')} failed with exit code ${outcome.code}`);
}

function verdictLine(
  before: Snapshot,
  after: Snapshot,
  comparison: Comparison,
): { line: string; exact: boolean } {
  const counts = countPanes(before);
  const size = `${counts.sessions} sessions, ${counts.windows} windows, ${counts.panes} panes`;
  const exact = structureWithoutPrograms(before) === structureWithoutPrograms(after);
  const { saved, running, notRunning } = comparison.programs;
  let programs = '';
  if (saved > 0 && running === saved) programs = `, ${saved} programs running again`;
  else if (saved > 0 && running === 0)
    programs = `); not counted: ${saved} programs in the save that restore did not start again (${notRunning.join(', ')}`;
  else if (saved > 0)
    programs = `; ${running} of ${saved} programs running again, not counted: ${notRunning.join(', ')} did not come back`;
  if (exact) return { line: `verdict: restored exactly (${size}${programs})`, exact };
  const shown = comparison.differences.slice(0, 5).join('; ');
  const more = comparison.differences.length > 5 ? ` and ${comparison.differences.length - 5} more` : '';
  return {
    line: `verdict: NOT restored exactly — ${comparison.differences.length || 'some'} difference(s): ${shown || 'active or alternate session'}${more}`,
    exact,
  };
}

async function main(): Promise<number> {
  if (!(await tmuxInstalled())) {
    console.error(
      'demo: tmux is not installed — install it with `sudo apt-get install tmux` (Debian/Ubuntu) or `brew install tmux` (macOS), then run `npm run demo` again',
    );
    return 3;
  }
  if (!existsSync(cliPath)) {
    console.error(`demo: ${cliPath} is missing — run \`npm run demo\`, which builds it first`);
    return 1;
  }
  // A fixed TMUX_TMPDIR per user lets this run find and kill a server an interrupted run left behind.
  const server = await ThrowawayServer.create({
    socketName,
    prefix: 'continuum-demo-',
    tmuxDirectory: join(tmpdir(), `continuum-demo-tmux-${userInfo().uid}`),
  });
  const stopOnSignal = (): void => {
    void server.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await server.stop();
    const saveDirectory = join(server.root, 'saves');
    console.log(`continuum demo on a throwaway tmux server (-L ${socketName}); $DEMO = ${server.root}\n`);

    console.log('1. building 3 sessions with split, zoomed and named windows, tail -f and less running');
    await buildEnvironment(server, server.root);
    // The typed commands start asynchronously; wait until both are the panes' foreground programs.
    const before = await captureWhen(server, (snapshot) => programCount(snapshot) >= 2, 5000);

    console.log('2. saving it, killing the server, restoring into a fresh one');
    await continuum(server, saveDirectory, server.root, 'save');
    await server.stop();
    console.log(`$ tmux -L ${socketName} new-session -d   (a fresh server, as after a reboot)`);
    await server.start(width, height);
    await continuum(server, saveDirectory, server.root, 'restore');
    const saved = (await new SaveStore(saveDirectory, namedServerIdentity(socketName)).load(undefined))
      .snapshot;
    // Programs a restore starts again are typed into their panes and start a moment later.
    const expectedPrograms = programCount(saved);
    const after = await captureWhen(server, (snapshot) => programCount(snapshot) >= expectedPrograms, 2000);

    console.log('\n3. before and after   (= same   ≠ different   ~ program in the save, not running)');
    console.log(
      '   window flags as in tmux: * active, - last, Z zoomed; under each window its layout geometry\n',
    );
    const comparison = printSideBySide(before, after, saved, server.root);
    const verdict = verdictLine(before, after, comparison);
    console.log(`\n${verdict.line}`);
    return verdict.exact ? 0 : 1;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await server.dispose();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
