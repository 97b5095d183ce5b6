/**
 * Typed errors thrown by the lower layers. Each carries what a command needs to print one clear
 * line (`message`) and the next step (`hint`), and the exit code that tells scripts what failed.
 */

/** Exit codes, distinct per kind of failure so that scripts and hooks can tell them apart. */
export const exitCodes = {
  failure: 1,
  usage: 2,
  muxMissing: 3,
  noServer: 4,
  noSave: 5,
  badSave: 6,
  unwritable: 7,
  muxFailed: 8,
  busy: 9,
  partialRestore: 10,
  noDaemon: 11,
  internal: 70,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export class ContinuumError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode: ExitCode; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
  }
}

/**
 * HOME is unset and the user database has no home for this uid: only paths that need a home fail.
 * Exit 1 (general failure): docs/exit-codes.md.
 */
export class NoHomeError extends ContinuumError {
  constructor() {
    const uid = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
    super(`no home directory: HOME is not set and the user database has no entry for this user${uid}`, {
      exitCode: exitCodes.failure,
      hint: 'set HOME, or XDG_DATA_HOME and XDG_STATE_HOME (absolute paths), or give --dir',
    });
  }
}

export class UsageError extends ContinuumError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: exitCodes.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

export class MuxMissingError extends ContinuumError {
  readonly binary: string;
  constructor(
    binary: string,
    problem = 'is not installed (or not on PATH)',
    hint = 'install tmux (e.g. `sudo apt-get install tmux` or `brew install tmux`), or point --mux/CONTINUUM_MUX at it',
  ) {
    super(`${binary} ${problem}`, { exitCode: exitCodes.muxMissing, hint });
    this.binary = binary;
  }
}

/**
 * A tmux older than continuum supports: it would half-work (no hooks at server start, options
 * unread), so every command that talks to it stops with this instead. Exit code 3, as for a tmux
 * that is missing: there is no usable tmux.
 */
export class UnsupportedMuxError extends ContinuumError {
  readonly found: string;
  constructor(found: string, needed: string) {
    super(`${found} is too old: continuum needs tmux ${needed} or later`, {
      exitCode: exitCodes.muxMissing,
      hint: 'install a newer tmux (Debian 11 and later, Ubuntu 22.04 and later, Homebrew), or point --mux/CONTINUUM_MUX at one',
    });
    this.found = found;
  }
}

export class NoServerError extends ContinuumError {
  readonly server: string;
  constructor(server: string, startHint: string) {
    super(`no tmux server is running on ${server}`, { exitCode: exitCodes.noServer, hint: startHint });
    this.server = server;
  }
}

/** A tmux invocation that failed: keeps the argument list, exit code and stderr for the report. */
export class MuxCommandError extends ContinuumError {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], code: number | null, stderr: string) {
    const firstLine = stderr.trim().split('\n')[0] ?? '';
    super(
      `tmux ${args.slice(0, 3).join(' ')} failed${firstLine ? `: ${firstLine}` : ` with exit code ${code}`}`,
      {
        exitCode: exitCodes.muxFailed,
      },
    );
    this.args = args;
    this.code = code;
    this.stderr = stderr;
  }
}

/**
 * tmux did not answer in time: a stopped (`kill -STOP`) or wedged server still accepts the
 * connection into its socket's backlog, so without a deadline every caller would wait forever.
 * The client process was killed; the server may still run the command once it continues.
 */
export class MuxTimeoutError extends ContinuumError {
  readonly args: readonly string[];
  readonly server: string;
  readonly timeoutMilliseconds: number;
  constructor(server: string, args: readonly string[], timeoutMilliseconds: number) {
    super(
      `the tmux server on ${server} did not answer \`tmux ${args[0] ?? ''}\` within ${describeSeconds(timeoutMilliseconds)} s`,
      {
        exitCode: exitCodes.muxFailed,
        hint: 'is it stopped (kill -STOP) or busy? Let it continue (kill -CONT) or wait, then run this again',
      },
    );
    this.args = args;
    this.server = server;
    this.timeoutMilliseconds = timeoutMilliseconds;
  }
}

/** `2`, `10`, `2.5`: whole seconds unless the deadline is not. */
function describeSeconds(milliseconds: number): string {
  return String(Math.round(milliseconds / 100) / 10);
}

export class NoSaveError extends ContinuumError {
  constructor(directory: string, what = 'no save found', hint?: string) {
    super(`${what} in ${directory}`, {
      exitCode: exitCodes.noSave,
      hint: hint ?? 'run `continuum save` first, or pass --dir to the directory that holds your saves',
    });
  }
}

