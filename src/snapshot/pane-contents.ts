import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { MuxClient } from '../mux/mux-client.js';
import { optionNamesOf, optionSettings, settingsFrom } from '../settings/settings.js';
import type { Snapshot } from './schema.js';
import { keepOnlyColourSequences } from './terminal-text.js';

/** The options that decide whether and how pane contents are saved. */
export const paneContentsOptionNames: readonly string[] = optionNamesOf([
  'capturePaneContents',
  'paneContentsArea',
  'paneContentsLines',
  'paneContentsExclude',
]);

export interface PaneContentsSettings {
  readonly enabled: boolean;
  /** `full`: scrollback and screen; `visible`: the screen only. */
  readonly area: 'full' | 'visible';
  /** At most this many lines per pane (the newest are kept). */
  readonly maximumLines: number;
  /** Panes whose foreground program has one of these names are not captured. */
  readonly excludedPrograms: ReadonlySet<string>;
}

export const defaultPaneContentsLines = optionSettings.paneContentsLines.defaultValue;

export function paneContentsSettingsFrom(options: ReadonlyMap<string, string>): PaneContentsSettings {
  const settings = settingsFrom(options);
  return {
    enabled: settings.capturePaneContents,
    area: settings.paneContentsArea,
    maximumLines: settings.paneContentsLines,
    excludedPrograms: new Set(settings.paneContentsExclude),
  };
}

/** Pane contents by saved pane id (`%12`): text with SGR colour sequences, lines ending in `\n`. */
export type PaneContents = ReadonlyMap<string, string>;

/**
 * One `source-file` for every pane: a marker line with the pane's position in `paneIds`, then its
 * `capture-pane -p`. -e keeps colours and attributes, -J joins lines tmux wrapped so the text
 * re-wraps to the restored pane's width. The marker holds no pane id: display-message passes its
 * format through strftime(3), which read `%3` as a conversion of width 3 (` %3`), so every pane
 * after the third lost its text; a number and a hex nonce mean the same to every multiplexer.
 */
export function paneContentsCommands(
  paneIds: readonly string[],
  settings: PaneContentsSettings,
  marker: string,
): string[][] {
  const range = settings.area === 'full' ? ['-S', `-${settings.maximumLines}`] : [];
  return paneIds.flatMap((paneId, position) => [
    ['display-message', '-p', `${marker} ${position}`],
    ['capture-pane', '-p', '-e', '-J', ...range, '-t', paneId],
  ]);
}

/** Splits the output of {@link paneContentsCommands} (for the same `paneIds`) back into one text per pane. */
export function parsePaneContents(
  output: string,
  marker: string,
  paneIds: readonly string[],
  maximumLines: number,
): Map<string, string> {
  const contents = new Map<string, string>();
  let paneId: string | undefined;
  let lines: string[] = [];
  const finish = (): void => {
    if (paneId === undefined) return;
    // The screen below the last output is blank; those rows are padding, not content.
    while (lines.length > 0 && stripSequences(lines.at(-1)!).trim() === '') lines.pop();
    const kept = lines.slice(-maximumLines).map((line) => line.replace(/ +$/, ''));
    if (kept.length > 0) contents.set(paneId, `${kept.join('\n')}\n`);
  };
  const rows = output.split('\n');
  if (rows.at(-1) === '') rows.pop();
  for (const row of rows) {
    if (row.startsWith(`${marker} `)) {
      finish();
      const position = row.slice(marker.length + 1);
      paneId = /^\d+$/.test(position) ? paneIds[Number(position)] : undefined;
      lines = [];
    } else if (paneId !== undefined) {
      // capture-pane -e writes only SGR; anything else never belongs in a save.
      lines.push(keepOnlyColourSequences(row));
    }
  }
  finish();
  return contents;
}

function stripSequences(line: string): string {
  return line.replace(/\x1b\[[0-9;:?]*[A-Za-z]/g, '');
}

/** The panes whose contents are saved: not those running an excluded program. */
export function panesToCapture(snapshot: Snapshot, settings: PaneContentsSettings): string[] {
  const ids: string[] = [];
  for (const session of snapshot.sessions) {
    for (const window of session.windows) {
      for (const pane of window.panes) {
        const program = pane.program?.argv[0];
        const names = [pane.currentCommand, program === undefined ? '' : basename(program)];
        if (names.some((name) => settings.excludedPrograms.has(name))) continue;
        ids.push(pane.id);
      }
    }
  }
  // Panes of grouped sessions appear once per session; capture each once.
  return [...new Set(ids)];
}

/**
 * Captures the text of every pane in one tmux invocation, however many panes there are. The
 * marker holds a random nonce so no text a program printed can pose as a pane boundary.
 */
export async function capturePaneContents(
  mux: MuxClient,
  snapshot: Snapshot,
  settings: PaneContentsSettings,
): Promise<{ contents: Map<string, string>; errors: readonly string[] }> {
  const paneIds = panesToCapture(snapshot, settings);
  if (!settings.enabled || paneIds.length === 0) return { contents: new Map(), errors: [] };
  const marker = `continuum-pane-${randomBytes(8).toString('hex')}`;
  const result = await mux.runScript(paneContentsCommands(paneIds, settings, marker));
  return {
    contents: parsePaneContents(result.stdout, marker, paneIds, settings.maximumLines),
    errors: result.errors,
  };
}

/**
 * For any save path (the `save` command, the daemon): the pane contents to store with the save
 * when `@resurrect-capture-pane-contents` is on (the options must have been read with
 * {@link paneContentsOptionNames}), else undefined. A pane that could not be read is reported
 * through `warn` and left out.
 */
export async function paneContentsForSave(
  mux: MuxClient,
  snapshot: Snapshot,
  options: ReadonlyMap<string, string>,
  warn: (line: string) => void,
): Promise<Map<string, string> | undefined> {
  const settings = paneContentsSettingsFrom(options);
  if (!settings.enabled) return undefined;
  const captured = await capturePaneContents(mux, snapshot, settings);
  for (const error of captured.errors) warn(`pane contents: ${error}`);
  return captured.contents;
}
