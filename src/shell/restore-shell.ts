import { join } from 'node:path';
import { ensurePrivateDirectory, writeFileAtomically } from '../files/atomic-write.js';
import type { PaneSnapshot } from '../snapshot/schema.js';
import { isPaneIdentity } from './pane-records.js';

/** Always brought back when saved: they name the active Python environment. */
const alwaysRestoredNames = ['VIRTUAL_ENV', 'CONDA_DEFAULT_ENV'];

export interface RestoreFile {
  readonly path: string;
  readonly content: Buffer;
}

/** What a restore gives one created pane so that its shell takes up where the saved one left off. */
export interface PaneShellRestore {
  /**
   * The pane's environment at creation (`new-session`/`new-window`/`split-window -e NAME=VALUE`):
   * its saved identity, and the restore file its shell reads at the first prompt.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Written (0600, atomically) before the pane is created; the shell deletes them once read. */
  readonly files: readonly RestoreFile[];
}

export interface PaneShellRestoreOptions {
  /** paneRecordsDirectory(): where the pane's shell will look. */
  readonly directory: string;
  /** The pane's own history from the save's histories file, oldest first. */
  readonly history: readonly string[] | undefined;
  /**
   * The names in @continuum-environment now: a save holds what was named then, but a variable the
   * user no longer names (or a hand-edited save) is not set again.
   */
  readonly namedVariables: readonly string[];
  /**
   * When the save was taken (`savedAt`): the time fish's history entries carry. fish skips, when
   * it loads a session, the entries stamped at or after the moment it started.
   */
  readonly savedAt?: string;
}

/**
 * Pure: the environment and files for one pane of a save, or undefined when its shell recorded
 * nothing (no integration, or an identity that is no file name).
 */
export function planPaneShellRestore(
  pane: PaneSnapshot,
  options: PaneShellRestoreOptions,
): PaneShellRestore | undefined {
  const identity = pane.shell?.identity;
  if (!pane.shell || !identity || !isPaneIdentity(identity)) return undefined;
  const allowed = new Set([...alwaysRestoredNames, ...options.namedVariables]);
  const fields: string[] = ['continuum-restore', '1'];
  const files: RestoreFile[] = [];
  const history = options.history ?? [];
  const historyContent =
    history.length > 0
      ? encodeHistoryFor(pane.shell.name ?? '', history, fishTimestamp(options.savedAt))
      : undefined;
  if (historyContent) {
    const historyPath = join(options.directory, `${identity}.restore-history`);
    files.push({ path: historyPath, content: historyContent });
    // The format is that shell's: a pane that now runs another shell leaves it out (snippets).
    fields.push('history-shell', pane.shell.name ?? '', 'history-file', historyPath);
  }
  for (const [name, value] of Object.entries(pane.shell.environment ?? {})) {
    // NUL ends a field: a value holding one cannot be a C string in an environment anyway.
    if (allowed.has(name) && !value.includes('\0') && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      fields.push('environment', name, value);
  }
  const restorePath = join(options.directory, `${identity}.restore`);
  files.unshift({ path: restorePath, content: encodeNulFields(fields) });
  return {
    environment: {
      CONTINUUM_PANE_ID: identity,
      // Empty: the shell that reads it is the pane's own (see the snippets' identity check).
      CONTINUUM_PANE_OWNER: '',
      CONTINUUM_RESTORE_FILE: restorePath,
    },
    files,
  };
}

export function encodeNulFields(fields: readonly string[]): Buffer {
  return Buffer.from(fields.map((field) => `${field}\0`).join(''), 'utf8');
}

/**
 * One second before the save: fish leaves out of a session the entries stamped at or after the
 * second it started, and a restore can start a pane within the second of the save.
 */
function fishTimestamp(savedAt: string | undefined): number {
  const seconds = Math.floor(new Date(savedAt ?? '').getTime() / 1000);
  return Number.isSafeInteger(seconds) && seconds > 1 ? seconds - 1 : 1;
}

/**
 * The history in the format the shell's own loader reads: `history -r` (bash: one line per
 * entry), `fc -R` (zsh: its metafied history format, continuation lines ending in a backslash),
 * NUL-separated entries for pwsh's AddToHistory loop, and fish's own history file (fish 3 cannot
 * add entries to a running session, so the snippet starts the pane on a session of this file).
 */
export function encodeHistoryFor(
  shell: string,
  entries: readonly string[],
  fishWhen = 1,
): Buffer | undefined {
  const usable = entries.filter((entry) => entry !== '' && !entry.includes('\0'));
  if (usable.length === 0) return undefined;
  switch (shell) {
    case 'bash':
      return Buffer.from(usable.map((entry) => `${entry}\n`).join(''), 'utf8');
    case 'zsh':
      return metafy(Buffer.from(usable.map((entry) => `${entry.replace(/\n/g, '\\\n')}\n`).join(''), 'utf8'));
    case 'pwsh':
      return encodeNulFields(usable);
    case 'fish':
      return Buffer.from(usable.map((entry) => fishHistoryItem(entry, fishWhen)).join(''), 'utf8');
    default:
      return undefined;
  }
}

/**
 * fish's history file (fish 2.0 "yaml", history_file.cpp): `- cmd: ` and the line with each
 * backslash doubled and each newline written as backslash-n, then `  when: SECONDS`.
 */
export function fishHistoryItem(entry: string, when: number): string {
  return `- cmd: ${entry.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}\n  when: ${when}\n`;
}

/**
 * zsh keeps bytes 0x83 (Meta) to 0xA2 in its history file as Meta followed by the byte XOR 0x20
 * (zsh's `metafy`); UTF-8 continuation bytes fall in that range, so unescaped UTF-8 would come
 * back garbled.
 */
function metafy(bytes: Buffer): Buffer {
  const output: number[] = [];
  for (const byte of bytes) {
    if (byte >= 0x83 && byte <= 0xa2) output.push(0x83, byte ^ 0x20);
    else output.push(byte);
  }
  return Buffer.from(output);
}

/** Writes a pane's restore files before the pane exists: 0600 in the 0700 pane directory. */
export async function writePaneShellRestoreFiles(
  directory: string,
  restore: PaneShellRestore,
): Promise<void> {
  await ensurePrivateDirectory(directory);
  for (const file of restore.files) await writeFileAtomically(file.path, file.content);
}
