import { formatFor, newRecordMarkers, parseRecords } from './formats.js';
import type { MuxClient } from './mux-client.js';

/**
 * Runs one command that prints a format once per item (`list-sessions -F`, `display-message -p`,
 * `split-window -P -F`) and reads the fields of each item through the one record reader, so they
 * read the same on every tmux version and in every locale (src/mux/quoted-field.ts). `command`
 * puts the format where the command takes it. An item that cannot be read is left out and
 * reported through `warn`.
 */
export async function queryFields<const Field extends string>(
  mux: MuxClient,
  command: (format: string) => readonly string[],
  fields: readonly Field[],
  warn: (line: string) => void = () => undefined,
): Promise<ReadonlyMap<Field, string>[]> {
  const markers = newRecordMarkers(mux.dialect);
  const output = await mux.run(command(formatFor('R', fields, markers)));
  return parseRecords(output, { R: fields }, markers, warn).map(
    (record) => record.values as ReadonlyMap<Field, string>,
  );
}
