import { MuxCommandError, UsageError } from '../errors.js';
import type { InvocationOutcome } from './dialect.js';
import { parseLayout } from './layout.js';
import { layoutSplits, splitCommand } from './layout-splits.js';
import type { ScriptResult } from './mux-client.js';
import { type PollClock, pollUntil } from './poll.js';
import { psmuxSessionTarget, qualifiedId, sessionOfTarget } from './psmux-dialect.js';
import {
  largestBoxDifference,
  layoutBoxes,
  layoutPresets,
  paneBoxFormat,
  parsePaneBoxes,
} from './psmux-layout.js';
import type { PsmuxStep, SplitRequest } from './psmux-render.js';

/**
 * How psmux is made to create what a restore asks for and to apply its layouts: new sessions and
 * windows appear after the command returns and are waited for, and a layout string is verified
 * and rebuilt by percentage splits when psmux did not apply it (docs/psmux.md). The client hands
 * in its routed invocations.
 */
export interface PsmuxSteps {
  /** One invocation, routed to `session` (undefined: unrouted). */
  invoke(command: readonly string[], session: string | undefined): Promise<InvocationOutcome>;
  /** One command the way the client runs any: routed by its target. */
  runOne(command: readonly string[]): Promise<RoutedOutcome>;
  readonly clock: PollClock;
  /** How long to wait for a new session or window to exist. */
  readonly creationDeadline: number;
}

/** An outcome that succeeded with something the restore should be told (a window index moved). */
export type RoutedOutcome = InvocationOutcome & { readonly note?: string };

/**
 * A restore's steps (src/mux/psmux-render.ts), one invocation or more each, in order. A failed
 * step is collected, not thrown, as `source-file` does for tmux; errors are numbered by step,
 * which is the line of the same batch's tmux script.
 */
