import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TmuxClient } from '../../src/mux/mux-client.js';
import { inspectForegroundPrograms } from '../../src/platform/foreground-process.js';
import { captureServer, type ServerCapture } from '../../src/snapshot/capture.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { run, type TestServer, waitFor } from './tmux-server.js';

/** A client of the product's own tmux layer, on the test server's socket and environment. */
export function muxFor(server: TestServer): TmuxClient {
  return new TmuxClient({
    server: { kind: 'socket-name', name: server.socketName },
    environment: server.environment,
  });
}

/** The live server as `continuum save` would see it. */
export function captureLive(server: TestServer): Promise<ServerCapture> {
  return captureServer({
    mux: muxFor(server),
    inspectPrograms: inspectForegroundPrograms(),
    now: () => new Date(),
  });
}

export async function captureSnapshot(server: TestServer): Promise<Snapshot> {
  return (await captureLive(server)).snapshot;
}

/**
 * Starts the server as a user's `tmux` would: a config file first (global options such as
 * base-index apply to the very first session), then one detached session named "0".
 */
export async function startWithConfig(server: TestServer, configLines: readonly string[]): Promise<void> {
  const config = join(server.root, 'tmux.conf');
  await writeFile(config, `${configLines.join('\n')}\n`);
  let failure = '';
  // Right after kill-server the old server may still be exiting on the same socket: retry until
  // the new one answers.
  await waitFor(
    async () => {
      const result = await run(
        'tmux',
        ['-L', server.socketName, '-f', config, 'new-session', '-d', '-s', '0'],
        server.environment,
      );
      failure = result.stderr;
      if (result.code !== 0 && !/server exited unexpectedly|lost server/.test(result.stderr))
        throw new Error(`cannot start tmux: ${result.stderr}`);
      return result.code === 0;
    },
    5000,
    `a fresh tmux server (${failure})`,
  );
}

/** Every session's windows and panes with their ids, to prove a second restore touched nothing. */
export async function listIds(server: TestServer): Promise<string> {
  return server.tmux(
    'list-panes',
    '-a',
    '-F',
    '#{session_id} #{window_id} #{pane_id} #{window_index}.#{pane_index}',
  );
}

export interface ControlClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** The client's tty name as tmux reports it (`client_name`). */
  readonly name: string;
  /** Sends one command line to the control client (as typed at a tmux prompt). */
  send(command: string): void;
  close(): Promise<void>;
}

/**
 * A control-mode client (`tmux -C attach`): a real attached client without a terminal. Its stdin
 * stays open for as long as the test needs it attached; `close()` kills it by its PID.
 */
export async function attachControlClient(server: TestServer, target?: string): Promise<ControlClient> {
  const before = new Set((await server.tmux('list-clients', '-F', '#{client_name}')).split('\n'));
  const args = ['-L', server.socketName, '-C', 'attach', ...(target === undefined ? [] : ['-t', target])];
  const child = spawn('tmux', args, { env: server.environment, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  let name = '';
  await waitFor(
    async () => {
      const now = (await server.tmux('list-clients', '-F', '#{client_name}')).split('\n').filter(Boolean);
      name = now.find((client) => !before.has(client)) ?? '';
      return name !== '';
    },
    5000,
    'the control client to attach',
  );
  return {
    child,
    name,
    send: (command) => child.stdin.write(`${command}\n`),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The session a client is on and its last session, as tmux reports them. */
export async function clientSessions(server: TestServer, clientName: string): Promise<[string, string]> {
  // Two lines, not a control byte between them: tmux 3.4 and 3.5a print control bytes as `\037`.
  const output = await server.tmux(
    'display-message',
    '-p',
    '-c',
    clientName,
    '#{client_session}\n#{client_last_session}',
  );
  const [session = '', last = ''] = output.replace(/\n$/, '').split('\n');
  return [session, last];
}
