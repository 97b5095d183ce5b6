import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MuxClient } from '../../../src/mux/mux-client.js';
import { tmuxDialect } from '../../../src/mux/tmux-dialect.js';
import type { RestoreAction } from '../../../src/restore/actions.js';
import { restoreWorkflow } from '../../../src/restore/restore-workflow.js';
import type { RestoreDependencies } from '../../../src/restore/workflow/dependencies.js';
import { planPreparedRestore } from '../../../src/restore/workflow/plan-step.js';
import { prepareRestore } from '../../../src/restore/workflow/prepare.js';
import type { RestoreProgress } from '../../../src/restore/workflow/request.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import type { ServerCapture } from '../../../src/snapshot/capture.js';
import type { Snapshot } from '../../../src/snapshot/schema.js';
import { defaultRetention } from '../../../src/store/retention.js';
import { SaveStore } from '../../../src/store/save-store.js';
import { pane, session, snapshot, window } from '../../support/snapshots.js';

/**
 * The workflow driven without a server: its own collaborators (capture, apply, lease, hooks,
 * clock, process) are replaced by fakes that record what the workflow asks of them. What tmux does
 * with the actions is the integration tests' (restore*.test.ts, round-trip.test.ts).
 */

const identity = namedServerIdentity('workflow-test');
const markerValue = '4242 99';

/** The live server: one session of two windows (so no fresh session to replace) and one client in it. */
const liveSnapshot: Snapshot = snapshot({
  server: { pid: 1, startTime: 1795522571, socketPath: '/tmp/tmux-test/workflow-test' },
  sessions: [
    session({
      id: '$3',
      name: 'scratch',
      windows: [window({ id: '@1', index: 0 }), window({ id: '@2', index: 1, active: false })],
    }),
  ],
});

/** The save: `web` is active, `api` alternate; plan order creates `docs` first and `web` last. */
const savedSnapshot: Snapshot = snapshot({
  activeSession: 'web',
  alternateSession: 'api',
  sessions: ['docs', 'api', 'web'].map((name, position) =>
    session({
      id: `$${position}`,
      name,
      windows: [window({ id: `@${position}`, name, panes: [pane({ id: `%${position}`, cwd: '/tmp' })] })],
    }),
  ),
});

interface Fakes {
  readonly dependencies: RestoreDependencies;
  /** Everything the workflow did, in order: lease, hooks, batches (the sessions each created). */
  readonly events: string[];
  readonly progress: RestoreProgress[];
  /** The commands run one at a time (marker, list-sessions). */
  readonly runs: (readonly string[])[];
}

function fakes(
  directory: string,
  options: {
    readonly hookOptions?: ReadonlyMap<string, string>;
    readonly failApply?: boolean;
    readonly leaseTaken?: boolean;
  } = {},
): Fakes {
  const events: string[] = [];
  const progress: RestoreProgress[] = [];
  const runs: (readonly string[])[] = [];
  const liveSessions = ['scratch', 'docs', 'api', 'web'];
  const mux = {
    binary: 'tmux',
    server: { kind: 'socket-name', name: 'workflow-test' },
    dialect: tmuxDialect,
    invocationCount: 0,
    describeServer: () => 'the tmux server "workflow-test"',
    run: async (command: readonly string[]) => {
      runs.push(command);
      if (command[0] !== 'list-sessions') return '';
      const format = command[2]!;
      return liveSessions.map((name) => format.replace('#{q:session_name}', name)).join('\n');
    },
    runCommands: async () => {
      throw new Error('no command batch is expected: the live server has no fresh session to inspect');
    },
    runScript: async () => {
      throw new Error('actions go through applyActions');
    },
    readGlobalOptions: async () => new Map(),
    readServerFormat: async () => '',
  } as unknown as MuxClient;
  let milliseconds = 1000;
  const capture: ServerCapture = {
    snapshot: liveSnapshot,
    clients: [{ name: '/dev/pts/7', session: 'scratch', activity: 100 }],
    panes: new Map(),
    options: options.hookOptions ?? new Map(),
    warnings: [],
  };
  const dependencies: RestoreDependencies = {
    mux,
    inspectPrograms: async () => {
      throw new Error('the capture is faked');
    },
    now: () => new Date('2026-12-04T12:00:00Z'),
    paths: { environment: {}, platform: 'linux', home: directory },
    directoryExists: () => true,
    storeOptionNames: [],
    store: async () => new SaveStore(join(directory, 'saves'), identity),
    serverIdentity: identity,
    clock: () => {
      milliseconds += 10;
      return milliseconds;
    },
    acquireLease: async (server) => {
      events.push(`acquire ${server.tag === identity.tag ? 'this server' : server.tag}`);
      if (options.leaseTaken) return undefined;
      return {
        release: async () => {
          events.push('release');
        },
      };
    },
    runHook: async (point) => {
      events.push(`hook ${point}`);
    },
    processId: 4242,
    restoringMarkerValue: async () => markerValue,
    paneRunsJobs: async () => false,
    captureServer: async () => {
      events.push('capture');
      return capture;
    },
    applyActions: async (_mux, actions: readonly RestoreAction[]) => {
      const created = actions.flatMap((action) => (action.kind === 'create-session' ? [action.session] : []));
      events.push(`apply ${created.join(' ')}`.trim());
      if (options.failApply) throw new Error('tmux went away');
      return { errors: [] };
    },
  };
  return { dependencies, events, progress, runs };
}

