/**
 * One-line-per-object output of `list-* -F`. Fields are separated by US (0x1f) and each record
 * ends with RS (0x1e) before the newline: tmux stores session and window names with control
 * characters escaped, so neither byte can occur in them, and a title or path holding a tab or a
 * newline cannot shift the columns (the bug that broke tmux-resurrect's tab-separated format).
 */
const fieldSeparator = '\x1f';
const recordTerminator = '\x1e\n';

export function formatFor(tag: string, fields: readonly string[]): string {
  return `${tag}${fieldSeparator}${fields.map((field) => `#{${field}}`).join(fieldSeparator)}\x1e`;
}

export interface ParsedRecord {
  readonly tag: string;
  readonly values: ReadonlyMap<string, string>;
}

export class FormatParseError extends Error {}

/** Splits output made with {@link formatFor}; records of unknown tags are ignored. */
export function parseRecords(
  output: string,
  fieldsByTag: Readonly<Record<string, readonly string[]>>,
): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  for (const chunk of output.split(recordTerminator)) {
    const text = chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    if (text.trim() === '') continue;
    const parts = text.split(fieldSeparator);
    const tag = parts[0] ?? '';
    const fields = fieldsByTag[tag];
    if (!fields) continue;
    if (parts.length !== fields.length + 1) {
      throw new FormatParseError(
        `expected ${fields.length} fields in a ${tag} record, got ${parts.length - 1}`,
      );
    }
    const values = new Map<string, string>();
    fields.forEach((field, index) => {
      values.set(field, parts[index + 1] ?? '');
    });
    records.push({ tag, values });
  }
  return records;
}
