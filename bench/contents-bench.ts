import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TmuxClient } from '../src/mux/mux-client.js';
import { inspectForegroundPrograms } from '../src/platform/foreground-process.js';
import { serverIdentity } from '../src/server/server-identity.js';
import { captureServer } from '../src/snapshot/capture.js';
import { capturePaneContents, paneContentsSettingsFrom } from '../src/snapshot/pane-contents.js';
import { defaultRetention } from '../src/store/retention.js';
import { SaveStore } from '../src/store/save-store.js';

/** One row of the pane contents benchmark. */
export interface ContentsBenchRow {
  readonly name: string;
  readonly milliseconds: number;
  readonly tmuxInvocations: number;
  readonly detail: string;
}

export interface ContentsBenchOptions {
  readonly sessions?: number;
  readonly windowsPerSession?: number;
  readonly panesPerWindow?: number;
  readonly scrollbackLines?: number;
  /** Where rows go; printed as a table when not given. */
  readonly report?: (row: ContentsBenchRow) => void;
}

const run = (command: string, args: readonly string[], environment: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(command, args, { env: environment, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${command} ${args.slice(0, 4).join(' ')}: ${stderr || error.message}`))
        : resolve(stdout),
    );
  });

/**
 * Saves with `@resurrect-capture-pane-contents on` on a sessions × windows × panes environment
 * (20×5×4 by default) where every pane holds `scrollbackLines` lines, on a private tmux server.
 */
export async function runContentsBench(options: ContentsBenchOptions = {}): Promise<ContentsBenchRow[]> {
  const sessions = options.sessions ?? 20;
  const windows = options.windowsPerSession ?? 5;
  const panes = options.panesPerWindow ?? 4;
  const lines = options.scrollbackLines ?? 2000;
  const report =
    options.report ??
    ((row: ContentsBenchRow) =>
      process.stdout.write(
        `${row.name.padEnd(48)} ${row.milliseconds.toFixed(0).padStart(7)} ms ${String(row.tmuxInvocations).padStart(4)} tmux call(s)  ${row.detail}\n`,
      ));
  const root = await mkdtemp(join(tmpdir(), 'continuum-contents-bench-'));
  const socketName = `continuum-contents-bench-${process.pid}-${randomBytes(3).toString('hex')}`;
  const environment: NodeJS.ProcessEnv = { ...process.env, HOME: root, TMUX_TMPDIR: root, SHELL: '/bin/sh' };
  delete environment.TMUX;
  const tmux = (...args: string[]) =>
    run('tmux', ['-L', socketName, '-f', '/dev/null', ...args], environment);
  const rows: ContentsBenchRow[] = [];
  const add = (row: ContentsBenchRow): void => {
    rows.push(row);
    report(row);
  };
  try {
    // Each pane prints its scrollback once and then is an idle shell, as after a day of work.
    const fill = `i=1; while [ $i -le ${lines} ]; do printf '\\033[3%dmline %d\\033[0m of pane scrollback, ünïcödé text\\n' $((i % 7)) $i; i=$((i+1)); done; exec /bin/sh`;
    // history-limit applies to panes created after it is set: set it first, on a placeholder session.
    await tmux('new-session', '-d', '-s', 'bench-placeholder');
    await tmux('set-option', '-g', 'history-limit', String(lines + 100));
    const script = join(root, 'build.tmux');
    const quote = (text: string) => `'${text.replaceAll("'", `'"'"'`)}'`;
    const commands: string[] = [];
    for (let s = 0; s < sessions; s += 1) {
      for (let w = 0; w < windows; w += 1) {
        commands.push(
          w === 0
            ? `new-session -d -s s${s} -x 160 -y 50 /bin/sh -c ${quote(fill)}`
            : `new-window -d -t =s${s}: /bin/sh -c ${quote(fill)}`,
        );
        for (let p = 1; p < panes; p += 1) {
          commands.push(`split-window -d -t =s${s}:${w} /bin/sh -c ${quote(fill)}`);
          commands.push(`select-layout -t =s${s}:${w} tiled`);
        }
      }
    }
    await writeFile(script, `${commands.join('\n')}\n`);
    await tmux('source-file', script);
    await tmux('kill-session', '-t', '=bench-placeholder');
    const deadline = Date.now() + 120_000;
    for (;;) {
      const sizes = (await tmux('list-panes', '-a', '-F', '#{history_size}')).trim().split('\n').map(Number);
      if (sizes.length === sessions * windows * panes && sizes.every((size) => size >= lines - 60)) break;
      if (Date.now() > deadline) throw new Error('panes did not fill their scrollback in 120 s');
      await new Promise((done) => setTimeout(done, 100));
    }

    const saves = join(root, 'saves');
    for (const area of ['full', 'visible'] as const) {
      const mux = new TmuxClient({ server: { kind: 'socket-name', name: socketName }, environment });
      const started = performance.now();
      const capture = await captureServer(
        { mux, inspectPrograms: inspectForegroundPrograms(), now: () => new Date() },
        ['@resurrect-dir'],
      );
      const settings = paneContentsSettingsFrom(
        new Map([
          ['@resurrect-capture-pane-contents', 'on'],
          ['@resurrect-pane-contents-area', area],
          ['@continuum-pane-contents-lines', String(lines)],
        ]),
      );
      const captured = await capturePaneContents(mux, capture.snapshot, settings);
      const captureDone = performance.now();
      const outcome = await new SaveStore(
        join(saves, area),
        serverIdentity(capture.snapshot.server.socketPath),
      ).write(capture.snapshot, defaultRetention, new Date(), captured.contents);
      const finished = performance.now();
      const rawBytes = [...captured.contents.values()].reduce(
        (sum, text) => sum + Buffer.byteLength(text),
        0,
      );
      const file = outcome.result === 'written' ? outcome.path.replace(/\.json$/, '.contents.json.gz') : '';
      const storedBytes = file === '' ? 0 : (await stat(file)).size;
      const label = `${sessions}x${windows}x${panes}, ${lines} lines/pane, ${area}`;
      add({
        name: `save with pane contents (${label})`,
        milliseconds: finished - started,
        tmuxInvocations: mux.invocationCount,
        detail: `capture ${(captureDone - started).toFixed(0)} ms, write ${(finished - captureDone).toFixed(0)} ms; ${captured.contents.size} panes, ${(rawBytes / 1048576).toFixed(1)} MiB text → ${(storedBytes / 1048576).toFixed(2)} MiB gzip`,
      });
    }
    return rows;
  } finally {
    await run('tmux', ['-L', socketName, '-f', '/dev/null', 'kill-server'], environment).catch(
      () => undefined,
    );
    await rm(root, { recursive: true, force: true });
  }
}
