import { MuxCommandError, type NoServerError, UsageError } from '../errors.js';
import type { ServerLifetime } from '../server/server-lifetime.js';
import { describeServerTarget, type ServerTarget } from '../server/server-target.js';
import type { InvocationOutcome, MuxDialect } from './dialect.js';
import type { ParsedRecord } from './formats.js';
import { parseLayout } from './layout.js';
import { layoutSplits, splitCommand } from './layout-splits.js';
import { type MuxClient, muxTimeoutFrom, type ScriptResult } from './mux-client.js';
import { type PollClock, pollUntil, realPollClock } from './poll.js';
import { noServerError, type ProcessRunner, runWithDeadline, unansweredError } from './process-runner.js';
import {
  isUnqualifiedId,
  type NamespaceSession,
  namespaceSessionFormat,
  oldestSession,
  parseNamespaceSessionLine,
  parseNamespaceSessions,
  psmuxDialect,
  psmuxSessionTarget,
  qualifiedId,
  sessionOfTarget,
  targetOf,
} from './psmux-dialect.js';
import { type RecordQuery, readRecords, readServerLifetime } from './record-query.js';
import {
  largestBoxDifference,
  layoutBoxes,
  layoutPresets,
  paneBoxFormat,
  parsePaneBoxes,
  splitRequest,
  windowOfPaneTarget,
} from './psmux-layout.js';
import { literalForFormat } from './script.js';

export interface PsmuxClientOptions {
  readonly binary?: string;
  readonly server: ServerTarget;
  readonly environment?: NodeJS.ProcessEnv;
  /** Starts psmux; default the one deadline-and-kill rule (src/mux/process-runner.ts). */
  readonly execute?: ProcessRunner;
  readonly clock?: PollClock;
  /** Deadline of one psmux invocation: default `CONTINUUM_MUX_TIMEOUT_MS`, else 10 s, as for tmux. */
  readonly timeoutMilliseconds?: number;
  /** How long to wait for a new session to exist (default 10 s). */
  readonly creationDeadlineMilliseconds?: number;
}

/**
 * The MuxClient for psmux: the same interface as TmuxClient, with every psmux difference taken
 * from the dialect (docs/psmux.md). `createContext` picks it when `selectMux` answers psmux.
 */
export class PsmuxClient implements MuxClient {
  readonly binary: string;
  readonly server: ServerTarget;
  readonly dialect: MuxDialect = psmuxDialect;
  #invocationCount = 0;
  readonly #environment: NodeJS.ProcessEnv;
  readonly #execute: ProcessRunner;
  readonly #clock: PollClock;
  readonly #timeout: number;
  readonly #creationDeadline: number;

  constructor(options: PsmuxClientOptions) {
    this.binary = options.binary ?? 'psmux';
    this.server = options.server;
    this.#environment = options.environment ?? process.env;
    this.#execute = options.execute ?? runWithDeadline;
    this.#clock = options.clock ?? realPollClock;
    this.#timeout = options.timeoutMilliseconds ?? muxTimeoutFrom(this.#environment);
    this.#creationDeadline = options.creationDeadlineMilliseconds ?? 10_000;
  }

  get invocationCount(): number {
    return this.#invocationCount;
  }

  describeServer(): string {
    return this.server.kind === 'socket-name'
      ? `psmux namespace -L ${this.server.name}`
      : `the default psmux namespace (${describeServerTarget(this.server)})`;
  }

  async run(command: readonly string[]): Promise<string> {
    const outcome = await this.#runOne(command);
    if (outcome.code !== 0) throw new MuxCommandError(command, outcome.code, outcome.stderr);
    return outcome.stdout;
  }

  /**
   * psmux's `;` chaining shares one global `-t` scan across the chain, so each command is its
   * own invocation; outputs are joined in order, as tmux prints them.
   */
  async runCommands(commands: readonly (readonly string[])[]): Promise<string> {
    let output = '';
    for (const command of commands) output += await this.run(command);
    return output;
  }

