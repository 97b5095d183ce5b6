import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandsFor } from '../../../src/mux/tmux-render.js';
import type { RestoreAction } from '../../../src/restore/actions.js';
import type { FirstSessionFacts, PlanEnvironment } from '../../../src/restore/plan/plan-types.js';
import { findBootstrapSession, isUntouchedFirstSession, planRestore } from '../../../src/restore/plan.js';
import type { LiveClient } from '../../../src/snapshot/capture.js';
import type { Snapshot } from '../../../src/snapshot/schema.js';
import { pane, session, snapshot, splitWindow, window } from '../../support/snapshots.js';

const environment: PlanEnvironment = {
  directoryExists: (path) => !path.startsWith('/gone'),
  home: '/home/user',
  bootstrapParkingName: 'continuum-bootstrap-1',
};

/** What a fresh `tmux` (or `tmux new -d`) server holds: one session, one window, one idle shell. */
const fresh = (name = '0', baseIndex = 0, paneBaseIndex = 0): Snapshot =>
  snapshot({
    sessions: [
      session({
        id: '$0',
        name,
        baseIndex,
        windows: [window({ index: baseIndex, paneBaseIndex, panes: [pane({ index: paneBaseIndex })] })],
      }),
    ],
  });

/** A server that started a second ago and whose first shell shows nothing but its prompt. */
const untouched: FirstSessionFacts = {
  serverAge: 1,
  sessionAge: 1,
  firstOfServer: true,
  scrollback: [],
  screenAbove: [],
  prompt: '$ ',
  runsJobs: false,
};

const live = (state: Snapshot, clients: LiveClient[] = [], firstSession: FirstSessionFacts = untouched) => ({
  snapshot: state,
  clients,
  firstSession,
});

const saved = snapshot({
  activeSession: 'dev',
  alternateSession: 'notes',
  sessions: [
    session({ id: '$1', name: 'dev', windows: [splitWindow(0, 0, 1), splitWindow(1, 2, 3)] }),
    session({ id: '$2', name: 'notes' }),
    session({ id: '$3', name: 'dev2', windows: [window({ index: 3, name: 'three' })] }),
  ],
});

const kinds = (actions: readonly RestoreAction[]) => actions.map((action) => action.kind);
const created = (actions: readonly RestoreAction[]) =>
  actions.flatMap((action) =>
    action.kind === 'create-session' || action.kind === 'join-group' ? [action.session] : [],
  );

