/**
 * Reading what the shell snippets write (see shell-snippets.ts for the format). Pure: bytes in,
 * typed values out. A shell rewrites its record at every prompt, so a save may read one half
 * written: whatever complete fields it holds are used, and `complete` says whether `end` was seen.
 */

export interface PaneRecord {
  readonly identity: string;
  /** The shell's `$TMUX`: socket path, server pid and session id, comma-separated. */
  readonly tmux: string;
  /** The pane's `$TMUX_PANE` (`%3`). */
  readonly tmuxPane: string;
  readonly serverPid: number | undefined;
  readonly shell: string;
  readonly shellPid: number | undefined;
  readonly historyFile: string | undefined;
  /** The command line being run; absent while the shell waits at its prompt. */
  readonly commandLine: string | undefined;
  /** Only the variables the user named (and VIRTUAL_ENV, CONDA_DEFAULT_ENV) that were set. */
  readonly environment: ReadonlyMap<string, string>;
  readonly complete: boolean;
}

const recordMagic = 'continuum-pane';
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** NUL-terminated fields; a last field without its NUL was cut off by a concurrent write and is dropped. */
export function splitNulFields(bytes: Uint8Array): string[] {
  const fields: string[] = [];
  const decoder = new TextDecoder();
  let start = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] !== 0) continue;
    fields.push(decoder.decode(bytes.subarray(start, index)));
    start = index + 1;
  }
  return fields;
}

/** `fc -ln` prints an entry as TAB, space, the text, newline. */
function fromFcLine(text: string): string {
  return text.replace(/^\t /, '').replace(/\n$/, '');
}

/** Parses a pane's state file; undefined when it is not one (empty, another format, no identity). */
export function parsePaneRecord(bytes: Uint8Array): PaneRecord | undefined {
  const fields = splitNulFields(bytes);
  if (fields[0] !== recordMagic || fields[1] !== '1') return undefined;
  const values = new Map<string, string>();
  const environment = new Map<string, string>();
  let complete = false;
  for (let index = 2; index < fields.length; index += 2) {
    const key = fields[index]!;
    if (key === 'end') {
      complete = true;
      break;
    }
    const value = fields[index + 1];
    if (value === undefined) break;
    if (key === 'environment') {
      const separator = value.indexOf('=');
      const name = value.slice(0, separator);
      if (separator > 0 && variableName.test(name)) environment.set(name, value.slice(separator + 1));
    } else {
      values.set(key, value);
    }
  }
  const identity = values.get('identity');
  if (!identity) return undefined;
  const tmux = values.get('tmux') ?? '';
  const serverPid = Number.parseInt(tmux.split(',').at(-2) ?? '', 10);
  const shellPid = Number.parseInt(values.get('shell-pid') ?? '', 10);
  const fcCommand = values.get('fc-command');
  const commandLine = fcCommand === undefined ? values.get('command') : fromFcLine(fcCommand);
  return {
    identity,
    tmux,
    tmuxPane: values.get('tmux-pane') ?? '',
    serverPid: Number.isSafeInteger(serverPid) && serverPid > 0 ? serverPid : undefined,
    shell: values.get('shell') ?? '',
    shellPid: Number.isSafeInteger(shellPid) && shellPid > 0 ? shellPid : undefined,
    historyFile: values.get('history-file'),
    commandLine: commandLine === '' ? undefined : commandLine,
    environment,
    complete,
  };
}

/** A pane's history file: its entries, oldest first, without empty ones. */
export function parsePaneHistory(bytes: Uint8Array, shell: string): string[] {
  return splitNulFields(bytes)
    .map((entry) => (shell === 'bash' ? fromFcLine(entry) : entry))
    .filter((entry) => entry !== '');
}

/** Pane identities are file names: only what the snippets themselves make. */
export function isPaneIdentity(text: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(text);
}
