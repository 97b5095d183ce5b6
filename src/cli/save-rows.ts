import { describeCounts } from '../human-text.js';
import { parseLifetimeText } from '../server/server-lifetime.js';
import type { Snapshot } from '../snapshot/schema.js';
import { countPanes } from '../snapshot/structure.js';
import type { SaveFileName } from '../store/save-files.js';
import { printable, truncateToWidth } from './printable-text.js';

/** One save as `list` (and the picker) reads it: its name, and its snapshot or why it cannot be read. */
export interface SaveRowSource {
  readonly save: SaveFileName;
  readonly path: string;
  readonly content: { readonly snapshot: Snapshot } | { readonly error: string };
  /** The server the save belongs to, as the options that reach it: `-L work`, `-S /path`. */
  readonly server: string;
  /** Whether it belongs to the server the command talks to (only those get a number). */
  readonly thisServer: boolean;
}

/** The tmux server lifetime a save came from: the server's start time and pid. */
export interface SaveLifetime {
  /** `startTime-pid`, as in the save's name. */
  readonly id: string;
  readonly startedAt: Date;
  readonly pid: number;
}

/** One line of `continuum list`, as data. */
export interface SaveRow {
  /**
   * 1 for this server's newest save, 2 for the one before…: what every command accepts as a save
   * name. Undefined for another server's save (`list --all`): numbers count one server's saves.
   */
  readonly number: number | undefined;
  readonly name: string;
  readonly path: string;
  readonly savedAt: Date;
  /** Seconds between the save and `now` (negative when the save is ahead of the clock). */
  readonly ageSeconds: number;
  /** What the save holds; undefined when it cannot be read (see `error`). */
  readonly counts:
    | { readonly sessions: number; readonly windows: number; readonly panes: number }
    | undefined;
  readonly error: string | undefined;
  readonly lifetime: SaveLifetime;
  /** The first row of its server lifetime in the list: a header line goes before it. */
  readonly startsLifetime: boolean;
  /** The save references a pane contents file (the text of its panes). */
  readonly hasContents: boolean;
  /** The coding agents in its panes, by name, with the sessions each can resume (src/agents/). */
  readonly agents: readonly AgentCount[];
  /** The save `continuum restore` with no name would use. */
  readonly current: boolean;
  readonly server: string;
  readonly thisServer: boolean;
}

/**
 * The rows of `continuum list` for saves given newest first. Pure: the caller reads the files,
 * gives the time and the name of the save `restore` would use.
 */
export function saveRows(
  sources: readonly SaveRowSource[],
  options: { readonly now: Date; readonly currentName: string | undefined },
): SaveRow[] {
  let ownCount = 0;
  let previousGroup: string | undefined;
  return sources.map((source) => {
    const { save } = source;
    // Saves of one server interleave with others' in `list --all`: a group is one server's lifetime.
    const group = `${source.server}\0${save.serverLifetime}`;
    const startsLifetime = group !== previousGroup;
    previousGroup = group;
    const readable = 'snapshot' in source.content ? source.content.snapshot : undefined;
    return {
      number: source.thisServer ? ++ownCount : undefined,
      name: save.fileName,
      path: source.path,
      savedAt: save.savedAt,
      ageSeconds: Math.floor((options.now.getTime() - save.savedAt.getTime()) / 1000),
      counts: readable ? countPanes(readable) : undefined,
      error: 'error' in source.content ? source.content.error : undefined,
      lifetime: parseLifetime(save.serverLifetime),
      startsLifetime,
      hasContents: readable?.paneContents !== undefined,
      agents: readable ? countAgents(readable) : [],
      current: source.thisServer && save.fileName === options.currentName,
      server: source.server,
      thisServer: source.thisServer,
    };
  });
}

/** How many panes of a save run one coding agent, and how many of them know their session. */
export interface AgentCount {
  readonly name: string;
  readonly panes: number;
  readonly resumable: number;
}

function countAgents(snapshot: Snapshot): AgentCount[] {
  const counts = new Map<string, { panes: number; resumable: number }>();
  for (const session of snapshot.sessions)
    for (const window of session.windows)
      for (const pane of window.panes) {
        if (!pane.agent) continue;
        const count = counts.get(pane.agent.name) ?? { panes: 0, resumable: 0 };
        count.panes += 1;
        if (pane.agent.session) count.resumable += 1;
        counts.set(pane.agent.name, count);
      }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, count]) => ({ name, ...count }));
}

/** `claude×2`, or `claude×2 (1 unknown)` when some of its panes' sessions could not be told. */
function describeAgentCount(count: AgentCount): string {
  const times = count.panes > 1 ? `×${count.panes}` : '';
  const unknown = count.panes - count.resumable;
  return `${printable(count.name)}${times}${unknown > 0 ? ` (${unknown} unknown)` : ''}`;
}

