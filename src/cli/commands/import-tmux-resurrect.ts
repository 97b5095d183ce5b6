import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorCode, SnapshotReadError } from '../../errors.js';
import { NotRegularFileError, readRegularFile } from '../../files/file-kind.js';
import { describeCounts } from '../../human-text.js';
import {
  convertTmuxResurrectSave,
  TmuxResurrectImportProblem,
  tmuxResurrectSaveFilePattern,
  tmuxResurrectSaveTime,
} from '../../import/import-tmux-resurrect.js';
import { readTarGz, TarArchiveProblem } from '../../import/tar-archive.js';
import { canonicalSocketPath, socketPathFor } from '../../mux/socket-path.js';
import { countPanes } from '../../snapshot/structure.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { readStoreSettings } from './store-options.js';

const archiveName = 'pane_contents.tar.gz';

/** The tmux-resurrect saves a PATH means, oldest first, and the one the contents archive belongs to. */
export interface TmuxResurrectSources {
  readonly files: readonly string[];
  /** The save `pane_contents.tar.gz` was written with: `last`'s target, else the newest. */
  readonly contentsOwner: string | undefined;
  readonly archive: string | undefined;
}

/**
 * Whether PATH is tmux-resurrect's: a `tmux_resurrect_*.txt`, its `last` symlink, a directory
 * holding such saves, or a file whose first line starts as save.sh's lines do (a renamed save).
 */
export async function isTmuxResurrectPath(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  // A missing save of tmux-resurrect's name is reported as one, with tmux-resurrect's hint.
  if (!info) return tmuxResurrectSaveFilePattern.test(basename(path));
  if (info.isSymbolicLink()) return basename(path) === 'last' && /\.txt$/.test(await readlink(path));
  if (info.isDirectory()) {
    const names = await readdir(path).catch(() => [] as string[]);
    return names.some((name) => tmuxResurrectSaveFilePattern.test(name));
  }
  if (tmuxResurrectSaveFilePattern.test(basename(path))) return true;
  const head = (await readRegularFile(path).catch(() => Buffer.alloc(0))).subarray(0, 32).toString('utf8');
  return /^(pane|window|state|grouped_session)\t/.test(head);
}

export async function findTmuxResurrectSaves(path: string): Promise<TmuxResurrectSources> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((name) => tmuxResurrectSaveFilePattern.test(name)).sort();
    // `last` is a symlink to the newest save; it is not a save of its own.
    const last = await readlink(join(path, 'last')).catch(() => undefined);
    const owner = last !== undefined && names.includes(basename(last)) ? basename(last) : names.at(-1);
    return {
      files: names.map((name) => join(path, name)),
      contentsOwner: owner === undefined ? undefined : join(path, owner),
      archive: join(path, archiveName),
    };
  }
  const real = (await lstat(path)).isSymbolicLink() ? resolve(dirname(path), await readlink(path)) : path;
  const directory = dirname(real);
  const last = await readlink(join(directory, 'last')).catch(() => undefined);
  const newest = (await readdir(directory).catch(() => [] as string[]))
    .filter((name) => tmuxResurrectSaveFilePattern.test(name))
    .sort()
    .at(-1);
  const owner = last === undefined ? newest : basename(last);
  return {
    files: [real],
    contentsOwner: owner === undefined ? undefined : join(directory, owner),
    archive: join(directory, archiveName),
  };
}

/**
 * `continuum import` of tmux-resurrect saves: each one becomes a save of this server with its
 * own time; a malformed line is reported and skipped, a file with no usable session is reported
 * and not imported, and a save imported before is not written again. Nothing is deleted.
 */
