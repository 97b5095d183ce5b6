// `npm run bench`: how long `continuum save` and `continuum restore` take for environments of
// growing size, how many tmux processes each starts, and how that compares with the floor (tmux
// building the same structure from one source-file, and listing it with one list-panes call).
// It is a script, not a test: timings depend on the machine and are read by people.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFor, newRecordMarkers } from '../src/mux/formats.js';
import { buildScript } from '../src/mux/script.js';
import { tmuxDialect } from '../src/mux/tmux-dialect.js';
import { namedServerIdentity } from '../src/server/server-identity.js';
import { captureQuery, captureServer } from '../src/snapshot/capture.js';
import type { Snapshot } from '../src/snapshot/schema.js';
import { countPanes, sameStructure } from '../src/snapshot/structure.js';
import { SaveStore } from '../src/store/save-store.js';
import {
  countInvocations,
  countingEnvironment,
  findOnPath,
  writeCountingWrapper,
} from './counting-wrapper.js';
import {
  type BenchSize,
  describeSize,
  environmentCommands,
  floorBuildCommands,
  paneTotal,
} from './structure-scripts.js';
import { median, runProcess, ThrowawayServer } from './throwaway-server.js';

// The tools are built to dist-tools/, the command beside them in dist/.
const cliPath = fileURLToPath(new URL('../dist/continuum.js', import.meta.url));

interface BenchOptions {
  readonly sizes: readonly BenchSize[];
  readonly runs: number;
  /** Also time saves with pane contents (bench/contents-bench.ts); on unless --no-contents. */
  readonly contents: boolean;
  /** Only the shell integration's prompt latency (bench/prompt-latency.ts): --prompt. */
  readonly promptOnly: boolean;
}

interface SizeResult {
  readonly size: BenchSize;
  readonly runs: number;
  readonly saveSeconds: number;
  readonly saveInvocations: readonly number[];
  readonly restoreSeconds: number;
  readonly restoreInvocations: readonly number[];
  readonly floorBuildSeconds: number;
  readonly floorListSeconds: number;
  /** `continuum --version`, timed beside each save so both see the same load on the machine. */
  readonly coldStartSamples: readonly number[];
  /** Whether the first restore reproduced the saved structure exactly. */
  readonly restoredExactly: boolean;
  /** From the command's start until the client's session was built and the client switched to it. */
  readonly firstSessionSeconds: number | undefined;
  /** `source-file` batches of each restore: the calls that grow with the sessions, not the panes. */
  readonly restoreBatches: readonly number[];
}

const defaultSizes: BenchSize[] = [
  { sessions: 1, windows: 1, panes: 1 },
  { sessions: 5, windows: 4, panes: 3 },
  { sessions: 20, windows: 5, panes: 4 },
  { sessions: 50, windows: 5, panes: 4 },
];

/** The size the issue sets its targets at (400 panes). */
const targetSize: BenchSize = { sessions: 20, windows: 5, panes: 4 };

/** The size of the targets of a restore usable at once (1,000 panes). */
const lazyTargetSize: BenchSize = { sessions: 50, windows: 5, panes: 4 };

function parseOptions(args: readonly string[]): BenchOptions {
  let sizes = defaultSizes;
  let runs = 5;
  let contents = true;
  let promptOnly = false;
  for (let index = 0; index < args.length; index += 1) {
    const argument = args[index];
    const value = args[index + 1];
    if (argument === '--runs' && value !== undefined) {
      runs = Math.max(1, Number.parseInt(value, 10) || 5);
      index += 1;
    } else if (argument === '--no-contents') {
      contents = false;
    } else if (argument === '--prompt') {
      promptOnly = true;
    } else if (argument === '--sizes' && value !== undefined) {
      sizes = value.split(',').map(parseSize);
      index += 1;
    } else {
      throw new Error(
        `unknown argument ${JSON.stringify(argument)} — usage: bench [--runs N] [--sizes 1x1x1,5x4x3] [--no-contents] [--prompt]`,
      );
    }
  }
  return { sizes, runs, contents, promptOnly };
}

function parseSize(text: string): BenchSize {
  const parts = text.split(/[x×]/).map((part) => Number.parseInt(part, 10));
  const [sessions, windows, panes] = parts;
  if (parts.length !== 3 || !sessions || !windows || !panes || parts.some((part) => !(part > 0)))
    throw new Error(`bad size ${JSON.stringify(text)} — write SESSIONSxWINDOWSxPANES, e.g. 20x5x4`);
  return { sessions, windows, panes };
}

class Bench {
  readonly #server: ThrowawayServer;
  readonly #wrapper: string;
  readonly #realTmux: string;
  #runNumber = 0;

  constructor(server: ThrowawayServer, wrapper: string, realTmux: string) {
    this.#server = server;
    this.#wrapper = wrapper;
    this.#realTmux = realTmux;
  }

