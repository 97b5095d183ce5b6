import type { PathEnvironment } from '../platform/paths.js';
import { type CaptureDependencies, captureServer, type ServerCapture } from '../snapshot/capture.js';
import type { SkippedSession } from '../snapshot/sessions-to-save.js';
import type { SaveStore, WriteResult } from './save-store.js';
import { captureToSave, saveOptionNames, writeCapturedSave } from './write-save.js';

export interface SaveServerDependencies extends CaptureDependencies {
  /** The capture's warnings (one odd pane) and the write's (contents, hooks); awaited for the capture's. */
  readonly warn: (line: string) => void | Promise<void>;
  /** This server's saves, given the options the capture read (--dir, @resurrect-dir, default). */
  readonly store: (options: ReadonlyMap<string, string>) => Promise<SaveStore>;
  /** Where the shell integration's pane records are read from (src/shell/pane-directory.ts). */
  readonly paths?: PathEnvironment;
}

/** What a save would write, for the caller to refuse before anything is written. */
export interface SaveCandidate {
  /** The capture as a save keeps it (left-out sessions removed), with the options read. */
  readonly capture: ServerCapture;
  readonly skipped: readonly SkippedSession[];
  readonly store: SaveStore;
}

export type SaveServerOutcome<Refusal> =
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'saved'; readonly write: WriteResult; readonly capture: ServerCapture };

/**
 * One save of the running server, the same for `continuum save` and the daemon: capture with the
 * save's options (and `extraOptions`), keep the sessions a save keeps, find the save directory,
 * and, unless `refuse` gives a reason not to, write (contents, retention, hooks). `refuse` may
 * also throw, as `continuum save` does while a restore runs.
 */
export async function saveServer<Refusal>(
  dependencies: SaveServerDependencies,
  refuse: (candidate: SaveCandidate) => Refusal | undefined | Promise<Refusal | undefined>,
  extraOptions: readonly string[] = [],
): Promise<SaveServerOutcome<Refusal>> {
  const captured = await captureServer(dependencies, [...saveOptionNames, ...extraOptions]);
  for (const line of captured.warnings) await dependencies.warn(line);
  const { capture, skipped } = captureToSave(captured, dependencies.mux.dialect);
  const store = await dependencies.store(captured.options);
  const refusal = await refuse({ capture, skipped, store });
  if (refusal !== undefined) return { kind: 'refused', refusal };
  const write = await writeCapturedSave(
    {
      mux: dependencies.mux,
      now: dependencies.now,
      warn: (line) => void dependencies.warn(line),
      ...(dependencies.paths ? { paths: dependencies.paths } : {}),
    },
    capture,
    store,
  );
  return { kind: 'saved', write, capture };
}
