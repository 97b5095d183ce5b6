import type { LiveClient } from '../../snapshot/capture.js';
import type { PaneSnapshot, Snapshot } from '../../snapshot/schema.js';
import type { PaneAddress, PaneLaunch, RestoreAction } from '../actions.js';

/** The server as it is before the restore. */
export interface LiveState {
  readonly snapshot: Snapshot;
  readonly clients: readonly LiveClient[];
  /** What shows whether the server's lone session is untouched; without it, it is never replaced. */
  readonly firstSession?: FirstSessionFacts;
  /**
   * The global `base-index` and `pane-base-index`: what a new session and a new window get. A
   * live session's own value may be session- or window-local; when absent, the first session's.
   */
  readonly globalIndexes?: { readonly baseIndex: number; readonly paneBaseIndex: number };
}

/** About the only pane of the server's only session (see {@link findBootstrapSession}). */
export interface FirstSessionFacts {
  /** Seconds since the server started (`start_time`). */
  readonly serverAge: number;
  /** Seconds since the session was created (`session_created`). */
  readonly sessionAge: number;
  /**
   * The session is the first the server made (`$0`): tmux numbers sessions per server from 0, so a
   * session restored or made later, however idle, is never taken for the server's own.
   */
  readonly firstOfServer: boolean;
  /** The lines scrolled off the screen (`capture-pane -S -` above the screen). */
  readonly scrollback: readonly string[];
  /** The screen's rows above the cursor's. */
  readonly screenAbove: readonly string[];
  /** The cursor's row up to the cursor: the prompt (and anything typed after it). */
  readonly prompt: string;
  /** The shell has a child in a process group of its own (a job), or that could not be checked. */
  readonly runsJobs: boolean;
}

/** A saved window restored at another index, because a different window holds its saved one. */
export interface PlacedWindow {
  readonly session: string;
  readonly windowName: string;
  readonly savedIndex: number;
  readonly index: number;
}

/** A live session renamed out of the way so that the saved session of its name comes back exactly. */
export interface MovedSession {
  readonly from: string;
  readonly to: string;
}

/**
 * `@resurrect-overwrite on`: a live session of a saved name, renamed aside so that the saved one
 * is built under its name. Removed once that exists, unless `kept` says why not.
 */
export interface OverwrittenSession {
  readonly name: string;
  readonly parkedAs: string;
  /** Left running under `parkedAs`: a client is attached to it, or the restore runs in it. */
  readonly kept: 'attached' | 'own' | undefined;
}

/** The fresh server's own session, killed only once the restored sessions are known to exist. */
export interface BootstrapRemoval {
  /** Its name (or id) when the restore is done. */
  readonly session: string;
  /** Sessions that must exist before it is killed (names as tmux lists them). */
  readonly requiredSessions: readonly string[];
}

export interface PlanEnvironment {
  readonly directoryExists: (path: string) => boolean;
  readonly home: string;
  /** Name to park a fresh server's own session under while the restored ones are created. */
  readonly bootstrapParkingName: string;
  /** Prefix of the temporary names under which sessions whose names tmux cannot target are built. */
  readonly temporarySessionPrefix?: string;
  /** How a created pane starts instead of with the default shell (to show its saved contents). */
  readonly paneLaunch?: (pane: PaneSnapshot) => PaneLaunch | undefined;
  /**
   * Only some of the save's sessions (`restore --session`): no other session is replaced and no
   * client is switched; the restored sessions are there to attach or switch to.
   */
  readonly partial?: boolean;
  /** `@resurrect-overwrite on`: a live session of a saved name gives way to the saved one. */
  readonly overwrite?: boolean;
  /** The session the restore runs in (typed into one of its panes): replaced but never removed. */
  readonly ownSession?: string;
}

export interface RestorePlan {
  readonly actions: readonly RestoreAction[];
  readonly warnings: readonly string[];
  readonly sessionsCreated: readonly string[];
  readonly windowsCreated: number;
  /** The fresh server's own session, replaced by the restored environment. */
  readonly replacedBootstrap: string | undefined;
  /** Not an action of the batch: tmux runs past failed lines, and this kill must follow success only. */
  readonly bootstrapRemoval: BootstrapRemoval | undefined;
  readonly placedElsewhere: readonly PlacedWindow[];
  readonly movedAside: readonly MovedSession[];
  readonly overwritten: readonly OverwrittenSession[];
  /** Every pane the plan creates with its address: the only panes programs may be typed into. */
  readonly panesCreated: readonly { readonly address: PaneAddress; readonly pane: PaneSnapshot }[];
  /** Renames that give temporarily named sessions their saved names; run after everything else, programs included. */
  readonly finalActions: readonly RestoreAction[];
  /**
   * The saved session the most recent client is switched to: built first, so a waiting client
   * lands in it. None without a client to switch: the order of `actions` stands, which creates the
   * saved active session last, so that a later `tmux attach` (it picks the session active last)
   * lands in it.
   */
  readonly landingSession: string | undefined;
}

/** What the steps of a plan add to it, in the order tmux must run it. */
export interface PlanOutput {
  readonly actions: RestoreAction[];
  readonly warnings: string[];
  readonly sessionsCreated: string[];
  readonly panesCreated: { address: PaneAddress; pane: PaneSnapshot }[];
  readonly placedElsewhere: PlacedWindow[];
  windowsCreated: number;
}

/** What every step reads: how sessions are addressed and the server's defaults. */
export interface PlanContext {
  readonly environment: PlanEnvironment;
  readonly targetOf: (name: string) => string;
  readonly liveBaseIndex: number;
  readonly livePaneBaseIndex: number;
}