function parseLifetime(id: string): SaveLifetime {
  const { startTime, pid } = parseLifetimeText(id);
  return { id, startedAt: new Date(startTime * 1000), pid };
}

/** The width of the "when" column: the longest `Mon 24 Nov 14:30, 10 d ago` of recent saves. */
const whenWidth = 26;
const contentsMark = 'contents';

/**
 * One line for a save, at most `width` columns (80 by default):
 * `* 1  14:30, 2 h ago   3 sessions, 6 windows, 14 panes  contents`. `*` marks the save
 * `restore` uses, `contents` a save that holds its panes' contents. Another server's save (no number) names
 * its server instead. Text from the file (an error) is escaped.
 */
export function describeSaveRow(row: SaveRow, width = 80): string {
  const reference = madeAt(row);
  const mark = row.current ? '*' : ' ';
  const number = row.number === undefined ? '  -' : String(row.number).padStart(3);
  const when = describeWhen(row.savedAt, reference).padEnd(whenWidth);
  const what = row.counts ? describeCounts(row.counts) : `unreadable: ${printable(row.error ?? '')}`;
  const extras = [
    row.hasContents ? contentsMark : '',
    row.agents.map(describeAgentCount).join(' '),
    row.thisServer ? '' : `[${printable(row.server)}]`,
  ]
    .filter(Boolean)
    .join(' ');
  const line = `${mark}${number}  ${when}  ${what}${extras ? `  ${extras}` : ''}`;
  return truncateToWidth(line, width);
}

/**
 * The line above the first save of a server lifetime:
 * `— server started Tue 24 Nov 09:12 (pid 4242) —`, with the server's options in `list --all`.
 */
export function describeLifetime(row: SaveRow, width = 80): string {
  const server = row.thisServer ? 'server' : `server ${printable(row.server)}`;
  const started = describeDate(row.lifetime.startedAt, madeAt(row));
  return truncateToWidth(`— ${server} started ${started} (pid ${row.lifetime.pid}) —`, width);
}

/** Every row with the header line of each server lifetime before its first save. */
export function describeSaveRows(rows: readonly SaveRow[], width = 80): string[] {
  return rows.flatMap((row) => [
    ...(row.startsLifetime ? [describeLifetime(row, width)] : []),
    describeSaveRow(row, width),
  ]);
}

/** The row keeps its age, not `now`: the moment it was made is the save's time plus that age. */
function madeAt(row: SaveRow): Date {
  return new Date(row.savedAt.getTime() + row.ageSeconds * 1000);
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number): string => String(value).padStart(2, '0');

/** `14:30, 2 h ago` today, `Mon 24 Nov 14:30, 1 d ago` on another day (local time). */
export function describeWhen(time: Date, now: Date): string {
  return `${describeDate(time, now)}, ${describeAge((now.getTime() - time.getTime()) / 1000)}`;
}

/** `14:30` on the day of `now`, `Mon 24 Nov 14:30` on another day of its year, else with the year. */
function describeDate(time: Date, now: Date): string {
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}`;
  const sameYear = time.getFullYear() === now.getFullYear();
  if (sameYear && time.getMonth() === now.getMonth() && time.getDate() === now.getDate()) return clock;
  const day = `${weekdays[time.getDay()]} ${time.getDate()} ${months[time.getMonth()]}`;
  return `${day}${sameYear ? '' : ` ${time.getFullYear()}`} ${clock}`;
}

/** `12 s ago`, `5 min ago`, `2 h ago`, `3 d ago`; `in the future` for a clock that went back. */
export function describeAge(seconds: number): string {
  if (seconds < -60) return 'in the future';
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 60) return `${whole} s ago`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ago`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)} h ago`;
  return `${Math.floor(whole / 86_400)} d ago`;
}

/** A row as `list --json` prints it: the same fields, times as ISO text. */
export function saveRowJson(row: SaveRow): Record<string, unknown> {
  return {
    number: row.number ?? null,
    name: row.name,
    path: row.path,
    savedAt: row.savedAt.toISOString(),
    ageSeconds: row.ageSeconds,
    counts: row.counts ?? null,
    ...(row.error === undefined ? {} : { error: row.error }),
    lifetime: { id: row.lifetime.id, startedAt: row.lifetime.startedAt.toISOString(), pid: row.lifetime.pid },
    hasContents: row.hasContents,
    agents: row.agents,
    current: row.current,
    server: row.server,
    thisServer: row.thisServer,
  };
}
