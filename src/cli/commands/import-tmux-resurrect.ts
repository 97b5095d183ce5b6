import { basename } from 'node:path';
import { describeCounts } from '../../human-text.js';
import type { TmuxResurrectImport } from '../../import/import-tmux-resurrect.js';
import {
  importTmuxResurrectSaves,
  type TmuxResurrectImportEvent,
} from '../../import/import-tmux-resurrect-saves.js';
import { readTmuxResurrectArchive } from '../../import/tmux-resurrect-contents.js';
import { findTmuxResurrectSaves } from '../../import/tmux-resurrect-sources.js';
import { socketPathFor } from '../../mux/socket-path.js';
import { canonicalSocketPath } from '../../server/server-identity.js';
import { countPanes } from '../../snapshot/structure.js';
import type { CommandContext } from '../context.js';

/**
 * `continuum import` of tmux-resurrect saves (src/import/import-tmux-resurrect-saves.ts): each
 * becomes a save of this server with its own time; this prints what happened to each file.
 */
export async function runTmuxResurrectImport(
  context: CommandContext,
  path: string,
  options: { dryRun?: boolean },
): Promise<void> {
  const sources = await findTmuxResurrectSaves(path);
  const socketPath = canonicalSocketPath(socketPathFor(context.mux.server, context.paths.environment));
  const archive = await readTmuxResurrectArchive(sources);
  if (archive.kind === 'damaged')
    context.warn(`${archive.archive}: ${archive.problem}; the saves are imported without pane contents`);
  const store = options.dryRun ? undefined : await context.store();
  const paneContentFiles = archive.kind === 'read' ? archive.files : undefined;
  for await (const event of importTmuxResurrectSaves(path, sources, { socketPath, paneContentFiles, store }))
    printEvent(context, event, store === undefined);
}

function printEvent(context: CommandContext, event: TmuxResurrectImportEvent, dryRun: boolean): void {
  const { file } = event;
  switch (event.kind) {
    case 'unreadable': {
      const problem =
        event.reason.kind === 'not-a-regular-file'
          ? `is ${event.reason.fileKind}`
          : `cannot be read (${event.reason.code})`;
      context.warn(`${file}: ${problem}; not imported`);
      return;
    }
    case 'time-from-file':
      context.warn(
        `${file}: the name carries no save time; using the file's time, ${event.savedAt.toISOString()}`,
      );
      return;
    case 'rejected':
      for (const problem of event.problem.lineProblems)
        context.warn(`${file}:${problem.line}: ${problem.problem}; line skipped`);
      context.warn(`${file}: ${event.problem.message}; not imported`);
      return;
    case 'converted':
      for (const problem of event.converted.lineProblems)
        context.warn(`${file}:${problem.line}: ${problem.problem}; line skipped`);
      for (const warning of event.converted.warnings) context.warn(`${file}: ${warning}`);
      if (dryRun)
        context.print(
          `would import ${file} (saved ${event.converted.snapshot.savedAt}): ${summary(event.converted)}`,
        );
      return;
    case 'imported':
      context.print(
        event.outcome.result === 'unchanged'
          ? `already imported ${file} (${basename(event.outcome.path)})`
          : `imported ${file} as ${event.outcome.path}: ${summary(event.converted)}`,
      );
      return;
  }
}

/** The counts of a converted save, and how many of its panes have contents. */
function summary(converted: TmuxResurrectImport): string {
  const counts = describeCounts(countPanes(converted.snapshot));
  const withContents =
    converted.contents.size > 0 ? `, ${converted.contents.size} pane(s) with contents` : '';
  return `${counts}${withContents}`;
}
