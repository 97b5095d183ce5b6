import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NotRegularFileError, readRegularFile } from '../files/file-kind.js';
import { decodePsmuxSaveBytes, PsmuxImportProblem } from './import-psmux.js';

/** psmux-resurrect names its saves `psmux_resurrect_yyyyMMdd_HHmmss.json` (save.ps1). */
export const psmuxSaveFilePattern = /^psmux_resurrect_\d{8}_\d{6}\.json$/;

export interface PsmuxSaveSource {
  /** The save file that was read. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** A file continuum could not read, with the path that failed (the save or its `last` pointer). */
export class PsmuxSourceProblem extends Error {
  readonly path: string;
  readonly field: string | undefined;
  constructor(path: string, problem: string, field?: string) {
    super(problem);
    this.name = 'PsmuxSourceProblem';
    this.path = path;
    this.field = field;
  }
}

/**
 * Finds the save a PATH means: a save file itself; psmux-resurrect's `last` file, which holds the
 * path of the newest save as text (written by `Set-Content -Encoding UTF8`: maybe a byte-order
 * mark, a CRLF after it; not a symlink); or the directory holding both, where `last` is followed
 * and, without it, the newest `psmux_resurrect_*.json` by name (names sort by time).
 */
export async function findPsmuxSave(path: string): Promise<PsmuxSaveSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new PsmuxSourceProblem(path, error.code === 'ENOENT' ? 'no such file or directory' : error.message);
  });
  if (info.isDirectory()) {
    const lastPath = join(path, 'last');
    const hasLast = await stat(lastPath).then(
      (last) => last.isFile(),
      () => false,
    );
    if (hasLast) return followLast(lastPath, path);
    const names = (await readdir(path)).filter((name) => psmuxSaveFilePattern.test(name)).sort();
    const newest = names.at(-1);
    if (!newest)
      throw new PsmuxSourceProblem(path, 'holds no psmux_resurrect_*.json save and no `last` file');
    return readSource(join(path, newest));
  }
  if (basename(path) === 'last') return followLast(path, undefined);
  return readSource(path);
}

async function followLast(lastPath: string, directory: string | undefined): Promise<PsmuxSaveSource> {
  let named: string;
  try {
    named = decodePsmuxSaveBytes(await readRegularFile(lastPath))
      .replace(/^\uFEFF/, '')
      .trim();
  } catch (error) {
    const problem = error instanceof PsmuxImportProblem ? error.message : String(error);
    throw new PsmuxSourceProblem(lastPath, `cannot read the pointer to the newest save: ${problem}`);
  }
  if (named === '' || named.includes('\n'))
    throw new PsmuxSourceProblem(lastPath, 'does not hold the path of one save');
  // The pointer holds a Windows path; read where it points, or, when the directory was moved
  // (another drive, WSL, a backup), the file of that name beside `last`.
  const candidates = [named];
  const name = named.split(/[\\/]/).pop() ?? '';
  if (psmuxSaveFilePattern.test(name)) candidates.push(join(directory ?? join(lastPath, '..'), name));
  for (const candidate of candidates) {
    const exists = await stat(candidate).then(
      (info) => info.isFile(),
      () => false,
    );
    if (exists) return readSource(candidate);
  }
  throw new PsmuxSourceProblem(lastPath, `points to ${named}, which does not exist`);
}

async function readSource(path: string): Promise<PsmuxSaveSource> {
  try {
    return { path, bytes: await readRegularFile(path) };
  } catch (error) {
    if (error instanceof NotRegularFileError)
      throw new PsmuxSourceProblem(path, `is ${error.kind}, not a save file`);
    throw new PsmuxSourceProblem(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** psmux-resurrect's default directory: `%USERPROFILE%\.psmux\resurrect` (save.ps1). */
export function psmuxResurrectDirectory(environment: NodeJS.ProcessEnv, home: string): string {
  return join(environment.USERPROFILE || home, '.psmux', 'resurrect');
}

/** Whether `directory` holds at least one psmux-resurrect save; false when it cannot be read. */
export async function holdsPsmuxSaves(directory: string): Promise<boolean> {
  try {
    return (await readdir(directory)).some((name) => psmuxSaveFilePattern.test(name));
  } catch {
    return false;
  }
}