/** A save file that cannot be used: missing field, wrong type, truncated JSON, future version. */
export class SnapshotReadError extends ContinuumError {
  readonly path: string;
  readonly field: string | undefined;
  constructor(
    path: string,
    problem: string,
    options: { field?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(`${path}: ${problem}${options.field ? ` (at ${options.field})` : ''}`, {
      exitCode: exitCodes.badSave,
      hint: options.hint ?? 'pick another save with `continuum list` and `continuum restore NAME`',
      cause: options.cause,
    });
    this.path = path;
    this.field = options.field;
  }
}

export class UnwritableError extends ContinuumError {
  readonly path: string;
  /**
   * `refusal` replaces the reason and hint taken from `cause` when continuum itself declines to
   * write (a symlink where a save goes, a save with no sessions).
   */
  constructor(path: string, cause: unknown, refusal?: { reason: string; hint: string }) {
    const described = refusal
      ? { problem: `: ${refusal.reason}`, hint: refusal.hint }
      : describeWriteFailure(cause);
    super(`cannot write to ${path}${described.problem}`, {
      exitCode: exitCodes.unwritable,
      hint: described.hint,
      cause,
    });
    this.path = path;
  }
}

const otherDirectory = 'or choose another directory with --dir or @resurrect-dir';

/**
 * What went wrong and what to do. A full disk is not a permission problem: telling a user to fix
 * permissions there sent them the wrong way while every save failed.
 */
export function describeWriteFailure(cause: unknown): { problem: string; hint: string } {
  const code = errorCode(cause);
  switch (code) {
    case 'ENOSPC':
      return {
        problem: ': the disk holding it is full (ENOSPC)',
        hint: `free some space on that disk, ${otherDirectory}`,
      };
    case 'EDQUOT':
      return {
        problem: ': your disk quota for it is full (EDQUOT)',
        hint: `free some space within your quota, ${otherDirectory}`,
      };
    case 'EROFS':
      return {
        problem: ': it is on a read-only file system (EROFS)',
        hint: `remount that file system read-write, ${otherDirectory}`,
      };
    case 'EACCES':
      return {
        problem: ': permission denied (EACCES)',
        hint: `give yourself write permission on it (chmod u+w), ${otherDirectory}`,
      };
    // Not a mode bit: an immutable or append-only attribute (chattr +i/+a) refuses even root.
    case 'EPERM':
      return {
        problem: ': the operation is not permitted (EPERM: an immutable or append-only attribute?)',
        hint: `look with \`lsattr -d\` and clear it with \`chattr -i\`, ${otherDirectory}`,
      };
    default: {
      const reason = code ?? (cause instanceof Error ? cause.message : '');
      return { problem: reason ? ` (${reason})` : '', hint: `fix its permissions, ${otherDirectory}` };
    }
  }
}

/**
 * A save directory that cannot be one: the path, or a directory on the way to it, is a file (or a
 * FIFO, a device). Without this, `list` answered "no saves" and `save` "cannot write (EEXIST)".
 */
export class NotADirectoryError extends ContinuumError {
  readonly path: string;
  constructor(path: string, obstacle: { readonly path: string; readonly kind: string }) {
    super(
      obstacle.path === path
        ? `the save directory ${path} is ${obstacle.kind}, not a directory`
        : `the save directory ${path} cannot exist: ${obstacle.path} is ${obstacle.kind}, not a directory`,
      {
        exitCode: exitCodes.unwritable,
        hint: 'point --dir or @resurrect-dir at a directory (or at a path where one can be made)',
      },
    );
    this.path = path;
  }
}

/** A directory on /proc, /sys or another kernel file system: it can hold no saves, and mkdir there can loop forever. */
export class KernelFileSystemError extends ContinuumError {
  readonly path: string;
  constructor(path: string, fileSystem: string) {
    super(`cannot write to ${path}: it is on ${fileSystem}, a kernel file system that holds no files`, {
      exitCode: exitCodes.unwritable,
      hint: 'choose a directory on an ordinary file system with --dir or @resurrect-dir',
    });
    this.path = path;
  }
}

export class BusyError extends ContinuumError {
  constructor(what: string, hint: string) {
    super(what, { exitCode: exitCodes.busy, hint });
  }
}

/** Some restore commands failed; what succeeded stays, and a second restore completes the rest. */
export class PartialRestoreError extends ContinuumError {
  readonly failures: readonly string[];
  constructor(failures: readonly string[]) {
    super(`restore incomplete: ${failures.length} tmux command(s) failed: ${failures[0] ?? ''}`, {
      exitCode: exitCodes.partialRestore,
      hint: 'run `continuum restore` again to finish (it only adds what is missing); see the messages above',
    });
    this.failures = failures;
  }
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** A directory continuum keeps sockets in is not private to this user (another owner, a symlink). */
export class UnsafeDirectoryError extends ContinuumError {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`refusing to use ${path}: ${reason}`, {
      exitCode: exitCodes.unwritable,
      hint: `remove it (or have its owner remove it) so continuum can make it again, private to you (mode 0700)`,
    });
    this.path = path;
  }
}