describe('planRestore into a fresh server', () => {
  it('replaces the bootstrap session "0": creates the saved sessions, removes it last', () => {
    const plan = planRestore(saved, live(fresh()), environment);
    assert.equal(plan.replacedBootstrap, '0');
    assert.deepEqual([...plan.sessionsCreated].sort(), ['dev', 'dev2', 'notes']);
    assert.equal(plan.windowsCreated, 4);
    // Killed after the batch, once the restored sessions are seen to exist: never inside it.
    assert.ok(!kinds(plan.actions).includes('kill-session'));
    assert.deepEqual(plan.bootstrapRemoval, { session: '0', requiredSessions: ['dev2', 'notes', 'dev'] });
    assert.ok(!kinds(plan.actions).includes('rename-session'));
    assert.deepEqual(plan.warnings, []);
  });

  it('replaces a bootstrap session whatever its name', () => {
    const plan = planRestore(saved, live(fresh('main')), environment);
    assert.equal(plan.replacedBootstrap, 'main');
    assert.equal(plan.bootstrapRemoval?.session, 'main');
  });

  it('renames aside a bootstrap whose name a saved session needs, then removes it', () => {
    const withZero = snapshot({
      ...saved,
      sessions: [...saved.sessions, session({ id: '$4', name: '0', windows: [splitWindow(0)] })],
    });
    const plan = planRestore(withZero, live(fresh('0')), environment);
    assert.deepEqual(plan.actions[0], {
      kind: 'rename-session',
      from: '0',
      to: 'continuum-bootstrap-1',
      purpose: 'park',
    });
    assert.ok(created(plan.actions).includes('0'));
    assert.equal(plan.bootstrapRemoval?.session, 'continuum-bootstrap-1');
    assert.ok(plan.bootstrapRemoval?.requiredSessions.includes('0'));
  });

  it('replaces a bootstrap session by its saved namesake whatever that holds; the second restore changes nothing', () => {
    const same = snapshot({ sessions: [session({ name: '0' }), session({ id: '$5', name: 'other' })] });
    const plan = planRestore(same, live(fresh('0')), environment);
    assert.equal(plan.replacedBootstrap, '0');
    assert.deepEqual([...plan.sessionsCreated].sort(), ['0', 'other']);
    assert.deepEqual(plan.movedAside, []);
    // After it: the saved "0" (made by the restore, not the server's $0) and "other".
    const after = snapshot({
      sessions: [session({ id: '$1', name: '0' }), session({ id: '$2', name: 'other' })],
    });
    assert.deepEqual(planRestore(same, live(after), environment).actions, []);
    const onlyZero = snapshot({ sessions: [session({ name: '0' })] });
    const lone = snapshot({ sessions: [session({ id: '$1', name: '0' })] });
    assert.deepEqual(
      planRestore(onlyZero, live(lone, [], { ...untouched, firstOfServer: false }), environment).actions,
      [],
    );
  });

  it('plans nothing when the save is this very session alone (same directory), and replaces it from another', () => {
    const itself = fresh('0');
    assert.deepEqual(planRestore(itself, live(fresh('0')), environment).actions, []);
    const elsewhere = fresh('0');
    elsewhere.sessions[0]!.windows[0]!.panes[0]!.cwd = '/srv/elsewhere';
    assert.equal(planRestore(elsewhere, live(fresh('0')), environment).replacedBootstrap, '0');
  });

  it('replaces the bootstrap by a lone saved namesake in the same directory whose window is another (named " ")', () => {
    // Found by the round-trip property: the window's name kept it from being "this very session",
    // so the plan moved the untouched bootstrap aside as "0-1" instead of letting it give way.
    const named = fresh('0');
    const window = named.sessions[0]!.windows[0]!;
    named.sessions[0]!.windows[0] = { ...window, name: ' ', automaticRename: false };
    const plan = planRestore(named, live(fresh('0')), environment);
    assert.equal(plan.replacedBootstrap, '0');
    assert.deepEqual(plan.movedAside, []);
  });

  it('does not treat a server with real work as a bootstrap', () => {
    const busy = snapshot({ sessions: [session({ name: 'mine', windows: [splitWindow(0)] })] });
    const plan = planRestore(saved, live(busy), environment);
    assert.equal(plan.replacedBootstrap, undefined);
    assert.ok(!kinds(plan.actions).includes('kill-session'));
    const running = fresh('x');
    running.sessions[0]!.windows[0]!.panes[0]!.program = { argv: ['vim'] };
    assert.equal(findBootstrapSession(running), undefined);
    assert.equal(
      findBootstrapSession(snapshot({ sessions: [session(), session({ name: '1' })] })),
      undefined,
    );
  });
});

describe('planRestore and the first session of a server', () => {
  const used: [string, Partial<FirstSessionFacts>][] = [
    ['older than a server start', { serverAge: 600, sessionAge: 600 }],
    ['created long after the server started', { sessionAge: 120 }],
    ['with text in its scrollback', { scrollback: ['', 'output of make'] }],
    ['with a command and its output on screen', { screenAbove: ['$ ls', 'a  b'] }],
    [
      'where a command changed the prompt (a clock, a directory)',
      { screenAbove: ['[12:00:01] ~ $ cd /tmp'], prompt: '[12:00:09] /tmp $ ' },
    ],
    ['whose prompt is not drawn yet but something is on screen', { screenAbove: ['hello'], prompt: '' }],
    ['that the server did not make first (restored a moment ago)', { firstOfServer: false }],
    ['with a job in the background', { runsJobs: true }],
  ];
  for (const [what, facts] of used) {
    it(`never replaces a lone session ${what}`, () => {
      assert.equal(isUntouchedFirstSession({ ...untouched, ...facts }), false);
      const plan = planRestore(saved, live(fresh('main'), [], { ...untouched, ...facts }), environment);
      assert.equal(plan.replacedBootstrap, undefined);
      assert.equal(plan.bootstrapRemoval, undefined);
      assert.ok(!kinds(plan.actions).includes('kill-session'));
      assert.deepEqual([...plan.sessionsCreated].sort(), ['dev', 'dev2', 'notes']);
    });
  }

  const fresh_: [string, Partial<FirstSessionFacts>][] = [
    ["zsh's PROMPT_SP (a blank row scrolled off)", { scrollback: [''], prompt: '% ' }],
    [
      "fish's greeting above the prompt",
      {
        screenAbove: [
          'Welcome to fish, the friendly interactive shell',
          'Type help for instructions on how to use fish',
        ],
        prompt: 'user@host ~> ',
      },
    ],
    ['a two-line prompt', { screenAbove: ['~/src on main'], prompt: '❯ ' }],
  ];
  for (const [what, facts] of fresh_) {
    it(`counts a first session as untouched with ${what}`, () => {
      assert.equal(isUntouchedFirstSession({ ...untouched, ...facts }), true);
    });
  }

  it('never replaces the first session for `--session`, and switches no client', () => {
    const clients = [{ name: '/dev/pts/1', session: 'main', activity: 10 }];
    const plan = planRestore(saved, live(fresh('main'), clients), { ...environment, partial: true });
    assert.equal(plan.bootstrapRemoval, undefined);
    assert.ok(!kinds(plan.actions).includes('rename-session'));
    assert.ok(!kinds(plan.actions).includes('switch-client'));
  });

  it('never replaces it without facts about it', () => {
    const plan = planRestore(saved, { snapshot: fresh('main'), clients: [] }, environment);
    assert.equal(plan.bootstrapRemoval, undefined);
  });
});