  /**
   * A restore script, one command per invocation, each routed to the session it targets. A failed
   * command is collected, not thrown, as `source-file` does for tmux.
   */
  async runScript(commands: readonly (readonly string[])[]): Promise<ScriptResult> {
    let stdout = '';
    const errors: string[] = [];
    // The panes each window's splits asked for, so a refused layout can be rebuilt by percentage.
    const splitsByWindow = new Map<string, (readonly string[])[]>();
    for (const [position, command] of commands.entries()) {
      const [name] = command;
      const target = targetOf(command);
      if ((name === 'split-window' || name === 'splitw') && target !== undefined) {
        const window = windowOfPaneTarget(target);
        splitsByWindow.set(window, [...(splitsByWindow.get(window) ?? []), command]);
      }
      let outcome: RoutedOutcome;
      try {
        outcome =
          (name === 'select-layout' || name === 'selectl') && target !== undefined
            ? await this.#selectLayout(target, command.at(-1) ?? '', splitsByWindow.get(target) ?? [])
            : await this.#runOne(command);
      } catch (error) {
        if (!(error instanceof MuxCommandError || error instanceof UsageError)) throw error;
        outcome = { code: 1, stdout: '', stderr: error.message };
      }
      stdout += outcome.stdout;
      if (outcome.code !== 0 || outcome.note !== undefined)
        errors.push(
          `line ${position + 1}: ${outcome.note ?? (outcome.stderr.trim() || `exit code ${outcome.code}`)}`,
        );
    }
    return { stdout, errors };
  }

  /** `format` expanded by the namespace's oldest session. For record-query.ts only. */
  readServerFormat(format: string): Promise<string> {
    return this.run(['display-message', '-p', format]);
  }

  readRecords(query: RecordQuery, warn?: (line: string) => void): Promise<ParsedRecord[]> {
    return readRecords(this, query, warn);
  }

  readServerLifetime(): Promise<ServerLifetime> {
    return readServerLifetime(this);
  }

  /**
   * Global options through `show-options -gv`, routed to one session's server: psmux's
   * `display-message -p` escapes control bytes (docs/psmux.md). Every session's server reads the
   * same config, so the namespace's oldest session answers; an option it refuses (unset) reads as
   * empty.
   */
  async readGlobalOptions(names: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const values = new Map<string, string>();
    if (names.length === 0) return values;
    const session = oldestSession(await this.namespaceSessions());
    for (const name of names) {
      const command = [
        'show-options',
        '-gv',
        ...(session ? ['-t', psmuxSessionTarget(session.name)] : []),
        name,
      ];
      const outcome = await this.#invoke(command, session?.name);
      values.set(name, outcome.code === 0 ? outcome.stdout.replace(/\n$/, '') : '');
    }
    return values;
  }

