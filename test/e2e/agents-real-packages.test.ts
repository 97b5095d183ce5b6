import assert from 'node:assert/strict';
import { access, constants, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestServer, waitFor } from '../support/tmux-server.js';

/**
 * The agents' real npm packages, not stand-ins: Gemini CLI and Copilot CLI both start offline and
 * without a login, write their session state at start, and wait at their prompt, which is all a
 * save needs. CONTINUUM_TEST_AGENT_PACKAGES names a node_modules holding them:
 *
 *   npm install --prefix DIR @google/gemini-cli @github/copilot
 *   CONTINUUM_TEST_AGENT_PACKAGES=DIR/node_modules node --test build/test/e2e/agents-real-packages.test.js
 *
 * `.github/workflows/agents.yml` does this (with CONTINUUM_REQUIRE_AGENT_PACKAGES=1, so a missing
 * package fails there); .ci/run does not (about 290 MB), and the test is skipped, naming why.
 */
const packages = process.env.CONTINUUM_TEST_AGENT_PACKAGES ?? '';
const bin = (name: string): string => join(packages, '.bin', name);

async function missingPackages(): Promise<string | false> {
  if (packages === '')
    return 'CONTINUUM_TEST_AGENT_PACKAGES names no node_modules with @google/gemini-cli and @github/copilot';
  for (const name of ['gemini', 'copilot']) {
    try {
      await access(bin(name), constants.X_OK);
    } catch {
      return `no ${name} in ${join(packages, '.bin')} (npm install @google/gemini-cli @github/copilot there)`;
    }
  }
  return false;
}

const missing = await missingPackages();
// The agents workflow sets CONTINUUM_REQUIRE_AGENT_PACKAGES: there a missing package is a failure.
if (missing && process.env.CONTINUUM_REQUIRE_AGENT_PACKAGES === '1')
  throw new Error(`CONTINUUM_REQUIRE_AGENT_PACKAGES is set but ${missing}`);
const skip = missing;

interface SavedAgent {
  readonly name: string;
  readonly session?: { readonly id: string };
  readonly problem?: string;
}

/** The agent each pane's save names, by window index, read from `show --json`. */
async function savedAgents(server: TestServer): Promise<Map<number, SavedAgent | undefined>> {
  const shown = await server.cli('show', '--json');
  assert.equal(shown.code, 0, shown.stderr);
  const parsed = JSON.parse(shown.stdout) as {
    sessions: { windows: { index: number; panes: { agent?: SavedAgent }[] }[] }[];
  };
  return new Map(
    parsed.sessions.flatMap((session) =>
      session.windows.map((window) => [window.index, window.panes[0]?.agent]),
    ),
  );
}

/** What the pane runs now: the argv of the shell's children, one line each. */
async function childrenOfPane(server: TestServer, target: string): Promise<string> {
  const pid = (await server.tmux('display-message', '-p', '-t', target, '#{pane_pid}')).trim();
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/);
  const lines: string[] = [];
  for (const child of children.filter(Boolean)) {
    const cmdline = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
    lines.push(cmdline.split('\0').filter(Boolean).join(' '));
  }
  return lines.join('\n');
}

describe('the real Gemini CLI and Copilot CLI packages from npm', { skip }, () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.create();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('are recognised by a save, Gemini with the session it wrote, and a restore starts neither without one', async () => {
    const project = join(server.home, 'project');
    await mkdir(project, { recursive: true });
    await server.start('0', '-c', project);
    await server.tmux('new-window', '-d', '-t', '=0:1', '-c', project);
    await server.tmux('send-keys', '-t', '=0:0.0', '-l', `${bin('gemini')}`);
    await server.tmux('send-keys', '-t', '=0:0.0', 'Enter');
    await server.tmux('send-keys', '-t', '=0:1.0', '-l', `${bin('copilot')}`);
    await server.tmux('send-keys', '-t', '=0:1.0', 'Enter');

    // Each writes its own session state when it starts: Gemini a chat file, Copilot a folder.
    const geminiChats = join(server.home, '.gemini', 'tmp');
    const chatFile = async (): Promise<string | undefined> => {
      for (const project of await readdir(geminiChats).catch(() => [])) {
        const chats = join(geminiChats, project, 'chats');
        const [file] = (await readdir(chats).catch(() => [])).filter((name) => name.endsWith('.jsonl'));
        if (file) return join(chats, file);
      }
      return undefined;
    };
    await waitFor(async () => (await chatFile()) !== undefined, 60_000, 'Gemini CLI to write its chat file');
    await waitFor(
      async () =>
        (await readdir(join(server.home, '.copilot', 'session-state')).catch(() => [])).some((name) =>
          /^[0-9a-f-]{36}$/.test(name),
        ),
      60_000,
      'Copilot CLI to write its session folder',
    );
    // The id as Gemini itself wrote it, on the first line of its chat file.
    const firstLine = (await readFile((await chatFile())!, 'utf8')).split('\n')[0]!;
    const geminiSession = (JSON.parse(firstLine) as { sessionId: string }).sessionId;

    const saved = await server.cli('save');
    assert.equal(saved.code, 0, saved.stderr);
    const agents = await savedAgents(server);
    assert.equal(agents.get(0)?.name, 'gemini');
    assert.equal(agents.get(0)?.session?.id, geminiSession);
    assert.equal(agents.get(1)?.name, 'copilot');
    // Copilot 1.0.102 writes events.jsonl only at the first message, and `--resume=ID` refuses a
    // session without one: the save says there is none rather than naming one that cannot resume.
    assert.equal(agents.get(1)?.session, undefined);
    assert.match(agents.get(1)?.problem ?? '', /no session/);

    await server.kill();
    await server.start('0', '-c', project);
    const restored = await server.cli('restore');
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    // Gemini removes a chat with no message when it exits; Copilot's session was never resumable.
    // Neither is started: each command is left at its prompt, and the restore says so.
    assert.match(restored.stderr, /Gemini CLI is not started/);
    assert.match(restored.stderr, /GitHub Copilot CLI/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(await childrenOfPane(server, '=0:0.0'), '');
    assert.equal(await childrenOfPane(server, '=0:1.0'), '');
  });
});
