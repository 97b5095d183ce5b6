import type { RestoreAction } from './actions.js';

/** One `source-file` of a restore: whole sessions, so each is usable when its batch is done. */
export interface RestoreBatch {
  /** Saved names of the sessions the batch builds or completes. */
  readonly sessions: readonly string[];
  readonly actions: readonly RestoreAction[];
  /** Panes the batch creates. */
  readonly panes: number;
}

export interface BatchRequest {
  /** The plan's actions, its program starts and its final renames, in the plan's order. */
  readonly actions: readonly RestoreAction[];
  readonly programs: readonly RestoreAction[];
  readonly finalActions: readonly RestoreAction[];
  /** The saved name of the session a waiting client lands in: built first. None: the plan's order. */
  readonly landing: string | undefined;
  /** Sessions per batch after the first one. */
  readonly sessionsPerBatch: number;
}

/** The session an action builds (its name, or the temporary name or id the plan addresses it by). */
function sessionOf(action: RestoreAction): string | undefined {
  switch (action.kind) {
    case 'create-session':
    case 'join-group':
    case 'set-session-option':
      return action.session;
    case 'create-window':
    case 'set-window-option':
    case 'set-layout':
    case 'set-pane-title':
    case 'select-pane':
    case 'zoom-pane':
    case 'select-window':
    case 'start-program':
      return action.address.session;
    case 'split-pane':
      return action.after.session;
    case 'rename-session':
      // A final name belongs to the session built under the temporary one; parking and moving a
      // live session aside clear the way for everything, so they come first.
      return action.purpose === 'final-name' ? action.from : undefined;
    case 'switch-client':
    case 'kill-session':
      return undefined;
  }
}

function createsPanes(action: RestoreAction): number {
  return action.kind === 'create-session' || action.kind === 'create-window' || action.kind === 'split-pane'
    ? 1
    : 0;
}

/**
 * Pure: the plan cut into batches of whole sessions. The landing session comes first with the
 * switch of its client, so the user can work while the others are built; sessions of one group
 * stay in one batch (a member joins a carrier that must exist). Within a batch, actions keep the
 * plan's order. The other switches (the alternate session, then the landing one again, so tmux
 * records the alternate as the client's last session) run in the last batch, once both exist.
 */
export function batchRestore(request: BatchRequest): RestoreBatch[] {
  const all = [...request.actions, ...request.programs, ...request.finalActions];
  // Targets in order of first appearance, and the saved name of each (a temporary name is renamed).
  const targets: string[] = [];
  const savedName = new Map<string, string>();
  for (const action of all) {
    const target = sessionOf(action);
    if (target === undefined) continue;
    if (!savedName.has(target)) {
      targets.push(target);
      savedName.set(target, target);
    }
    if (action.kind === 'rename-session' && action.purpose === 'final-name') savedName.set(target, action.to);
  }
  // Units: the sessions that must be built together (a group's carrier and its members).
  const unitOf = new Map<string, string[]>();
  const units: string[][] = [];
  for (const target of targets) {
    const join = all.find(
      (action): action is Extract<RestoreAction, { kind: 'join-group' }> =>
        action.kind === 'join-group' && action.session === target,
    );
    const carrierUnit = join ? unitOf.get(join.carrier) : undefined;
    if (carrierUnit) {
      carrierUnit.push(target);
      unitOf.set(target, carrierUnit);
    } else {
      const unit = [target];
      units.push(unit);
      unitOf.set(target, unit);
    }
  }
  const landingTarget = targets.find((target) => savedName.get(target) === request.landing);
  const landingUnit = landingTarget === undefined ? undefined : unitOf.get(landingTarget);
  const ordered = landingUnit ? [landingUnit, ...units.filter((unit) => unit !== landingUnit)] : units;

  const groups: string[][] = [];
  let current: string[] = [];
  for (const [position, unit] of ordered.entries()) {
    current.push(...unit);
    const firstDone = position === 0 && landingUnit !== undefined;
    if (firstDone || current.length >= Math.max(1, request.sessionsPerBatch)) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);

  const prelude = request.actions.filter(
    (action) => sessionOf(action) === undefined && action.kind !== 'switch-client',
  );
  const switches = request.actions.filter((action) => action.kind === 'switch-client');
  const landingSwitches = switches.filter((action) => action.session === landingTarget);
  const laterSwitches = switches.some((action) => action.session !== landingTarget) ? switches : [];
  const batches = groups.map((group, position): RestoreBatch => {
    const members = new Set(group);
    const actions = all.filter((action) => {
      const target = sessionOf(action);
      return target !== undefined && members.has(target);
    });
    const first = position === 0;
    const last = position === groups.length - 1;
    return {
      sessions: group.map((target) => savedName.get(target) ?? target),
      actions: [
        ...(first ? prelude : []),
        ...actions,
        ...(first && landingUnit ? dedupeSwitches(landingSwitches) : []),
        ...(last ? (landingUnit ? laterSwitches : switches) : []),
      ],
      panes: actions.reduce((sum, action) => sum + createsPanes(action), 0),
    };
  });
  if (batches.length === 0 && (prelude.length > 0 || switches.length > 0))
    return [{ sessions: [], actions: [...prelude, ...switches], panes: 0 }];
  return batches;
}

/** Several clients switched to the landing session: each once. */
function dedupeSwitches(switches: readonly RestoreAction[]): RestoreAction[] {
  const seen = new Set<string>();
  return switches.filter((action) => {
    if (action.kind !== 'switch-client' || seen.has(action.client)) return false;
    seen.add(action.client);
    return true;
  });
}