export async function runTmuxResurrectImport(
  context: CommandContext,
  path: string,
  options: { dryRun?: boolean },
): Promise<void> {
  const sources = await findTmuxResurrectSaves(path).catch((error: unknown) => {
    const code = errorCode(error);
    if (code === undefined) throw error;
    throw new SnapshotReadError(
      path,
      code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code})`,
      {
        hint: 'pass a tmux-resurrect save or its directory (e.g. ~/.tmux/resurrect)',
        cause: error,
      },
    );
  });
  const socketPath = canonicalSocketPath(socketPathFor(context.mux.server, context.paths.environment));
  const paneContentFiles = await readArchive(context, sources);
  const store = options.dryRun
    ? undefined
    : new SaveStore(
        resolveSaveDirectory(context, (await readStoreSettings(context)).saveDirectory),
        serverIdentityOf(context),
      );
  const failed: string[] = [];
  for (const file of sources.files) {
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(file);
    } catch (error) {
      const problem =
        error instanceof NotRegularFileError
          ? `is ${error.kind}`
          : `cannot be read (${errorCode(error) ?? String(error)})`;
      context.warn(`${file}: ${problem}; not imported`);
      failed.push(file);
      continue;
    }
    let savedAt = tmuxResurrectSaveTime(basename(file));
    if (!savedAt) {
      // A renamed save: its file's time is the best record of when it was written.
      savedAt = (await stat(file)).mtime;
      context.warn(`${file}: the name carries no save time; using the file's time, ${savedAt.toISOString()}`);
    }
    let converted: ReturnType<typeof convertTmuxResurrectSave>;
    try {
      converted = convertTmuxResurrectSave(bytes, {
        savedAt,
        socketPath,
        ...(file === sources.contentsOwner && paneContentFiles ? { paneContentFiles } : {}),
      });
    } catch (error) {
      if (!(error instanceof TmuxResurrectImportProblem)) throw error;
      for (const problem of error.lineProblems)
        context.warn(`${file}:${problem.line}: ${problem.problem}; line skipped`);
      context.warn(`${file}: ${error.message}; not imported`);
      failed.push(file);
      continue;
    }
    for (const problem of converted.lineProblems)
      context.warn(`${file}:${problem.line}: ${problem.problem}; line skipped`);
    for (const warning of converted.warnings) context.warn(`${file}: ${warning}`);
    const counts = describeCounts(countPanes(converted.snapshot));
    const withContents =
      converted.contents.size > 0 ? `, ${converted.contents.size} pane(s) with contents` : '';
    if (!store) {
      context.print(`would import ${file} (saved ${converted.snapshot.savedAt}): ${counts}${withContents}`);
      continue;
    }
    const outcome = await store.importSave(
      converted.snapshot,
      converted.contents.size > 0 ? converted.contents : undefined,
    );
    context.print(
      outcome.result === 'unchanged'
        ? `already imported ${file} (${basename(outcome.path)})`
        : `imported ${file} as ${outcome.path}: ${counts}${withContents}`,
    );
  }
  if (sources.files.length === 0)
    throw new SnapshotReadError(path, 'holds no tmux_resurrect_*.txt save', {
      hint: 'pass a tmux-resurrect save or its directory (e.g. ~/.tmux/resurrect)',
    });
  if (failed.length > 0)
    throw new SnapshotReadError(
      failed.length === 1 ? failed[0]! : path,
      failed.length === 1 ? 'not imported' : `${failed.length} of ${sources.files.length} saves not imported`,
      { hint: 'the lines above say why; the other saves were imported and nothing was deleted' },
    );
}

async function readArchive(
  context: CommandContext,
  sources: TmuxResurrectSources,
): Promise<ReadonlyMap<string, Uint8Array> | undefined> {
  if (!sources.archive || !sources.contentsOwner || !sources.files.includes(sources.contentsOwner))
    return undefined;
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(sources.archive);
  } catch {
    return undefined;
  }
  try {
    return readTarGz(bytes);
  } catch (error) {
    if (!(error instanceof TarArchiveProblem)) throw error;
    context.warn(`${sources.archive}: ${error.message}; the saves are imported without pane contents`);
    return undefined;
  }
}