describe('planRestore of a saved session whose name a different live session holds', () => {
  // The save of session "0": a two-pane window 0 and a window 1.
  const savedZero = snapshot({
    activeSession: '0',
    sessions: [
      session({
        id: '$1',
        name: '0',
        windows: [splitWindow(0), window({ id: '@1', index: 1, name: 'one' })],
      }),
    ],
  });
  // The shell `continuum restore` was typed into: session "0", one window, one pane, running node.
  const busyZero = (): Snapshot => {
    const state = fresh('0');
    state.sessions[0]!.windows[0]!.name = 'node';
    state.sessions[0]!.windows[0]!.panes[0]!.program = { argv: ['node', 'continuum', 'restore'] };
    return state;
  };

  it('moves a lone live session aside (kept) and restores the saved one exactly', () => {
    const clients = [{ name: '/dev/pts/1', session: '0', activity: 10 }];
    const plan = planRestore(savedZero, live(busyZero(), clients), environment);
    assert.deepEqual(plan.actions[0], {
      kind: 'rename-session',
      from: '0',
      to: '0-1',
      purpose: 'move-aside',
    });
    assert.deepEqual(plan.movedAside, [{ from: '0', to: '0-1' }]);
    assert.deepEqual(plan.sessionsCreated, ['0']);
    assert.equal(plan.windowsCreated, 2);
    assert.deepEqual(plan.placedElsewhere, []);
    assert.equal(plan.bootstrapRemoval, undefined);
    assert.ok(!kinds(plan.actions).includes('kill-session'));
    assert.deepEqual(
      plan.actions.filter((action) => action.kind === 'switch-client'),
      [{ kind: 'switch-client', client: '/dev/pts/1', session: '0' }],
    );
  });

  it('plans nothing the second time: the restored session and the moved one are left as they are', () => {
    const after = snapshot({
      sessions: [...savedZero.sessions, { ...busyZero().sessions[0]!, id: '$0', name: '0-1' }],
    });
    const plan = planRestore(savedZero, live(after), environment);
    assert.deepEqual(plan.actions, []);
  });

  it('puts the next reboot`s shell in the place of the one moved aside before: nothing piles up', () => {
    // The save made after the first restore: the restored "0" and the shell moved aside to "0-1".
    const savedAfter = snapshot({
      ...savedZero,
      sessions: [...savedZero.sessions, { ...busyZero().sessions[0]!, id: '$2', name: '0-1' }],
    });
    const plan = planRestore(savedAfter, live(busyZero()), environment);
    assert.deepEqual(plan.movedAside, [{ from: '0', to: '0-1' }]);
    assert.deepEqual(plan.sessionsCreated, ['0']);
    const after = snapshot({
      sessions: [...savedZero.sessions, { ...busyZero().sessions[0]!, id: '$0', name: '0-1' }],
    });
    assert.deepEqual(planRestore(savedAfter, live(after), environment).actions, []);
  });

  it('picks a free name to move it to', () => {
    const withTaken = snapshot({
      ...savedZero,
      sessions: [...savedZero.sessions, session({ id: '$2', name: '0-1' })],
    });
    const state = busyZero();
    state.sessions.push(session({ id: '$3', name: '0-2', windows: [splitWindow(0)] }));
    const plan = planRestore(withTaken, live(state), environment);
    assert.deepEqual(plan.movedAside, [{ from: '0', to: '0-3' }]);
  });

  it('places the saved windows of a bigger live session at the next free indexes', () => {
    const bigger = busyZero();
    bigger.sessions[0]!.windows.push(
      window({ id: '@5', index: 1, name: 'mine' }),
      window({ id: '@6', index: 2, name: 'also mine' }),
    );
    const plan = planRestore(savedZero, live(bigger), environment);
    assert.deepEqual(plan.movedAside, []);
    assert.deepEqual(plan.placedElsewhere, [
      { session: '0', windowName: 'w0', savedIndex: 0, index: 3 },
      { session: '0', windowName: 'one', savedIndex: 1, index: 4 },
    ]);
    assert.equal(plan.windowsCreated, 2);
    const createdAt = plan.actions.flatMap((action) =>
      action.kind === 'create-window' ? [action.address.windowIndex] : [],
    );
    assert.deepEqual(createdAt, [3, 4]);
    assert.ok(
      plan.actions.some(
        (action) =>
          action.kind === 'split-pane' && action.after.windowIndex === 3 && action.after.paneIndex === 0,
      ),
    );

    // After that restore, the placed copies are recognised: nothing is created again.
    const restored = busyZero();
    restored.sessions[0]!.windows.push(
      window({ id: '@5', index: 1, name: 'mine' }),
      window({ id: '@6', index: 2, name: 'also mine' }),
      { ...splitWindow(0), id: '@7', index: 3 },
      window({ id: '@8', index: 4, name: 'one' }),
    );
    assert.deepEqual(planRestore(savedZero, live(restored), environment).actions, []);
  });
});

