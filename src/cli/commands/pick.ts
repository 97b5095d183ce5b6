import { ContinuumError, UsageError } from '../../errors.js';
import { plural } from '../../human-text.js';
import { serverOptions } from '../../server/server-identity.js';
import { readSnapshotFile, SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { decodeKeys } from '../picker-keys.js';
import {
  initialPickerState,
  type PickerEffect,
  type PickerEvent,
  type PickerSave,
  type PickerState,
  updatePicker,
} from '../picker-state.js';
import { pickerListHeight, renderPicker, type TerminalSize } from '../picker-view.js';
import { describeSaveRow, type SaveRowSource, saveRows } from '../save-rows.js';
import { runRestore } from './restore.js';
import { readStoreSettings } from './store-options.js';

/** This server's saves as `continuum list` shows them, newest first, with their snapshots. */
export async function loadPickerSaves(
  context: CommandContext,
): Promise<{ heading: string; saves: PickerSave[] }> {
  const directory = resolveSaveDirectory(context, (await readStoreSettings(context)).saveDirectory);
  const own = serverIdentityOf(context);
  const store = new SaveStore(directory, own);
  const server = serverOptions(own).join(' ');
  const sources: SaveRowSource[] = await Promise.all(
    (await store.listOwn()).map(async (save) => {
      const path = `${directory}/${save.fileName}`;
      const content = await readSnapshotFile(path).then(
        (snapshot) => ({ snapshot }),
        (error: Error) => ({ error: error.message }),
      );
      return { save, path, content, server, thisServer: true };
    }),
  );
  const rows = saveRows(sources, { now: context.now(), currentName: sources[0]?.save.fileName });
  const saves = rows.map((row, position) => {
    const content = sources[position]!.content;
    // The picker cuts rows to its own width; the row's own cut is only a bound.
    return {
      path: row.path,
      text: describeSaveRow(row, 500),
      snapshot: 'snapshot' in content ? content.snapshot : undefined,
    };
  });
  return { heading: `continuum: restore a save of ${server} (${plural(saves.length, 'save')})`, saves };
}

/** The escape sequences of the terminal's modes the picker changes, and how to undo each. */
const enterScreen = '\x1b[?1049h\x1b[?25l';
const leaveScreen = '\x1b[?1049l\x1b[?25h';

/**
 * `continuum pick`: the save picker on a terminal (the popup of `prefix` + `@continuum-pick`).
 * The state machine and the drawing are pure (`picker-state.ts`, `picker-view.ts`); this shell
 * only reads keys, draws, runs the restore and gives the terminal back as it found it, on every
 * way out (a key, an error, SIGTERM or SIGHUP when tmux closes the popup).
 */
export async function runPick(context: CommandContext): Promise<void> {
  const input = process.stdin;
  const output = process.stdout;
  if (!input.isTTY || !output.isTTY)
    throw new UsageError(
      '`continuum pick` needs a terminal',
      'run it in a terminal, or press prefix + C-t in tmux; `continuum list` prints the saves',
    );
  const { heading, saves } = await loadPickerSaves(context);
  const size = (): TerminalSize => ({ columns: output.columns || 80, rows: output.rows || 24 });
  let state: PickerState = initialPickerState(heading, saves, pickerListHeight(size()));
  let failure: unknown;

  let restored = false;
  const restoreTerminal = (): void => {
    if (restored) return;
    restored = true;
    input.setRawMode(false);
    input.pause();
    output.write(leaveScreen);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    restoreTerminal();
    // 128 + the signal's number, as a shell reports a process killed by it.
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal]!);
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', restoreTerminal);

  const draw = (): void => {
    const lines = renderPicker(state, size());
    // Home, each line with the rest of its row cleared, no newline after the last (no scrolling).
    output.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}\x1b[J`);
  };

  try {
    input.setRawMode(true);
    output.write(enterScreen);
    draw();
    await new Promise<void>((resolve, reject) => {
      const dispatch = (event: PickerEvent): void => {
        const update = updatePicker(state, event);
        state = update.state;
        draw();
        for (const effect of update.effects) perform(effect);
      };
      const perform = (effect: PickerEffect): void => {
        if (effect.kind === 'leave') {
          finish();
          resolve();
          return;
        }
        restoreFromPicker(context, effect.path, effect.session).then(
          ({ lines, error }) => {
            if (error !== undefined) failure = error;
            dispatch({ kind: 'restore-finished', lines, failed: error !== undefined });
          },
          (error: unknown) => {
            finish();
            reject(error);
          },
        );
      };
      const onData = (chunk: Buffer): void => {
        try {
          for (const key of decodeKeys(chunk.toString('utf8'))) dispatch({ kind: 'key', key });
        } catch (error) {
          finish();
          reject(error);
        }
      };
      const onResize = (): void => dispatch({ kind: 'resize', pageSize: pickerListHeight(size()) });
      const onEnd = (): void => {
        finish();
        resolve();
      };
      const finish = (): void => {
        input.off('data', onData);
        input.off('end', onEnd);
        output.off('resize', onResize);
      };
      input.on('data', onData);
      input.on('end', onEnd);
      output.on('resize', onResize);
      input.resume();
    });
  } finally {
    restoreTerminal();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', restoreTerminal);
  }
  // Run outside a popup, the summary stays on the terminal after the picker's screen is gone.
  if (state.mode.kind === 'finished') for (const line of state.mode.lines) context.print(line);
  if (failure !== undefined) throw failure;
}

/**
 * Restores a save in this process, as the key binding does, and returns what it printed. A
 * failure is returned (its line shown in the picker) and thrown once the terminal is back, so the
 * exit code still tells it.
 */
async function restoreFromPicker(
  context: CommandContext,
  path: string,
  session: string | undefined,
): Promise<{ lines: string[]; error?: unknown }> {
  const lines: string[] = [];
  const quiet: CommandContext = {
    ...context,
    print: (line) => lines.push(line),
    warn: (line) => lines.push(`warning: ${line}`),
  };
  try {
    // The path, not the number: a save written since the picker opened would shift the numbers.
    await runRestore(quiet, path, {
      statusLine: true,
      ...(session === undefined ? {} : { session: [session] }),
    });
    return { lines: lines.length > 0 ? lines : ['restored'] };
  } catch (error) {
    if (!(error instanceof ContinuumError)) throw error;
    lines.push(`restore FAILED: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
    return { lines, error };
  }
}