  /** Runs `continuum -L SOCKET --dir DIR --mux WRAPPER ARGS` and counts the tmux processes it starts. */
  async continuum(saveDirectory: string, ...args: string[]): Promise<CommandRun> {
    this.#runNumber += 1;
    const counter = join(this.#server.root, `invocations-${this.#runNumber}`);
    const report = join(this.#server.root, `report-${this.#runNumber}.jsonl`);
    const started = Date.now();
    const outcome = await runProcess(
      process.execPath,
      [cliPath, ...this.#server.serverArguments, '--dir', saveDirectory, '--mux', this.#wrapper, ...args],
      {
        ...this.#server.environment,
        ...countingEnvironment(counter, this.#realTmux),
        CONTINUUM_BENCH_REPORT: report,
      },
    );
    if (outcome.code !== 0)
      throw new Error(`continuum ${args.join(' ')} failed (exit ${outcome.code}): ${outcome.stderr.trim()}`);
    const events = await readReport(report);
    const landed = events.find((event) => event.kind === 'landed');
    return {
      seconds: outcome.seconds,
      invocations: await countInvocations(counter),
      firstSessionSeconds: landed?.at === undefined ? undefined : (landed.at - started) / 1000,
      batches: events.find((event) => event.kind === 'built')?.batches ?? 0,
    };
  }

  async measureSize(size: BenchSize, runs: number): Promise<SizeResult> {
    const server = this.#server;
    const label = describeSize(size);
    const directories = ['project one', 'project  two', 'notes & scratch'].map((name) =>
      join(server.root, name),
    );
    for (const directory of directories) await mkdir(directory, { recursive: true });

    progress(`${label}: building ${paneTotal(size)} pane(s)`);
    await server.start();
    await this.#source(environmentCommands(size, directories), `environment-${label}`);
    const built = await this.#capture();
    const counts = countPanes(built);
    if (counts.panes !== paneTotal(size))
      throw new Error(`${label}: built ${counts.panes} panes instead of ${paneTotal(size)}`);

    progress(`${label}: list-panes floor and save, ${runs} run(s) each`);
    const listFormat = formatFor('P', captureQuery([]).panes ?? [], newRecordMarkers(tmuxDialect));
    const listCommand = ['list-panes', '-a', '-F', listFormat];
    const listSeconds: number[] = [];
    const saveSeconds: number[] = [];
    const saveInvocations: number[] = [];
    const coldStartSamples: number[] = [];
    let saveDirectory = '';
    // A client on the environment, as a user has: the save records its session as the active one.
    const detachFromEnvironment = await server.attachControlClient();
    for (let run = 0; run < runs; run += 1) {
      listSeconds.push((await server.tmuxOutcome(...listCommand)).seconds);
      coldStartSamples.push(await this.coldStartSeconds());
      // A fresh directory each time: every save really writes (no "unchanged" short cut).
      saveDirectory = join(server.root, `saves-${label}-${run}`);
      const save = await this.continuum(saveDirectory, 'save');
      saveSeconds.push(save.seconds);
      saveInvocations.push(save.invocations);
    }
    await detachFromEnvironment();
    await server.stop();

    const saved = (await new SaveStore(saveDirectory, namedServerIdentity(server.socketName)).load(undefined))
      .snapshot;
    const floorScript = await this.#writeScript(floorBuildCommands(saved), `floor-${label}`);

    progress(`${label}: restore and floor build into a fresh server, ${runs} run(s) each`);
    const restoreSeconds: number[] = [];
    const restoreInvocations: number[] = [];
    const restoreBatches: number[] = [];
    const firstSessionSeconds: number[] = [];
    const floorSeconds: number[] = [];
    let restoredExactly = true;
    for (let run = 0; run < runs; run += 1) {
      // Alternate the two so that a slow moment of the machine does not favour either. Both with
      // a client attached, as a user waiting for the restore is: its session is built first.
      await server.start();
      let detach = await server.attachControlClient();
      const restore = await this.continuum(saveDirectory, 'restore');
      restoreSeconds.push(restore.seconds);
      restoreInvocations.push(restore.invocations);
      restoreBatches.push(restore.batches);
      if (restore.firstSessionSeconds !== undefined) firstSessionSeconds.push(restore.firstSessionSeconds);
      // With the client still attached, as it was when the save was made.
      if (run === 0) restoredExactly = sameStructure(saved, await this.#capture());
      await detach();
      await server.stop();

      await server.start();
      detach = await server.attachControlClient();
      const floor = await server.tmuxOutcome('source-file', floorScript);
      await detach();
      if (floor.code !== 0) throw new Error(`${label}: the floor script failed: ${floor.stderr.trim()}`);
      floorSeconds.push(floor.seconds);
      if (run === 0) {
        const floorPanes = countPanes(await this.#capture()).panes;
        // The bootstrap session's pane stays beside the floor's panes.
        if (floorPanes !== paneTotal(size) + 1)
          throw new Error(
            `${label}: the floor script built ${floorPanes - 1} panes instead of ${paneTotal(size)}`,
          );
      }
      await server.stop();
    }

    return {
      size,
      runs,
      saveSeconds: median(saveSeconds),
      saveInvocations,
      restoreSeconds: median(restoreSeconds),
      restoreInvocations,
      floorBuildSeconds: median(floorSeconds),
      floorListSeconds: median(listSeconds),
      coldStartSamples,
      restoredExactly,
      firstSessionSeconds: firstSessionSeconds.length > 0 ? median(firstSessionSeconds) : undefined,
      restoreBatches,
    };
  }

  /** One `continuum --version`: Node's start plus loading the bundle, the part of every command that is not tmux. */
  async coldStartSeconds(): Promise<number> {
    const outcome = await runProcess(process.execPath, [cliPath, '--version'], this.#server.environment);
    if (outcome.code !== 0) throw new Error(`continuum --version failed: ${outcome.stderr.trim()}`);
    return outcome.seconds;
  }

  async #capture(): Promise<Snapshot> {
    const capture = await captureServer({
      mux: this.#server.client(),
      inspectPrograms: async () => ({ programs: new Map(), shells: new Map() }),
      now: () => new Date(),
    });
    return capture.snapshot;
  }

  async #writeScript(commands: readonly (readonly string[])[], name: string): Promise<string> {
    const path = join(this.#server.root, `${name}.tmux`);
    await writeFile(path, buildScript(commands), { mode: 0o600 });
    return path;
  }

  async #source(commands: readonly (readonly string[])[], name: string): Promise<void> {
    await this.#server.tmux('source-file', await this.#writeScript(commands, name));
  }
}

interface CommandRun {
  readonly seconds: number;
  readonly invocations: number;
  readonly firstSessionSeconds: number | undefined;
  readonly batches: number;
}

interface ReportEvent {
  readonly kind: string;
  readonly at?: number;
  readonly batches?: number;
}

/** The JSON lines a restore appends to CONTINUUM_BENCH_REPORT (none for a save). */
async function readReport(path: string): Promise<ReportEvent[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  await rm(path, { force: true });
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReportEvent);
}

const benchStarted = Date.now();

/** Progress goes to stderr with the seconds since the start, so the table on stdout stays clean. */
function progress(line: string): void {
  const elapsed = ((Date.now() - benchStarted) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`bench ${elapsed}s: ${line}\n`);
}

const seconds = (value: number): string => value.toFixed(3);

/** "3" when every run made the same number of calls, else "3-5". */
function invocationText(counts: readonly number[]): string {
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? String(low) : `${low}-${high}`;
}

function printTable(results: readonly SizeResult[]): void {
  const header = [
    'size S×W×P',
    'panes',
    'runs',
    'save s',
    'save calls',
    'restore s',
    'restore calls',
    'first session s',
    'floor build s',
    'floor list s',
    'cold start s',
    'restore/floor',
    'exact',
  ];
  const rows = results.map((result) => [
    describeSize(result.size),
    String(paneTotal(result.size)),
    String(result.runs),
    seconds(result.saveSeconds),
    invocationText(result.saveInvocations),
    seconds(result.restoreSeconds),
    invocationText(result.restoreInvocations),
    result.firstSessionSeconds === undefined ? '-' : seconds(result.firstSessionSeconds),
    seconds(result.floorBuildSeconds),
    seconds(result.floorListSeconds),
    seconds(median(result.coldStartSamples)),
    `${(result.restoreSeconds / result.floorBuildSeconds).toFixed(2)}×`,
    result.restoredExactly ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  console.log(
    '\nseconds are medians of "runs" runs; "calls" = tmux client processes the command started;\n' +
      '"first session" = from the restore\'s start until the attached client\'s session is built and switched to',
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** Prints the issue's targets with PASS/FAIL and returns whether they all passed. */
function printTargets(results: readonly SizeResult[]): boolean {
  const target = results.find((result) => describeSize(result.size) === describeSize(targetSize));
  const verdicts: boolean[] = [];
  const report = (pass: boolean, text: string): void => {
    verdicts.push(pass);
    console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${text}`);
  };
  console.log(`\ntargets at ${describeSize(targetSize)} (${paneTotal(targetSize)} panes):`);
  if (target) {
    const restoreLimit = 1.5 * target.floorBuildSeconds;
    report(
      target.restoreSeconds <= restoreLimit,
      `restore ${seconds(target.restoreSeconds)} s <= 1.5 × floor build ${seconds(target.floorBuildSeconds)} s = ${seconds(restoreLimit)} s`,
    );
    const coldStart = median(target.coldStartSamples);
    const saveLimit = target.floorListSeconds + coldStart + 0.2;
    report(
      target.saveSeconds <= saveLimit,
      `save ${seconds(target.saveSeconds)} s <= floor list ${seconds(target.floorListSeconds)} s + cold start ${seconds(coldStart)} s + 0.200 s = ${seconds(saveLimit)} s`,
    );
    report(target.restoredExactly, 'restore reproduced the saved structure exactly');
  } else {
    console.log(`  (size ${describeSize(targetSize)} was not run)`);
  }
  if (results.length > 1) {
    // A restore sends one source-file per batch of sessions (the landing session first): those
    // grow with the sessions by design; every other call must not grow at all.
    const beyondBatches = (result: SizeResult): number[] =>
      result.restoreInvocations.map((count, run) => count - (result.restoreBatches[run] ?? 0));
    for (const [name, pick] of [
      ['save', (result: SizeResult) => result.saveInvocations],
      ['restore (besides one per batch)', beyondBatches],
    ] as const) {
      const all = results.flatMap(pick);
      const constant = Math.min(...all) === Math.max(...all);
      const detail = results.map(
        (result) => `${invocationText(pick(result))} at ${describeSize(result.size)}`,
      );
      report(constant, `${name} tmux calls do not grow with the panes: ${detail.join(', ')}`);
    }
  }
  const lazy = results.find((result) => describeSize(result.size) === describeSize(lazyTargetSize));
  console.log(
    `\ntargets at ${describeSize(lazyTargetSize)} (${paneTotal(lazyTargetSize)} panes), a client attached:`,
  );
  if (lazy) {
    const first = lazy.firstSessionSeconds;
    report(
      first !== undefined && first <= 0.3,
      `first session usable ${first === undefined ? '(not reported)' : `${seconds(first)} s`} <= 0.300 s`,
    );
    const wholeLimit = 1.3 * lazy.floorBuildSeconds;
    report(
      lazy.restoreSeconds <= wholeLimit,
      `whole restore ${seconds(lazy.restoreSeconds)} s <= 1.3 × floor build ${seconds(lazy.floorBuildSeconds)} s = ${seconds(wholeLimit)} s`,
    );
  } else {
    console.log(`  (size ${describeSize(lazyTargetSize)} was not run)`);
  }
  return verdicts.every(Boolean);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.promptOnly) {
    const { runPromptLatencyBench } = await import('./prompt-latency.js');
    await runPromptLatencyBench();
    return 0;
  }
  if (!existsSync(cliPath)) {
    console.error(
      `bench: ${cliPath} is missing — run \`npm run build\` (or \`npm run bench\`, which builds first)`,
    );
    return 1;
  }
  const realTmux = await findOnPath('tmux');
  if (!realTmux) {
    console.error(
      'bench: tmux is not installed — install it (`sudo apt-get install tmux` or `brew install tmux`)',
    );
    return 3;
  }
  const server = await ThrowawayServer.create({
    // The server has a TMUX_TMPDIR of its own, so the name needs no pid to be unique.
    socketName: 'continuum-bench',
    prefix: 'continuum-bench-',
  });
  const stopOnSignal = (): void => {
    void server.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const tmuxVersion = (await runProcess(realTmux, ['-V'], server.environment)).stdout.trim();
    const bench = new Bench(server, await writeCountingWrapper(server.root), realTmux);
    const started = Date.now();
    // The first start reads the bundle from disk; the ones measured find it in the page cache.
    await bench.coldStartSeconds();
    const results: SizeResult[] = [];
    // A 1,000-pane restore and its floor take seconds each: fewer runs keep the bench near 2 minutes.
    for (const size of options.sizes)
      results.push(
        await bench.measureSize(size, paneTotal(size) > 500 ? Math.min(options.runs, 3) : options.runs),
      );

    console.log(`continuum benchmark — ${tmuxVersion}, Node ${process.version}, ${process.platform}`);
    const coldStarts = results.flatMap((result) => result.coldStartSamples);
    console.log(
      `cold start (continuum --version): ${seconds(median(coldStarts))} s (median of ${coldStarts.length})`,
    );
    printTable(results);
    let passed = printTargets(results);
    if (options.contents) {
      console.log('\nsaves with pane contents (@resurrect-capture-pane-contents on):');
      const { runContentsBench } = await import('./contents-bench.js');
      try {
        await runContentsBench();
      } catch (error) {
        console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
        passed = false;
      }
    }
    console.log('');
    const { runPromptLatencyBench } = await import('./prompt-latency.js');
    await runPromptLatencyBench();
    console.log(`\nbenchmark took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return passed ? 0 : 1;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await server.dispose();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
