import type { NoSaveError } from '../../errors.js';
import { type HookPoint, runHookFromOptions } from '../../hooks/run-hook.js';
import { acquireLease, leaseKey, leaseOptionsFor } from '../../platform/lease.js';
import { type PaneRunsJobs, paneRunsJobs } from '../../platform/pane-jobs.js';
import type { PathEnvironment } from '../../platform/paths.js';
import type { ServerIdentity } from '../../server/server-identity.js';
import { type CaptureDependencies, captureServer, type ServerCapture } from '../../snapshot/capture.js';
import type { SaveStore } from '../../store/save-store.js';
import { applyPlan } from '../apply.js';
import { restoringMarkerValue } from '../restoring-marker.js';

/** The restore's hold on its server: while it is held, no other restore runs into that server. */
export interface RestoreLease {
  release(): Promise<void>;
}

/**
 * What the workflow takes from the process and the machine: the clock, the lease, the hooks, this
 * process's identity, the capture and the sending of actions. The CLI wires
 * {@link defaultRestoreCollaborators}; a unit test gives its own and so drives the workflow
 * without a server or a process table.
 */
export interface RestoreCollaborators {
  /** Milliseconds since the epoch: the restore's timings. */
  readonly clock: () => number;
  /** Waits for the server's restore lease; undefined when another restore still holds it. */
  readonly acquireLease: (
    identity: ServerIdentity,
    paths: PathEnvironment,
  ) => Promise<RestoreLease | undefined>;
  /** Runs the hook a `@resurrect-hook-*` option names; a failing hook is a warning. */
  readonly runHook: (
    point: HookPoint,
    options: ReadonlyMap<string, string>,
    details: { readonly savePath: string; readonly warn: (line: string) => void },
  ) => Promise<unknown>;
  /** This process's id: it names the sessions the plan parks or builds under temporary names. */
  readonly processId: number;
  /** The `@continuum-restoring` value that names this process (restoring-marker.ts). */
  readonly restoringMarkerValue: () => Promise<string>;
  /** Whether a pane's shell runs a job, from the process table. */
  readonly paneRunsJobs: PaneRunsJobs;
  readonly captureServer: (
    dependencies: CaptureDependencies,
    optionNames: readonly string[],
  ) => Promise<ServerCapture>;
  /** Sends actions to the server in one script (apply.ts) and returns tmux's failures. */
  readonly applyActions: typeof applyPlan;
}

/** Everything the workflow needs from outside: the CLI, the key binding and auto-restore give it. */
export interface RestoreDependencies extends CaptureDependencies, RestoreCollaborators {
  readonly paths: PathEnvironment;
  readonly directoryExists: (path: string) => boolean;
  /** The options read with the capture that decide the save directory (`@resurrect-dir` and more). */
  readonly storeOptionNames: readonly string[];
  /** This server's saves, given the live server's options (the command context's `store`). */
  readonly store: (options: ReadonlyMap<string, string>) => Promise<SaveStore>;
  readonly serverIdentity: ServerIdentity;
  /**
   * When this server has no save at all: the error to throw instead (one that says how to import
   * the old plugins' saves, when there are some).
   */
  readonly noSaveError?: (
    error: NoSaveError,
    directory: string,
    options: ReadonlyMap<string, string>,
  ) => Promise<Error>;
}

/** How long a restore waits for another one into the same server to finish. */
const leaseTimeoutMilliseconds = 30_000;

/** The real clock, lease, hooks, process and server. */
export function defaultRestoreCollaborators(): RestoreCollaborators {
  return {
    clock: Date.now,
    // Two restores at once (a hook firing twice, a key pressed twice) would both see the same
    // missing windows and both create them; one restore per server at a time makes the second a
    // no-op. Keyed by the server's identity: a socket for tmux, the namespace for psmux (one server
    // per session there, so a socket path would name nothing).
    acquireLease: (identity, paths) =>
      acquireLease(leaseKey('restore', identity.tag), {
        ...leaseOptionsFor(paths, identity.tag),
        timeoutMilliseconds: leaseTimeoutMilliseconds,
      }),
    runHook: runHookFromOptions,
    processId: process.pid,
    restoringMarkerValue,
    paneRunsJobs: paneRunsJobs(),
    captureServer,
    applyActions: applyPlan,
  };
}
