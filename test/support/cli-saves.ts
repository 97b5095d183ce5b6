// What the tests of list, delete, restore --session and choosing a save share: a command that
// must succeed, the saves of a test server, and saves re-dated to known times.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSaveFileName, saveFileName } from '../../src/store/save-files.js';
import { startWithConfig } from './live-server.js';
import type { ProcessResult, TestServer } from './tmux-server.js';

export function succeeded(result: ProcessResult, code = 0): string {
  assert.equal(result.code, code, `exit ${result.code}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

export async function saveFiles(server: TestServer): Promise<string[]> {
  return (await readdir(server.saveDirectory)).filter((name) => name.endsWith('.json')).sort();
}

export async function allFiles(server: TestServer): Promise<string[]> {
  return (await readdir(server.saveDirectory)).sort();
}

/** The server killed and started again with only the bootstrap session "0", as after a reboot. */
export async function restartFresh(server: TestServer, configLines: readonly string[] = []): Promise<void> {
  await server.kill();
  await startWithConfig(server, configLines);
}

export interface ListedSave {
  number: number | null;
  name: string;
  savedAt: string;
  counts: { sessions: number; windows: number; panes: number } | null;
  lifetime: { id: string; startedAt: string; pid: number };
  hasContents: boolean;
  current: boolean;
}

export async function listed(server: TestServer): Promise<ListedSave[]> {
  return (JSON.parse(succeeded(await server.cli('list', '--json'))) as { saves: ListedSave[] }).saves;
}

/** The session names `show` prints for a save, which tell the test's saves apart. */
export async function shownSessions(server: TestServer, ...args: string[]): Promise<string[]> {
  const output = succeeded(await server.cli('show', ...args));
  return [...output.matchAll(/^session "([^"]+)"/gm)].map((match) => match[1]!);
}

/**
 * A copy of a real save re-dated to `savedAt`, with its first session renamed to `label`: saves
 * of known times without waiting hours (the CLI has no fake clock).
 */
export async function redatedCopy(
  server: TestServer,
  fileName: string,
  savedAt: Date,
  label: string,
): Promise<string> {
  const original = parseSaveFileName(fileName)!;
  const [startTime, pid] = original.serverLifetime.split('-').map(Number) as [number, number];
  const copyName = saveFileName(savedAt, { startTime, pid }, 0, original.serverTag);
  const document = JSON.parse(await readFile(join(server.saveDirectory, fileName), 'utf8')) as {
    savedAt: string;
    sessions: { name: string }[];
  };
  document.savedAt = savedAt.toISOString();
  document.sessions[0]!.name = label;
  await writeFile(join(server.saveDirectory, copyName), JSON.stringify(document), { mode: 0o600 });
  return copyName;
}
