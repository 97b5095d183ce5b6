import { MuxCommandError } from '../errors.js';
import type { ServerLifetime } from '../server/server-lifetime.js';
import type { MuxDialect } from './dialect.js';
import {
  formatFor,
  newRecordMarkers,
  type ParsedRecord,
  parseRecords,
  type RecordMarkers,
} from './formats.js';

/**
 * What to read from a server in one go, as fields (never as tmux formats): the client builds the
 * commands and applies its dialect's rules, so no layer above mux/ writes `display-message -p`.
 * Each part comes back as records under its tag: P per pane, C per client, one S, one O.
 */
export interface RecordQuery {
  /** Fields of every pane of every session (`list-panes -a`). */
  readonly panes?: readonly string[];
  /** Fields of every attached client (`list-clients`). */
  readonly clients?: readonly string[];
  /** Format values of the server itself: `pid`, `start_time`, `version`, or options read as formats. */
  readonly server?: readonly string[];
  /** Global option values, byte for byte; an unset option reads as the empty string. */
  readonly options?: readonly string[];
  /**
   * When the server has no session (tmux refuses `list-panes -a` with "no current target"): the
   * server fields to read instead, as an S record beside the options. Without it, that is an error.
   */
  readonly serverWithoutSessions?: readonly string[];
}

/** What the query needs of a client: its dialect and its raw doors, all private to mux/. */
export interface RecordSource {
  readonly dialect: MuxDialect;
  runCommands(commands: readonly (readonly string[])[]): Promise<string>;
  readServerFormat(format: string): Promise<string>;
  readGlobalOptions(names: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

const isNoCurrentTarget = (error: unknown): boolean =>
  error instanceof MuxCommandError && /no current target/.test(error.stderr);

/**
 * The S and O records of one `display-message -p` (or its sessionless stand-in): empty when
 * neither is asked for. Options ride along only where `display-message -p` hands them back byte
 * for byte (tmux); psmux escapes control bytes there, so its options are read apart.
 */
function serverFormat(
  server: readonly string[],
  options: readonly string[],
  markers: RecordMarkers,
): string | undefined {
  const parts = [
    ...(server.length > 0 ? [formatFor('S', server, markers)] : []),
    ...(options.length > 0 ? [formatFor('O', options, markers)] : []),
  ];
  return parts.length > 0 ? parts.join('') : undefined;
}

/**
 * Runs a {@link RecordQuery} in as few invocations as the dialect allows: on tmux every part in
 * one; on psmux the options through `show-options -gv` (its client's readGlobalOptions).
 */
export async function readRecords(
  mux: RecordSource,
  query: RecordQuery,
  warn: (line: string) => void = () => undefined,
): Promise<ParsedRecord[]> {
  const markers = newRecordMarkers(mux.dialect);
  const inline = mux.dialect.displayMessageKeepsControlBytes;
  const options = query.options ?? [];
  const inlineOptions = inline ? options : [];
  const fieldsByTag = {
    P: query.panes ?? [],
    C: query.clients ?? [],
    S: query.server ?? query.serverWithoutSessions ?? [],
    O: inlineOptions,
  };
  const lists: string[][] = [];
  if (query.panes) lists.push(['list-panes', '-a', '-F', formatFor('P', query.panes, markers)]);
  if (query.clients) lists.push(['list-clients', '-F', formatFor('C', query.clients, markers)]);
  const format = serverFormat(query.server ?? [], inlineOptions, markers);
  let output: string;
  if (lists.length === 0) output = format === undefined ? '' : await mux.readServerFormat(format);
  else
    try {
      output = await mux.runCommands(
        format === undefined ? lists : [...lists, ['display-message', '-p', format]],
      );
    } catch (error) {
      if (query.serverWithoutSessions === undefined || !isNoCurrentTarget(error)) throw error;
      // A server without sessions (`exit-empty off`, or while its config loads) holds nothing,
      // which is an answer. Not display-message -p, which needs a session before tmux 3.2.
      const commands = [
        mux.dialect.sessionlessFormatCommand(formatFor('S', query.serverWithoutSessions, markers)),
      ];
      if (inlineOptions.length > 0)
        commands.push(mux.dialect.sessionlessFormatCommand(formatFor('O', inlineOptions, markers)));
      output = await mux.runCommands(commands);
    }
  const records = parseRecords(output, fieldsByTag, markers, warn);
  if (!inline && options.length > 0) records.push({ tag: 'O', values: await mux.readGlobalOptions(options) });
  return records;
}

/** The values of the first record of `tag`, or an empty map. */
export function recordValues(records: readonly ParsedRecord[], tag: string): ReadonlyMap<string, string> {
  return records.find((record) => record.tag === tag)?.values ?? new Map<string, string>();
}

/** Tmux's options read as formats: the O record of {@link readRecords}. */
export async function readOptionsAsFormat(
  mux: RecordSource,
  names: readonly string[],
): Promise<ReadonlyMap<string, string>> {
  if (names.length === 0) return new Map();
  return recordValues(await readRecords(mux, { options: names }), 'O');
}

/** Asks the server who it is; works on a server without sessions (while its config loads, too). */
export async function readServerLifetime(mux: RecordSource): Promise<ServerLifetime> {
  const values = recordValues(await readRecords(mux, { server: ['pid', 'start_time'] }), 'S');
  return {
    pid: Number.parseInt(values.get('pid') ?? '', 10) || 0,
    startTime: Number.parseInt(values.get('start_time') ?? '', 10) || 0,
  };
}
