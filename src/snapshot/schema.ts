import * as v from 'valibot';
import { validateLayout } from '../mux/layout.js';

/** The format version this build writes. Readers accept this and every older version they can migrate. */
export const snapshotFormatVersion = 1;
export const snapshotFormatName = 'continuum-snapshot';

const nonNegativeInteger = v.pipe(v.number(), v.integer(), v.minValue(0));
const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

export const programSchema = v.object({
  /** argv of the pane's foreground process, each argument intact (spaces, quotes, unicode). */
  argv: v.pipe(v.array(v.string()), v.minLength(1)),
});

/**
 * What the pane's shell recorded through `continuum shell-init` (src/shell/). Optional: panes
 * without the integration, and older saves, lack it.
 */
export const paneShellSchema = v.object({
  /** The pane identity the shell used; a restored pane gets it back in CONTINUUM_PANE_ID. */
  identity: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  /** The shell that recorded it (bash, zsh, fish, pwsh): decides the history file's format on restore. */
  name: v.optional(v.string()),
  /** The command line the shell was running when the save was taken, as typed. */
  commandLine: v.optional(v.string()),
  /** VIRTUAL_ENV, CONDA_DEFAULT_ENV and the variables named in @continuum-environment that were set. */
  environment: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)), v.string())),
  /** The save's sibling file that holds this pane's own history (see paneHistories). */
  historyFile: v.optional(v.pipe(v.string(), v.minLength(1))),
});

/**
 * A coding agent recognised in the pane (src/agents/, docs/agents.md): which one, the session it
 * was in, and how it was started. Optional: other panes, and older saves, lack it.
 */
export const paneAgentSchema = v.object({
  /** The agent's registry name (`claude`, `codex`, `gemini`, `copilot`, `opencode`, `aider`). */
  name: v.pipe(v.string(), v.minLength(1)),
  /** The words that start the program as it was started: `claude`, or `node /path/cli.js`. */
  program: v.pipe(v.array(v.string()), v.minLength(1)),
  /** The user's own arguments, replayed on restore (session and one-shot arguments removed). */
  arguments: v.array(v.string()),
  /** What was not kept because it names a one-shot prompt or a non-interactive mode (names only, never the text). */
  dropped: v.array(v.string()),
  /** The agent's own variables from its process environment (its configuration directory). */
  environment: v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)), v.string()),
  /** The session the agent was in, when it could be told: its id, its file, and what decided it. */
  session: v.optional(
    v.object({ id: v.pipe(v.string(), v.minLength(1)), file: v.string(), decidedBy: v.string() }),
  ),
  /** Why no session is recorded (none found, or two candidates that cannot be told apart). */
  problem: v.optional(v.string()),
});

export const paneSchema = v.object({
  id: v.string(),
  index: nonNegativeInteger,
  cwd: v.string(),
  title: v.string(),
  active: v.boolean(),
  /** tmux's `pane_current_command`: the name of the foreground program, or the shell. */
  currentCommand: v.string(),
  /** The command the pane was created with (`split-window CMD`), or empty. */
  startCommand: v.string(),
  /** The foreground program when it is not the pane's own shell; null when the shell is idle. */
  program: v.nullable(programSchema),
  /**
   * The shell the pane's own process was at save time (its executable, /proc/PID/exe, so what an
   * rc file `exec`d), when it was a shell. Decides the quoting of a line typed into the restored
   * pane when the shell integration recorded no shell. Optional: older saves lack it.
   */
  processShell: v.optional(v.string()),
  shell: v.optional(paneShellSchema),
  agent: v.optional(paneAgentSchema),
});

export const windowSchema = v.object({
  id: v.string(),
  index: nonNegativeInteger,
  name: v.string(),
  automaticRename: v.boolean(),
  layout: v.pipe(v.string(), v.minLength(1)),
  width: positiveInteger,
  height: positiveInteger,
  zoomed: v.boolean(),
  active: v.boolean(),
  /** The window `last-window` would select (tmux's window_last_flag). */
  alternate: v.boolean(),
  paneBaseIndex: nonNegativeInteger,
  panes: v.pipe(v.array(paneSchema), v.minLength(1)),
});