  /**
   * `select-layout` the psmux way (docs/psmux.md, Layouts): `-t W` acts on W (the server focuses
   * it first), a preset is trusted, and a layout string is verified by reading the panes back;
   * when psmux refused it (it silently falls back to even-horizontal) or placed a pane more than
   * a cell off, the window's panes are made again with percentage splits. The panes the restore
   * split off are killed before anything runs in them (programs and titles come later in the plan)
   * and created again with the same directory and command. Every pane is named `SESSION:%N`.
   */
  async #selectLayout(
    window: string,
    layout: string,
    splits: readonly (readonly string[])[],
  ): Promise<InvocationOutcome> {
    const session = sessionOfTarget(window);
    if (session === undefined)
      return { code: 1, stdout: '', stderr: `layout of ${window}: no session named` };
    const applied = await this.#runOne(['select-layout', '-t', window, layout]);
    if (layoutPresets.has(layout)) return applied;
    const parsed = parseLayout(layout);
    if (!parsed.ok) return { code: 1, stdout: '', stderr: `layout of ${window}: ${parsed.problem}` };
    const wanted = layoutBoxes(parsed.root);
    const panes = await this.#paneBoxes(window, session);
    if (panes === undefined) return { code: 1, stdout: '', stderr: `cannot list the panes of ${window}` };
    if (
      largestBoxDifference(
        wanted,
        panes.map((pane) => pane.box),
      ) <= 1
    )
      return { code: 0, stdout: '', stderr: '' };
    if (panes.length !== wanted.length || splits.length !== wanted.length - 1)
      return {
        code: 1,
        stdout: '',
        stderr: `layout of ${window}: ${panes.length} panes where the layout has ${wanted.length}; left as psmux arranged them`,
      };
    for (const pane of panes.slice(1)) await this.#runOne(['kill-pane', '-t', pane.id]);
    const paneIds = [panes[0]!.id];
    const plan = layoutSplits(parsed.root);
    for (const split of plan.splits) {
      const request = splitRequest(splits[split.newPane - 1] ?? []);
      const outcome = await this.#runOne([
        ...splitCommand(paneIds[split.pane]!, split, request.cwd),
        ...request.launch,
      ]);
      if (outcome.code !== 0) return outcome;
      paneIds[split.newPane] = qualifiedId(session, outcome.stdout.trim());
    }
    const rebuilt = await this.#paneBoxes(window, session);
    const difference = largestBoxDifference(wanted, rebuilt?.map((pane) => pane.box) ?? []);
    if (difference <= 1) return { code: 0, stdout: '', stderr: '' };
    return {
      code: 1,
      stdout: '',
      stderr: `layout of ${window}: the percentage splits placed a pane ${difference} cells off`,
    };
  }

  /** The panes of a window, each id qualified with its session (`work:%3`). */
  async #paneBoxes(window: string, session: string): Promise<ReturnType<typeof parsePaneBoxes> | undefined> {
    const outcome = await this.#runOne(['list-panes', '-t', window, '-F', paneBoxFormat]);
    if (outcome.code !== 0) return undefined;
    return parsePaneBoxes(outcome.stdout).map((pane) => ({ ...pane, id: qualifiedId(session, pane.id) }));
  }

  /** The session names of the namespace; NoServerError when `ls` finds none (exit 0, no output). */
  async sessionNames(): Promise<string[]> {
    return (await this.namespaceSessions()).map((session) => session.name);
  }

  /**
   * The sessions of the namespace with their servers' pid and start. A session whose server did
   * not answer `ls` in time (an empty line) is asked again a few times; one that stays silent
   * fails the call: leaving it out would save, restore or watch a namespace without it.
   */
  async namespaceSessions(): Promise<NamespaceSession[]> {
    const namespace = this.server.kind === 'socket-name' ? this.server.name : undefined;
    let unanswered = 0;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      if (attempt > 0) await this.#clock.sleep(250);
      const outcome = await this.#invoke(['list-sessions', '-F', namespaceSessionFormat], undefined);
      const listing = parseNamespaceSessions(outcome, namespace, parseNamespaceSessionLine);
      if (listing.kind === 'no-server') throw this.#noServer();
      if (listing.unanswered === 0) return [...listing.sessions];
      unanswered = listing.unanswered;
    }
    throw new MuxCommandError(
      ['list-sessions'],
      0,
      `${unanswered} session(s) of ${this.describeServer()} did not answer psmux's ls within 500 ms`,
    );
  }

  async #runOne(command: readonly string[]): Promise<RoutedOutcome> {
    const [name] = command;
    const target = targetOf(command);
    if (target !== undefined && isUnqualifiedId(target))
      throw new UsageError(
        `psmux: \`${command.slice(0, 3).join(' ')}\` names no session (pane and window ids repeat in every psmux session)`,
        'name the target as SESSION:%N',
      );
    if ((name === 'set-option' || name === 'set') && command.some((flag) => /^-[a-zA-Z]*o/.test(flag)))
      throw new UsageError(
        'psmux 3.3.8 ignores set-option -o (it sets nothing and exits 0)',
        'claim once-only work with a lease instead',
      );
    if ((name === 'list-panes' || name === 'lsp') && command.includes('-a'))
      return this.#listPanesEverywhere(command);
    if (name === 'list-sessions' || name === 'ls') {
      // Exit 0 and nothing printed: no server in the namespace (docs/psmux.md).
      const outcome = await this.#invoke(command, undefined);
      if (outcome.code === 0 && outcome.stdout.trim() === '') throw this.#noServer();
      return outcome;
    }
    // The CLI drops -F for list-clients (tmux_args_reference.md): a record continuum cannot read.
    if (name === 'list-clients' || name === 'lsc') return { code: 0, stdout: '', stderr: '' };
    if (name === 'kill-server') {
      // Up to psmux 3.3.8 a bare kill-server ended every namespace: end ours, session by session.
      for (const session of await this.sessionNames().catch(() => [])) {
        // `kill-session -t NAME:` fails on psmux (seen on the real server); `=NAME` is exact.
        await this.#invoke(['kill-session', '-t', `=${session}`], session);
      }
      return { code: 0, stdout: '', stderr: '' };
    }
    if (name === 'new-window' || name === 'neww') return this.#newWindow(command);
    const session = target === undefined ? undefined : sessionOfTarget(target);
    if (session === undefined && name !== undefined && !unroutedCommands.has(name))
      return this.#runWithoutTarget(command);
    const outcome = await this.#invoke(command, session);
    if (outcome.code === 0 && (name === 'new-session' || name === 'new')) await this.#awaitSession(command);
    return outcome;
  }

  /**
   * A command whose `-t` names no session. psmux would send it to the `$TMUX` session or the
   * newest one (main.rs), which is no choice continuum can make. A setter of server state (an
   * option, a hook, a key) goes to EVERY session's server, since each keeps its own; anything
   * else asks the namespace's oldest session, whose answers (`#{pid}`, `#{start_time}`) stay
   * put while it lives.
   */
  async #runWithoutTarget(command: readonly string[]): Promise<InvocationOutcome> {
    const sessions = await this.namespaceSessions();
    const [name = ''] = command;
    const chosen = settingCommands.has(name) ? sessions : [oldestSession(sessions)!];
    let stdout = '';
    for (const session of chosen) {
      const outcome = await this.#invoke(['-t', psmuxSessionTarget(session.name), ...command], session.name);
      if (outcome.code !== 0) return outcome;
      stdout += outcome.stdout;
    }
    return { code: 0, stdout, stderr: '' };
  }

  /**
   * `list-panes -a` as one `list-panes -s` per session: every psmux session is its own server.
   * Ids repeat across sessions (`%1` in each, `$0` everywhere), so the format is given each
   * session's own: `$K` for the session, `NAME:@N` and `NAME:.%N` for windows and panes, the ids
   * psmux routes. `#{pid}` and `#{start_time}` are the oldest session's, the namespace's lifetime.
   */
  async #listPanesEverywhere(command: readonly string[]): Promise<InvocationOutcome> {
    const perSession = command.filter((argument) => argument !== '-a');
    const formatPosition = perSession.indexOf('-F');
    const sessions = await this.namespaceSessions();
    const oldest = oldestSession(sessions);
    let stdout = '';
    for (const [position, session] of sessions.entries()) {
      const format = perSession[formatPosition + 1];
      const own = [...perSession];
      if (formatPosition !== -1 && format !== undefined)
        own[formatPosition + 1] = namespaceFormat(format, session.name, position, oldest ?? session);
      const outcome = await this.#invoke(
        [own[0]!, '-s', '-t', psmuxSessionTarget(session.name), ...own.slice(1)],
        session.name,
      );
      // A session that ended between `ls` and its question is no error: it is simply gone.
      if (outcome.code === 0) stdout += outcome.stdout;
    }
    return { code: 0, stdout, stderr: '' };
  }

  /** new-session returns before the session's server answers: wait for it, with a deadline. */
  async #awaitSession(command: readonly string[]): Promise<void> {
    const position = command.indexOf('-s');
    const given = position === -1 ? undefined : command[position + 1];
    if (given === undefined) return;
    const session = unescapeFormat(given);
    const result = await pollUntil(
      async () => {
        const outcome = await this.#invoke(['has-session', '-t', psmuxSessionTarget(session)], session);
        return outcome.code === 0 ? true : undefined;
      },
      { deadlineMilliseconds: this.#creationDeadline, intervalMilliseconds: 100 },
      this.#clock,
    );
    if (result.result === 'timed-out')
      throw new MuxCommandError(
        command,
        0,
        `session ${session} did not appear within ${this.#creationDeadline} ms`,
      );
  }

  /**
   * new-window the way psmux makes windows: `-t =S:N` with an index exits 0 and creates nothing
   * (seen on psmux 3.3.8), so the window is made at `=S:` (the next free index), waited for (it
   * appears after the command returns), and moved to N when psmux gave another index. When it
   * cannot be moved, the window stays where psmux put it, in the saved order, and the outcome
   * says that its index differs.
   */
  async #newWindow(command: readonly string[]): Promise<RoutedOutcome> {
    const target = targetOf(command);
    const match = target?.match(/^(.*):(\d+)$/);
    const session = target === undefined ? undefined : sessionOfTarget(target);
    if (session === undefined) return this.#runWithoutTarget(command);
    const before = await this.#windowIndexes(session);
    const withoutIndex = command.map((argument, position) =>
      position > 0 && command[position - 1] === '-t' ? psmuxSessionTarget(session) : argument,
    );
    const created = await this.#invoke(withoutIndex, session);
    if (created.code !== 0) return created;
    const appeared = await pollUntil(
      async () => (await this.#windowIndexes(session))?.find((index) => !before?.includes(index)),
      { deadlineMilliseconds: this.#creationDeadline, intervalMilliseconds: 100 },
      this.#clock,
    );
    if (appeared.result === 'timed-out')
      throw new MuxCommandError(
        command,
        0,
        `a new window of ${session} did not appear within ${this.#creationDeadline} ms`,
      );
    const wanted = match?.[2];
    const given = appeared.value;
    if (wanted === undefined || given === wanted) return created;
    // psmux's move-window moves the session's ACTIVE window to the index `-t` names, whatever `-s`
    // says (seen on the real server): the new window is made active first. The restore selects
    // the saved active window after all windows exist.
    const from = `${psmuxSessionTarget(session)}${given}`;
    const selected = await this.#invoke(['select-window', '-t', from], session);
    const moved =
      selected.code === 0
        ? await this.#invoke(
            ['move-window', '-s', from, '-t', `${psmuxSessionTarget(session)}${wanted}`],
            session,
          )
        : selected;
    const now = await this.#windowIndexes(session);
    if (moved.code === 0 && now?.includes(wanted) && !now.includes(given)) return created;
    return {
      ...created,
      note: `window ${session}:${wanted} was made as ${session}:${given} (psmux could not move it): window indexes may differ from the save`,
    };
  }

  async #windowIndexes(session: string): Promise<string[] | undefined> {
    const outcome = await this.#invoke(
      ['list-windows', '-t', psmuxSessionTarget(session), '-F', '#{window_index}'],
      session,
    );
    return outcome.code === 0 ? outcome.stdout.split('\n').filter((line) => line !== '') : undefined;
  }

  async #invoke(command: readonly string[], session: string | undefined): Promise<InvocationOutcome> {
    this.#invocationCount += 1;
    const args = [...psmuxDialect.serverArguments(this.server), ...command];
    const inherited = { ...this.#environment };
    // psmux overwrites these from $TMUX or the newest session; a stale one must not mislead an
    // older psmux either.
    delete inherited.PSMUX_TARGET_SESSION;
    delete inherited.PSMUX_TARGET_FULL;
    const environment = { ...inherited, ...psmuxDialect.environmentFor(this.server) };
    const outcome = await this.#execute(this.binary, args, environment, this.#timeout);
    const context = {
      binary: this.binary,
      server: this.describeServer(),
      args: command,
      timeoutMilliseconds: this.#timeout,
    };
    const unanswered = unansweredError(outcome, context);
    if (unanswered) throw unanswered;
    if (session === undefined && psmuxDialect.isNoServer(outcome)) throw this.#noServer();
    return {
      code: outcome.code,
      stdout: psmuxDialect.normaliseOutput(outcome.stdout),
      stderr: psmuxDialect.normaliseOutput(outcome.stderr),
    };
  }

  #noServer(): NoServerError {
    return noServerError(this.binary, psmuxDialect.serverArguments(this.server), this.describeServer());
  }
}