export async function runPsmuxSteps(psmux: PsmuxSteps, steps: readonly PsmuxStep[]): Promise<ScriptResult> {
  let stdout = '';
  const errors: string[] = [];
  // The panes each window's splits asked for, so a refused layout can be rebuilt by percentage.
  const splitsByWindow = new Map<string, SplitRequest[]>();
  for (const [position, step] of steps.entries()) {
    let outcome: RoutedOutcome;
    try {
      outcome = await runStep(psmux, step, splitsByWindow);
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

async function runStep(
  psmux: PsmuxSteps,
  step: PsmuxStep,
  splitsByWindow: Map<string, SplitRequest[]>,
): Promise<RoutedOutcome> {
  switch (step.kind) {
    case 'command':
      return psmux.runOne(step.command);
    case 'new-session': {
      const outcome = await psmux.invoke(step.command, step.routedTo);
      if (outcome.code === 0) await awaitSession(psmux, step.session, step.command);
      return outcome;
    }
    case 'new-window':
      return newWindow(psmux, step);
    case 'split-pane':
      splitsByWindow.set(step.window, [...(splitsByWindow.get(step.window) ?? []), step.request]);
      return psmux.runOne(step.command);
    case 'layout':
      return selectLayout(psmux, step.window, step.layout, splitsByWindow.get(step.window) ?? []);
  }
}

/**
 * `select-layout` the psmux way (docs/psmux.md, Layouts): `-t W` acts on W (the server focuses
 * it first), a preset is trusted, and a layout string is verified by reading the panes back;
 * when psmux refused it (it silently falls back to even-horizontal) or placed a pane more than
 * a cell off, the window's panes are made again with percentage splits. The panes the restore
 * split off are killed before anything runs in them (programs and titles come later in the plan)
 * and created again with the same directory and command. Every pane is named `SESSION:%N`.
 */
export async function selectLayout(
  psmux: PsmuxSteps,
  window: string,
  layout: string,
  splits: readonly SplitRequest[],
): Promise<InvocationOutcome> {
  const session = sessionOfTarget(window);
  if (session === undefined) return { code: 1, stdout: '', stderr: `layout of ${window}: no session named` };
  const applied = await psmux.runOne(['select-layout', '-t', window, layout]);
  if (layoutPresets.has(layout)) return applied;
  const parsed = parseLayout(layout);
  if (!parsed.ok) return { code: 1, stdout: '', stderr: `layout of ${window}: ${parsed.problem}` };
  const wanted = layoutBoxes(parsed.root);
  const panes = await paneBoxes(psmux, window, session);
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
  for (const pane of panes.slice(1)) await psmux.runOne(['kill-pane', '-t', pane.id]);
  const paneIds = [panes[0]!.id];
  const plan = layoutSplits(parsed.root);
  for (const split of plan.splits) {
    const request = splits[split.newPane - 1] ?? { cwd: undefined, launch: [] };
    const outcome = await psmux.runOne([
      ...splitCommand(paneIds[split.pane]!, split, request.cwd),
      ...request.launch,
    ]);
    if (outcome.code !== 0) return outcome;
    paneIds[split.newPane] = qualifiedId(session, outcome.stdout.trim());
  }
  const rebuilt = await paneBoxes(psmux, window, session);
  const difference = largestBoxDifference(wanted, rebuilt?.map((pane) => pane.box) ?? []);
  if (difference <= 1) return { code: 0, stdout: '', stderr: '' };
  return {
    code: 1,
    stdout: '',
    stderr: `layout of ${window}: the percentage splits placed a pane ${difference} cells off`,
  };
}

/** The panes of a window, each id qualified with its session (`work:%3`). */
export async function paneBoxes(
  psmux: PsmuxSteps,
  window: string,
  session: string,
): Promise<ReturnType<typeof parsePaneBoxes> | undefined> {
  const outcome = await psmux.runOne(['list-panes', '-t', window, '-F', paneBoxFormat]);
  if (outcome.code !== 0) return undefined;
  return parsePaneBoxes(outcome.stdout).map((pane) => ({ ...pane, id: qualifiedId(session, pane.id) }));
}

/** new-session returns before the session's server answers: wait for it, with a deadline. */
export async function awaitSession(
  psmux: PsmuxSteps,
  session: string,
  command: readonly string[],
): Promise<void> {
  const result = await pollUntil(
    async () => {
      const outcome = await psmux.invoke(['has-session', '-t', psmuxSessionTarget(session)], session);
      return outcome.code === 0 ? true : undefined;
    },
    { deadlineMilliseconds: psmux.creationDeadline, intervalMilliseconds: 100 },
    psmux.clock,
  );
  if (result.result === 'timed-out')
    throw new MuxCommandError(
      command,
      0,
      `session ${session} did not appear within ${psmux.creationDeadline} ms`,
    );
}

/**
 * new-window the way psmux makes windows: `-t =S:N` with an index exits 0 and creates nothing
 * (seen on psmux 3.3.8), so the window is made at `S:` (the next free index), waited for (it
 * appears after the command returns), and moved to N when psmux gave another index. When it
 * cannot be moved, the window stays where psmux put it, in the saved order, and the outcome
 * says that its index differs.
 */
export async function newWindow(
  psmux: PsmuxSteps,
  step: Extract<PsmuxStep, { kind: 'new-window' }>,
): Promise<RoutedOutcome> {
  const { command, session } = step;
  const before = await windowIndexes(psmux, session);
  const created = await psmux.invoke(command, session);
  if (created.code !== 0) return created;
  const appeared = await pollUntil(
    async () => (await windowIndexes(psmux, session))?.find((index) => !before?.includes(index)),
    { deadlineMilliseconds: psmux.creationDeadline, intervalMilliseconds: 100 },
    psmux.clock,
  );
  if (appeared.result === 'timed-out')
    throw new MuxCommandError(
      command,
      0,
      `a new window of ${session} did not appear within ${psmux.creationDeadline} ms`,
    );
  const wanted = String(step.windowIndex);
  const given = appeared.value;
  if (given === wanted) return created;
  // psmux's move-window moves the session's ACTIVE window to the index `-t` names, whatever `-s`
  // says (seen on the real server): the new window is made active first. The restore selects
  // the saved active window after all windows exist.
  const from = `${psmuxSessionTarget(session)}${given}`;
  const selected = await psmux.invoke(['select-window', '-t', from], session);
  const moved =
    selected.code === 0
      ? await psmux.invoke(
          ['move-window', '-s', from, '-t', `${psmuxSessionTarget(session)}${wanted}`],
          session,
        )
      : selected;
  const now = await windowIndexes(psmux, session);
  if (moved.code === 0 && now?.includes(wanted) && !now.includes(given)) return created;
  return {
    ...created,
    note: `window ${session}:${wanted} was made as ${session}:${given} (psmux could not move it): window indexes may differ from the save`,
  };
}

export async function windowIndexes(psmux: PsmuxSteps, session: string): Promise<string[] | undefined> {
  const outcome = await psmux.invoke(
    ['list-windows', '-t', psmuxSessionTarget(session), '-F', '#{window_index}'],
    session,
  );
  return outcome.code === 0 ? outcome.stdout.split('\n').filter((line) => line !== '') : undefined;
}