export const sessionSchema = v.object({
  id: v.string(),
  name: v.pipe(v.string(), v.minLength(1)),
  /** The session group's name when the session shares its windows with others, else null. */
  group: v.nullable(v.string()),
  baseIndex: nonNegativeInteger,
  windows: v.pipe(v.array(windowSchema), v.minLength(1)),
});

export const snapshotSchema = v.object({
  format: v.literal(snapshotFormatName),
  version: v.literal(snapshotFormatVersion),
  savedAt: v.pipe(v.string(), v.isoTimestamp()),
  mux: v.object({ name: v.string(), version: v.string() }),
  /** Identifies the server lifetime the save came from (pid + start time survive no restart). */
  server: v.object({ pid: nonNegativeInteger, startTime: nonNegativeInteger, socketPath: v.string() }),
  /** The session of the most recently active client, and the one `switch-client -l` would pick. */
  activeSession: v.nullable(v.string()),
  alternateSession: v.nullable(v.string()),
  sessions: v.array(sessionSchema),
  /**
   * The pane contents file that belongs to this save (a sibling file, gzip-compressed JSON keyed
   * by pane id) and a digest of its text. Optional: saves without contents, and older saves, lack it.
   */
  paneContents: v.optional(v.object({ file: v.pipe(v.string(), v.minLength(1)), digest: v.string() })),
  /**
   * The panes' own histories recorded by the shell integration: a sibling file (gzip-compressed
   * JSON keyed by pane id) and a digest of the entries, as for paneContents.
   */
  paneHistories: v.optional(v.object({ file: v.pipe(v.string(), v.minLength(1)), digest: v.string() })),
});

export type ProgramSnapshot = v.InferOutput<typeof programSchema>;
export type PaneSnapshot = v.InferOutput<typeof paneSchema>;
export type PaneAgentSnapshot = v.InferOutput<typeof paneAgentSchema>;
export type PaneShellSnapshot = v.InferOutput<typeof paneShellSchema>;
export type WindowSnapshot = v.InferOutput<typeof windowSchema>;
export type SessionSnapshot = v.InferOutput<typeof sessionSchema>;
export type Snapshot = v.InferOutput<typeof snapshotSchema>;

export type SnapshotValidation =
  | {
      readonly ok: true;
      readonly snapshot: Snapshot;
      /** What a restore cannot use as saved but works around (a layout tmux cannot parse). */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly problem: string; readonly field: string | undefined };

/** Checks a parsed JSON value; the problem names the first field that is wrong. */
export function validateSnapshot(value: unknown): SnapshotValidation {
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (record.format !== snapshotFormatName) {
      return {
        ok: false,
        problem: 'not a continuum save (no "format": "continuum-snapshot")',
        field: 'format',
      };
    }
    if (typeof record.version === 'number' && record.version > snapshotFormatVersion) {
      return {
        ok: false,
        problem: `made by a newer continuum (format version ${record.version}; this one reads up to ${snapshotFormatVersion})`,
        field: 'version',
      };
    }
  }
  const result = v.safeParse(snapshotSchema, value);
  if (result.success) return { ok: true, snapshot: result.output, warnings: layoutWarnings(result.output) };
  const issue = result.issues[0];
  const field = issue ? (v.getDotPath(issue) ?? undefined) : undefined;
  return { ok: false, problem: issue?.message ?? 'invalid save', field };
}

/**
 * A hand-edited layout is no reason to refuse the save (its panes can still be restored), but it
 * must not reach tmux: tmux 3.3a crashes on some (see layout.ts).
 */
function layoutWarnings(snapshot: Snapshot): string[] {
  return snapshot.sessions.flatMap((session) =>
    session.windows.flatMap((window) => {
      const validation = validateLayout(window.layout, window.panes.length);
      return validation.ok
        ? []
        : [
            `window ${JSON.stringify(session.name)}:${window.index} (${JSON.stringify(window.name)}): the saved layout is not one tmux can use: ${validation.problem}`,
          ];
    }),
  );
}
