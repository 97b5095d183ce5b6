import { literalForFormat } from '../src/mux/script.js';
import type { Snapshot } from '../src/snapshot/schema.js';

/** An environment of `sessions` sessions, each with `windows` windows of `panes` panes. */
export interface BenchSize {
  readonly sessions: number;
  readonly windows: number;
  readonly panes: number;
}

export const describeSize = (size: BenchSize): string => `${size.sessions}×${size.windows}×${size.panes}`;
export const paneTotal = (size: BenchSize): number => size.sessions * size.windows * size.panes;

/** Layouts cycled through the windows so the saved layouts are not all alike. */
const layoutNames = ['tiled', 'even-horizontal', 'main-vertical', 'even-vertical', 'main-horizontal'];

/**
 * tmux commands that build the benchmark environment inside a server started with one bootstrap
 * session named "0" (which they remove at the end). Working directories cycle through
 * `directories`, which should hold spaces, as real ones do.
 */
export function environmentCommands(size: BenchSize, directories: readonly string[]): string[][] {
  const commands: string[][] = [];
  let paneNumber = 0;
  const nextDirectory = (): string => literalForFormat(directories[paneNumber++ % directories.length]!);
  for (let session = 0; session < size.sessions; session += 1) {
    const name = `s${session}`;
    for (let window = 0; window < size.windows; window += 1) {
      const target = `=${name}:${window}`;
      commands.push(
        window === 0
          ? [
              'new-session',
              '-d',
              '-s',
              name,
              '-n',
              `w${window}`,
              '-x',
              '200',
              '-y',
              '50',
              '-c',
              nextDirectory(),
            ]
          : ['new-window', '-d', '-t', target, '-n', `w${window}`, '-c', nextDirectory()],
      );
      for (let pane = 1; pane < size.panes; pane += 1) {
        // Re-tile after each split so a window of many panes never runs out of room.
        commands.push(['split-window', '-d', '-t', `${target}.0`, '-c', nextDirectory()]);
        commands.push(['select-layout', '-t', target, 'tiled']);
      }
      commands.push(['select-layout', '-t', target, layoutNames[(session + window) % layoutNames.length]!]);
    }
  }
  commands.push(['kill-session', '-t', '=0']);
  return commands;
}

/**
 * The least tmux itself must do to rebuild what `snapshot` holds: each session, window and pane
 * with its name and directory, then the saved layout. Run as one `source-file`, it is the floor a
 * restore is measured against. Splitting the first pane halves it each time, which leaves room for
 * the few panes per window the benchmark uses.
 */
export function floorBuildCommands(snapshot: Snapshot): string[][] {
  const commands: string[][] = [];
  for (const session of snapshot.sessions) {
    const windows = [...session.windows].sort((a, b) => a.index - b.index);
    windows.forEach((window, position) => {
      const panes = [...window.panes].sort((a, b) => a.index - b.index);
      const target = `=${session.name}:${window.index}`;
      const name = literalForFormat(window.name);
      const firstDirectory = literalForFormat(panes[0]!.cwd);
      commands.push(
        position === 0
          ? [
              'new-session',
              '-d',
              '-s',
              literalForFormat(session.name),
              '-n',
              name,
              '-x',
              String(window.width),
              '-y',
              String(window.height),
              '-c',
              firstDirectory,
            ]
          : ['new-window', '-d', '-t', target, '-n', name, '-c', firstDirectory],
      );
      for (const pane of panes.slice(1))
        commands.push([
          'split-window',
          '-d',
          '-t',
          `${target}.${window.paneBaseIndex}`,
          '-c',
          literalForFormat(pane.cwd),
        ]);
      commands.push(['select-layout', '-t', target, window.layout]);
    });
  }
  return commands;
}
