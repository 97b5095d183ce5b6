import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How much of a session file is read to find its first records: they are at its start. */
const headBytes = 64 * 1024;

/** The first bytes of a file as text, or undefined when it cannot be read. */
export async function readHead(path: string, bytes: number = headBytes): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The JSON records of the complete lines at the start of a JSON Lines file (a cut last line is left out). */
export async function readFirstRecords(path: string, count: number): Promise<Record<string, unknown>[]> {
  const text = await readHead(path);
  if (text === undefined) return [];
  const lines = text.split('\n');
  // The last piece has no newline after it: it may be cut.
  lines.pop();
  const records: Record<string, unknown>[] = [];
  for (const line of lines) {
    if (records.length >= count) break;
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        records.push(value as Record<string, unknown>);
    } catch {
      // A line that is not JSON is skipped, as the agents' own readers do.
    }
  }
  return records;
}

/** The entries of a directory, or none when it does not exist or cannot be read. */
export async function listDirectory(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/** The modification time in milliseconds, or undefined when the path is gone. */
export async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** A timestamp field (ISO text or milliseconds) as milliseconds, or undefined. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The agent's configuration directory: its variable when set to an absolute path, else the default under home. */
export function configurationDirectory(
  environment: Readonly<Record<string, string>>,
  variable: string,
  home: string,
  defaultName: string,
): string {
  const value = environment[variable];
  return value?.startsWith('/') ? value : join(home, defaultName);
}

/** Standard UUIDs, as Claude Code, Codex, Gemini CLI and Copilot CLI name their sessions. */
export const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
