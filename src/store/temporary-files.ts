import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCode } from '../errors.js';
import { temporaryFilePattern } from '../files/atomic-write.js';
import { scriptDirectoryPrefix } from '../mux/mux-client.js';
import { parseSaveFileName } from './save-files.js';

/**
 * A write takes milliseconds; a temporary file this old belongs to a writer that died, even when
 * its pid has since been given to another process.
 */
export const staleAfterMilliseconds = 5 * 60 * 1000;

/** The directory `TmuxClient.runScript` makes for each `source-file` script; the pid is its maker's. */
const scriptDirectoryPattern = new RegExp(`^${scriptDirectoryPrefix}(\\d+)-[A-Za-z0-9]{6}$`);
/** Before the pid was in the name: `mkdtemp('continuum-')`, holding only `restore.tmux`. */
const legacyScriptDirectoryPattern = /^continuum-[A-Za-z0-9]{6}$/;
const scriptFileName = 'restore.tmux';

/** write-file-atomic's temporary names (continuum up to 0.1.0): the target's name, `.`, a decimal hash. */
const legacyTemporarySuffix = /^(.+)\.\d{1,10}$/;
/** Files written just before their save: pane contents and pane histories. */
const siblingSuffixes = ['.contents.json.gz', '.histories.json.gz'];

export interface TemporaryCleanupOptions {
  /** Where runScript's directories are made; default os.tmpdir(). */
  readonly temporaryDirectory?: string;
  readonly now?: () => number;
  readonly isProcessAlive?: (pid: number) => boolean;
}

/**
 * Removes what killed writers left behind: our temporary files in the save directory (and those
 * of the write-file-atomic versions), pane contents files whose save was never written, and
 * `source-file` script directories. Only names of exactly those patterns, only regular files (and
 * script directories) owned by this user, and only when their writer is dead or the file is older
 * than a few minutes. tmux-resurrect's files and `last` itself never match. Best effort: a file
 * that cannot be removed stays, and the save goes on. Returns the paths removed.
 */
export async function removeStaleTemporaryFiles(
  saveDirectory: string,
  options: TemporaryCleanupOptions = {},
): Promise<string[]> {
  const context: CleanupContext = {
    now: options.now?.() ?? Date.now(),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    user: process.getuid?.(),
  };
  const removed: string[] = [];
  const names = await readdir(saveDirectory).catch(() => [] as string[]);
  const present = new Set(names);
  for (const name of names) {
    const stale = await staleLeftover(saveDirectory, name, present, context);
    if (stale && (await removeOwnFile(join(saveDirectory, name), context)))
      removed.push(join(saveDirectory, name));
  }
  const temporaryDirectory = options.temporaryDirectory ?? tmpdir();
  const scriptDirectories = await readdir(temporaryDirectory).catch(() => [] as string[]);
  for (const name of scriptDirectories) {
    const path = join(temporaryDirectory, name);
    if (await removeStaleScriptDirectory(path, name, context)) removed.push(path);
  }
  return removed;
}

interface CleanupContext {
  readonly now: number;
  readonly isProcessAlive: (pid: number) => boolean;
  readonly user: number | undefined;
}

async function staleLeftover(
  directory: string,
  name: string,
  present: ReadonlySet<string>,
  context: CleanupContext,
): Promise<boolean> {
  const ours = name.match(temporaryFilePattern);
  if (ours) return writerGone(Number(ours[1]), join(directory, name), context);
  const legacy = name.match(legacyTemporarySuffix);
  // The suffix is a hash, not a pid: only the age tells a dead writer from an old version still running.
  if (legacy && isSaveDirectoryFileName(legacy[1]!)) return isOld(join(directory, name), context);
  const saveName = siblingSaveName(name);
  // Contents and histories are written before their save: one without its save is either being
  // written now or was left by a writer killed in between.
  if (saveName && !present.has(saveName)) return isOld(join(directory, name), context);
  return false;
}

function isSaveDirectoryFileName(name: string): boolean {
  if (name === 'last') return true;
  if (parseSaveFileName(name)) return true;
  return siblingSaveName(name) !== undefined;
}

/** The save a pane contents or histories file belongs to, by name. */
function siblingSaveName(name: string): string | undefined {
  const suffix = siblingSuffixes.find((candidate) => name.endsWith(candidate));
  if (!suffix) return undefined;
  const saveName = `${name.slice(0, -suffix.length)}.json`;
  return parseSaveFileName(saveName) ? saveName : undefined;
}

async function writerGone(pid: number, path: string, context: CleanupContext): Promise<boolean> {
  if (pid > 0 && !context.isProcessAlive(pid)) return true;
  return isOld(path, context);
}

async function isOld(path: string, context: CleanupContext): Promise<boolean> {
  try {
    return context.now - (await lstat(path)).mtimeMs > staleAfterMilliseconds;
  } catch {
    return false;
  }
}

/** Unlinks `path` only when it is a regular file of this user (never a link, never someone else's). */
async function removeOwnFile(path: string, context: CleanupContext): Promise<boolean> {
  try {
    const info = await lstat(path);
    if (!info.isFile() || (context.user !== undefined && info.uid !== context.user)) return false;
    await unlink(path);
    return true;
  } catch {
    return false;
  }
}

async function removeStaleScriptDirectory(
  path: string,
  name: string,
  context: CleanupContext,
): Promise<boolean> {
  const current = name.match(scriptDirectoryPattern);
  if (!current && !legacyScriptDirectoryPattern.test(name)) return false;
  try {
    const info = await lstat(path);
    if (!info.isDirectory() || (context.user !== undefined && info.uid !== context.user)) return false;
    const stale = current ? await writerGone(Number(current[1]), path, context) : await isOld(path, context);
    if (!stale) return false;
    // Only a directory holding nothing but the script is ours: an old mkdtemp name alone could be
    // anyone's. A current one may be empty (its maker died before writing the script).
    const entries = await readdir(path);
    if (entries.some((entry) => entry !== scriptFileName)) return false;
    if (!current && entries.length === 0) return false;
    if (entries.length === 1 && !(await removeOwnFile(join(path, scriptFileName), context))) return false;
    await rmdir(path);
    return true;
  } catch {
    // Gone meanwhile, or not ours to remove: either way it stays as it is.
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is another user's. Only "no such process" means dead.
    return errorCode(error) !== 'ESRCH';
  }
}
