import { randomBytes } from 'node:crypto';
import { decodeQuotedField, quotedFormat } from './quoted-field.js';

/**
 * The markers around and between the fields of `list-* -F` / `display-message -p` records.
 * Each one is a printable character followed by a random nonce made for ONE tmux invocation.
 *
 * A fixed marker is not enough: tmux keeps a directory (`pane_current_path`), a program name, a
 * start command, an option value and even a window name given to `new-window -n` exactly as it
 * got them, so any byte can appear in a field (a directory named with US once made every capture
 * fail, and the daemon saved nothing while that pane existed). The data shown by tmux existed
 * before the nonce was drawn, and 64 random bits are not reproduced by accident. The markers are
 * printable because tmux 3.4 and 3.5 print control bytes as octal escapes (src/mux/quoted-field.ts);
 * they are characters that the `q` modifier escapes, so a quoted field cannot even hold one bare.
 */
export interface RecordMarkers {
  /** Begins a record, before its tag (`<` + nonce). */
  readonly start: string;
  /** Between the tag and each field (`|` + nonce). */
  readonly field: string;
  /** Ends a record (`>` + nonce); tmux adds its newline after it. */
  readonly end: string;
  /**
   * Whether fields are asked for with the `q` modifier and decoded (tmux). psmux's `q` is its own
   * and untested here, so its fields are read as printed, as before.
   */
  readonly quoted: boolean;
}

/** How a multiplexer prints fields: see {@link RecordMarkers.quoted}. */
export interface FieldQuoting {
  readonly formatFieldsQuoted: boolean;
}

/** New markers for one tmux invocation: format with them, then parse that output with them. */
export function newRecordMarkers(dialect: FieldQuoting): RecordMarkers {
  const nonce = randomBytes(8).toString('hex');
  return { start: `<${nonce}`, field: `|${nonce}`, end: `>${nonce}`, quoted: dialect.formatFieldsQuoted };
}

/** A `-F` format for one record of `fields` under `tag`; hex nonces hold no `#`, `,` or `}`. */
export function formatFor(tag: string, fields: readonly string[], markers: RecordMarkers): string {
  const format = (field: string) => (markers.quoted ? quotedFormat(field) : `#{${field}}`);
  return `${markers.start}${tag}${fields.map((field) => `${markers.field}${format(field)}`).join('')}${markers.end}`;
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
    const unreadable = fields.find((field, index) => {
      const printed = parts[index + 1] ?? '';
      const value = markers.quoted ? decodeQuotedField(printed) : printed;
      if (value !== undefined) values.set(field, value);
      return value === undefined;
    });
    if (unreadable !== undefined) {
      warn(`tmux printed a ${tag} record whose ${unreadable} cannot be read; it was left out`);
      continue;
    }
    records.push({ tag, values });
  }
  return records;
}