describe('planRestore into a server that has some of it', () => {
  it('gives an existing session only its missing windows and touches no existing window', () => {
    const partial = snapshot({
      sessions: [
        session({ id: '$7', name: 'dev', windows: [splitWindow(0, 10, 11)] }),
        session({ id: '$8', name: 'notes' }),
        session({ id: '$9', name: 'dev2', windows: [window({ index: 3, name: 'three' })] }),
      ],
    });
    const plan = planRestore(saved, live(partial), environment);
    assert.deepEqual(plan.sessionsCreated, []);
    assert.equal(plan.windowsCreated, 1);
    const windowActions = plan.actions.filter((action) => 'address' in action);
    assert.ok(windowActions.length > 0);
    for (const action of windowActions) {
      const address = (action as { address: { session: string; windowIndex: number } }).address;
      assert.deepEqual([address.session, address.windowIndex], ['dev', 1], JSON.stringify(action));
    }
    assert.equal(plan.actions[0]!.kind, 'create-window');
    assert.ok(!kinds(plan.actions).includes('kill-session'));
  });

  it('plans nothing against the state it produces', () => {
    for (const state of [
      saved,
      fresh('0'),
      snapshot({ sessions: [session({ name: 'a', group: 'a' }), session({ name: 'b', group: 'a' })] }),
    ]) {
      // Sessions a restore produced are never the server's first ($0): that one was replaced.
      const plan = planRestore(state, live(state, [], { ...untouched, firstOfServer: false }), environment);
      assert.deepEqual(plan.actions, [], JSON.stringify(plan.actions));
    }
  });
});