describe('the restore workflow', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-workflow-'));
    await new SaveStore(join(directory, 'saves'), identity).write(
      savedSnapshot,
      defaultRetention,
      new Date('2026-12-04T11:00:00Z'),
    );
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prepares with this process naming the temporary sessions, and plans the client into the active session', async () => {
    const { dependencies } = fakes(directory);
    const prepared = await prepareRestore(dependencies, {}, () => undefined);
    assert.equal(prepared.kind, 'prepared');
    if (prepared.kind !== 'prepared') return;
    assert.equal(prepared.planEnvironment.bootstrapParkingName, 'continuum-bootstrap-4242');
    assert.equal(prepared.planEnvironment.temporarySessionPrefix, 'continuum-restoring-4242');
    assert.equal(prepared.planEnvironment.partial, false);
    const { plan } = planPreparedRestore(prepared, () => undefined);
    assert.equal(plan.landingSession, 'web');
    assert.deepEqual(plan.sessionsCreated, ['docs', 'api', 'web']);
  });

  it('takes the lease, builds the landing session first, runs the hooks in order and releases the lease', async () => {
    const { dependencies, events, progress } = fakes(directory, {
      hookOptions: new Map([['@resurrect-hook-pre-restore-pane-processes', 'true']]),
    });
    const outcome = await restoreWorkflow(dependencies, {
      sessionsPerBatch: 1,
      progress: (event) => {
        progress.push(event);
      },
    });
    assert.deepEqual(events, [
      'acquire this server',
      'capture',
      'hook pre-restore-all',
      'apply web',
      'apply docs',
      'apply api',
      'hook pre-restore-pane-processes',
      // The programs and final renames after that hook: none in this save.
      'apply',
      'hook post-restore-all',
      'release',
    ]);
    assert.deepEqual(
      progress
        .filter((event) => event.kind === 'landed')
        .map((event) => event.kind === 'landed' && event.session),
      ['web'],
    );
    assert.equal(outcome.kind, 'restored');
    if (outcome.kind !== 'restored') return;
    assert.deepEqual(outcome.created, ['docs', 'api', 'web']);
    assert.deepEqual(outcome.alreadyPresent, []);
    assert.deepEqual(outcome.failures, []);
  });

  it('on a failed batch, clears its own restoring marker and releases the lease', async () => {
    const { dependencies, events, runs } = fakes(directory, { failApply: true });
    // The landing session's batch comes first and fails: nothing after it runs.
    await assert.rejects(restoreWorkflow(dependencies, {}), /tmux went away/);
    assert.deepEqual(events, [
      'acquire this server',
      'capture',
      'hook pre-restore-all',
      'apply web',
      'release',
    ]);
    assert.deepEqual(runs, [
      ['if-shell', '-F', '#{==:#{@continuum-restoring},4242 99}', 'set-option -gu @continuum-restoring'],
    ]);
  });

  it('refuses while another restore holds the lease, before reading the server', async () => {
    const { dependencies, events } = fakes(directory, { leaseTaken: true });
    await assert.rejects(
      restoreWorkflow(dependencies, {}),
      /another restore into the tmux server "workflow-test"/,
    );
    assert.deepEqual(events, ['acquire this server']);
  });

  it('plans without the lease, the hooks or any batch on a dry run', async () => {
    const { dependencies, events } = fakes(directory);
    const outcome = await restoreWorkflow(dependencies, { dryRun: true });
    assert.equal(outcome.kind, 'planned');
    assert.deepEqual(events, ['capture']);
  });
});