/** An outcome that succeeded with something the restore should be told (a window index moved). */
type RoutedOutcome = InvocationOutcome & { readonly note?: string };

/** Commands that need no session: they list or make sessions, or address one by -s. */
const unroutedCommands: ReadonlySet<string> = new Set([
  'new-session',
  'new',
  'has-session',
  'has',
  'list-sessions',
  'ls',
  '-V',
]);

/** Commands that change a server's own state: sent to every session's server of the namespace. */
const settingCommands: ReadonlySet<string> = new Set([
  'set-option',
  'set',
  'set-window-option',
  'setw',
  'set-hook',
  'bind-key',
  'bind',
  'unbind-key',
  'unbind',
  'set-environment',
  'setenv',
]);

/** The restore doubles `#` for format expansion (literalForFormat); the session holds one. */
function unescapeFormat(text: string): string {
  return text.replace(/#+/g, (run, offset: number, whole: string) =>
    whole[offset + run.length] === '[' ? run : run.slice(run.length / 2),
  );
}

/**
 * Pure: a `list-panes` format for one session of a namespace: ids made unique and routable
 * (`$K`, `NAME:@N`, `NAME:.%N`), and the namespace's lifetime (the oldest session's pid and start)
 * in place of the answering server's.
 */
export function namespaceFormat(
  format: string,
  session: string,
  position: number,
  oldest: { readonly pid: number; readonly startTime: number },
): string {
  const name = literalForFormat(session);
  return format
    .replaceAll('#{session_id}', `$${position}`)
    .replaceAll('#{window_id}', `${name}:#{window_id}`)
    .replaceAll('#{pane_id}', `${name}:.#{pane_id}`)
    .replaceAll('#{pid}', String(oldest.pid))
    .replaceAll('#{start_time}', String(oldest.startTime));
}