describe('planRestore order and selection', () => {
  it('creates the active session last and the alternate just before it', () => {
    const many = snapshot({
      activeSession: 'b',
      alternateSession: 'c',
      sessions: ['b', 'a', 'c', 'd'].map((name, index) => session({ id: `$${index}`, name })),
    });
    const order = created(planRestore(many, live(fresh('boot')), environment).actions);
    assert.deepEqual(order.slice(-2), ['c', 'b']);
    assert.deepEqual([...order].sort(), ['a', 'b', 'c', 'd']);
  });

  it('selects the alternate window before the active one, so last-window goes back to it', () => {
    const windows = [0, 1, 2].map((index) =>
      window({ id: `@${index}`, index, active: index === 2, alternate: index === 0 }),
    );
    const plan = planRestore(
      snapshot({ sessions: [session({ name: 's', windows })] }),
      live(fresh('boot')),
      environment,
    );
    const selections = plan.actions.filter((action) => action.kind === 'select-window');
    assert.deepEqual(
      selections.map((action) => action.kind === 'select-window' && action.address.windowIndex),
      [0, 2],
    );
  });

  it('switches the most recent client to the alternate session, then the active one', () => {
    const clients = [
      { name: '/dev/pts/1', session: '0', activity: 10 },
      { name: '/dev/pts/2', session: '0', activity: 20 },
    ];
    const plan = planRestore(saved, live(fresh('0'), clients), environment);
    const switches = plan.actions.filter((action) => action.kind === 'switch-client');
    assert.deepEqual(switches, [
      { kind: 'switch-client', client: '/dev/pts/2', session: 'notes' },
      { kind: 'switch-client', client: '/dev/pts/2', session: 'dev' },
      // The other client was on the bootstrap session, which goes away: it follows to the active one.
      { kind: 'switch-client', client: '/dev/pts/1', session: 'dev' },
    ]);
    assert.equal(plan.bootstrapRemoval?.session, '0');
  });

  it('lands the most recent client in the saved active session; none without a client, or for `--session`', () => {
    const clients = [{ name: '/dev/pts/1', session: '0', activity: 10 }];
    assert.equal(planRestore(saved, live(fresh('0'), clients), environment).landingSession, 'dev');
    assert.equal(planRestore(saved, live(fresh('0')), environment).landingSession, undefined);
    const partial = planRestore(saved, live(fresh('0'), clients), { ...environment, partial: true });
    assert.equal(partial.landingSession, undefined);
  });

  it('names the landing session by its saved name when it is built under a temporary one', () => {
    const clients = [{ name: '/dev/pts/1', session: 'boot', activity: 10 }];
    const dollar = snapshot({ activeSession: '$x', sessions: [session({ name: '$x' })] });
    const plan = planRestore(dollar, live(fresh('boot'), clients), {
      ...environment,
      temporarySessionPrefix: 'continuum-restoring-7',
    });
    assert.equal(plan.landingSession, '$x');
    assert.deepEqual(
      plan.actions.filter((action) => action.kind === 'switch-client'),
      [{ kind: 'switch-client', client: '/dev/pts/1', session: 'continuum-restoring-7-1' }],
    );
  });

  it('zooms the active pane after the layout is set', () => {
    const zoomed = { ...splitWindow(0), zoomed: true };
    const plan = planRestore(
      snapshot({ sessions: [session({ name: 'z', windows: [zoomed] })] }),
      live(fresh('boot')),
      environment,
    );
    const layout = kinds(plan.actions).indexOf('set-layout');
    const zoom = plan.actions.findIndex((action) => action.kind === 'zoom-pane');
    assert.ok(layout >= 0 && zoom > layout);
    assert.deepEqual(plan.actions[zoom], {
      kind: 'zoom-pane',
      address: { session: 'z', windowIndex: 0, paneIndex: 1 },
    });
  });
});

describe('planRestore of grouped sessions', () => {
  const grouped = snapshot({
    sessions: [
      session({
        id: '$1',
        name: 'carrier',
        group: 'carrier',
        windows: [splitWindow(0), splitWindow(1, 2, 3)],
      }),
      session({
        id: '$2',
        name: 'viewer',
        group: 'carrier',
        windows: [splitWindow(0), splitWindow(1, 2, 3)],
      }),
    ],
  });

  it('creates the windows once and makes the other members join the carrier', () => {
    const plan = planRestore(grouped, live(fresh()), environment);
    assert.deepEqual(
      plan.actions
        .filter((action) => action.kind === 'create-session' || action.kind === 'join-group')
        .map((action) => [action.kind, action.session]),
      [
        ['create-session', 'carrier'],
        ['join-group', 'viewer'],
      ],
    );
    assert.deepEqual(
      plan.actions.find((action) => action.kind === 'join-group'),
      { kind: 'join-group', session: 'viewer', carrier: 'carrier' },
    );
    assert.equal(plan.actions.filter((action) => action.kind === 'create-window').length, 1);
  });

  it('joins a member that exists already in the live server', () => {
    const half = snapshot({
      sessions: [
        session({
          id: '$3',
          name: 'carrier',
          group: 'carrier',
          windows: [splitWindow(0), splitWindow(1, 2, 3)],
        }),
        session({ id: '$4', name: 'x' }),
      ],
    });
    const plan = planRestore(grouped, live(half), environment);
    assert.deepEqual(
      plan.actions.filter((action) => action.kind !== 'select-window'),
      [{ kind: 'join-group', session: 'viewer', carrier: 'carrier' }],
    );
  });
});

