import { randomBytes } from 'node:crypto';

/**
 * The markers around and between the fields of `list-* -F` / `display-message -p` records.
 * Each one is a control byte followed by a random nonce made for ONE tmux invocation.
 *
 * A fixed byte is not enough: tmux 3.3a keeps a directory (`pane_current_path`), a program
 * name, a start command, an option value and even a window name given to `new-window -n`
 * exactly as it got them, so any byte, 0x1f and 0x1e included, can appear in a field (a
 * directory named with US made every capture fail with "expected 28 fields, got 29", and the
 * daemon saved nothing while that pane existed). tmux 3.3a has no format modifier that escapes
 * control bytes (`q` escapes only shell metacharacters), so the separators are made unguessable
 * instead: the data shown by tmux existed before the nonce was drawn, and 64 random bits are not
 * reproduced by accident.
 */
export interface RecordMarkers {
  /** Begins a record, before its tag (GS + nonce). */
  readonly start: string;
  /** Between the tag and each field (US + nonce). */
  readonly field: string;
  /** Ends a record (RS + nonce); tmux adds its newline after it. */
  readonly end: string;
}

/** New markers for one tmux invocation: format with them, then parse that output with them. */
export function newRecordMarkers(): RecordMarkers {
  const nonce = randomBytes(8).toString('hex');
  return { start: `\x1d${nonce}`, field: `\x1f${nonce}`, end: `\x1e${nonce}` };
}

/** A `-F` format for one record of `fields` under `tag`; hex nonces hold no `#`, `,` or `}`. */
export function formatFor(tag: string, fields: readonly string[], markers: RecordMarkers): string {
  return `${markers.start}${tag}${fields.map((field) => `${markers.field}#{${field}}`).join('')}${markers.end}`;
}

export interface ParsedRecord {
  readonly tag: string;
  readonly values: ReadonlyMap<string, string>;
}

/**
 * Reads the records made with {@link formatFor} and the same markers out of `output`; anything
 * outside them (newlines, other commands' output in the same invocation) and records of unknown
 * tags are ignored. A record that cannot be read (the wrong number of fields, cut short) is left
 * out and reported through `warn`: one odd pane must cost that pane, never the whole capture.
 */
export function parseRecords(
  output: string,
  fieldsByTag: Readonly<Record<string, readonly string[]>>,
  markers: RecordMarkers,
  warn: (line: string) => void = () => undefined,
): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  let position = output.indexOf(markers.start);
  while (position !== -1) {
    const bodyStart = position + markers.start.length;
    const end = output.indexOf(markers.end, bodyStart);
    const nextStart = output.indexOf(markers.start, bodyStart);
    if (end === -1 || (nextStart !== -1 && nextStart < end)) {
      warn('tmux printed a record that was cut short; it was left out');
      position = nextStart;
      continue;
    }
    position = nextStart;
    const parts = output.slice(bodyStart, end).split(markers.field);
    const tag = parts[0] ?? '';
    const fields = fieldsByTag[tag];
    if (!fields) continue;
    if (parts.length !== fields.length + 1) {
      warn(
        `tmux printed a ${tag} record of ${parts.length - 1} fields where ${fields.length} were expected; it was left out`,
      );
      continue;
    }
    const values = new Map<string, string>();
    fields.forEach((field, index) => {
      values.set(field, parts[index + 1] ?? '');
    });
    records.push({ tag, values });
  }
  return records;
}