describe('planRestore with base-index and pane-base-index', () => {
  const oneBased = snapshot({
    sessions: [
      session({
        name: 'one',
        baseIndex: 1,
        windows: [1, 2].map((index) => ({
          ...splitWindow(index, index * 2, index * 2 + 1),
          paneBaseIndex: 1,
          panes: [pane({ index: 1, active: false }), pane({ index: 2, active: true })],
        })),
      }),
    ],
  });

  it('moves the first window to the saved index and sets the options the server lacks', () => {
    const plan = planRestore(oneBased, live(fresh('0', 0, 0)), environment);
    const create = plan.actions.find((action) => action.kind === 'create-session');
    assert.ok(create && create.kind === 'create-session');
    assert.equal(create.initialWindowIndex, 0);
    assert.equal(create.windowIndex, 1);
    assert.deepEqual(commandsFor(create, { name: 'tmux', version: '3.3a' })[1], [
      'move-window',
      '-s',
      '=one:0',
      '-t',
      '=one:1',
    ]);
    assert.ok(
      plan.actions.some(
        (action) =>
          action.kind === 'set-session-option' && action.name === 'base-index' && action.value === '1',
      ),
    );
    const paneOptions = plan.actions.filter(
      (action) => action.kind === 'set-window-option' && action.name === 'pane-base-index',
    );
    assert.equal(paneOptions.length, 2);
    // Splits and the active pane are addressed by the saved (1-based) pane indexes.
    assert.deepEqual(
      plan.actions
        .filter((action) => action.kind === 'split-pane')
        .map((action) => action.kind === 'split-pane' && action.after.paneIndex),
      [1, 1],
    );
    assert.ok(plan.actions.some((action) => action.kind === 'select-pane' && action.address.paneIndex === 2));
  });

  it('sets nothing extra when the server already uses the saved indexes', () => {
    const plan = planRestore(oneBased, live(fresh('0', 1, 1)), environment);
    const create = plan.actions.find((action) => action.kind === 'create-session');
    assert.ok(create && create.kind === 'create-session');
    assert.equal(create.initialWindowIndex, 1);
    assert.equal(commandsFor(create, { name: 'tmux', version: '3.3a' }).length, 1);
    assert.ok(
      !plan.actions.some((action) => action.kind === 'set-session-option' && action.name === 'base-index'),
    );
    assert.ok(
      !plan.actions.some(
        (action) => action.kind === 'set-window-option' && action.name === 'pane-base-index',
      ),
    );
  });
});

describe('planRestore of a missing working directory', () => {
  it('starts the pane in the home directory and warns, naming the pane', () => {
    const gone = snapshot({
      sessions: [
        session({
          name: 'proj x',
          windows: [
            { ...splitWindow(2), panes: [pane({ index: 0 }), pane({ index: 1, cwd: '/gone/away' })] },
          ],
        }),
      ],
    });
    const plan = planRestore(gone, live(fresh()), environment);
    const split = plan.actions.find((action) => action.kind === 'split-pane');
    assert.ok(split && split.kind === 'split-pane');
    assert.equal(split.cwd, '/home/user');
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0]!, /pane "proj x":2\.1/);
    assert.match(plan.warnings[0]!, /\/gone\/away/);
    assert.match(plan.warnings[0]!, /\/home\/user/);
  });
});

describe('planRestore with session names tmux reads as ids', () => {
  const dollar = snapshot({
    activeSession: '$1 cash',
    sessions: [session({ id: '$4', name: '$1 cash', windows: [splitWindow(0), window({ index: 1 })] })],
  });

  it('builds a created one under a temporary name and renames it after everything else', () => {
    const plan = planRestore(dollar, live(fresh()), { ...environment, temporarySessionPrefix: 'tmp' });
    assert.deepEqual(created(plan.actions), ['tmp-1']);
    assert.ok(plan.actions.every((action) => !JSON.stringify(action).includes('$1 cash')));
    assert.ok(plan.panesCreated.every(({ address }) => address.session === 'tmp-1'));
    assert.deepEqual(plan.finalActions, [
      { kind: 'rename-session', from: 'tmp-1', to: '$1 cash', purpose: 'final-name' },
    ]);
  });

  it('addresses an existing one by its id', () => {
    const existing = snapshot({
      sessions: [
        session({ id: '$9', name: '$1 cash', windows: [splitWindow(0)] }),
        session({ id: '$8', name: 'other' }),
      ],
    });
    const plan = planRestore(dollar, live(existing), environment);
    assert.deepEqual(plan.finalActions, []);
    const createWindow = plan.actions.find((action) => action.kind === 'create-window');
    assert.deepEqual(createWindow?.kind === 'create-window' && createWindow.address, {
      session: '$9',
      windowIndex: 1,
    });
  });
});
