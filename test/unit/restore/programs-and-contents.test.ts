import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { preparePaneContents } from '../../../src/restore/programs-and-contents.js';
import { encodePaneContents } from '../../../src/store/pane-contents-file.js';
import { pane, session, snapshot, window } from '../../support/snapshots.js';

describe('saved pane text at restore', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-contents-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** A save of one window: a shell pane `%0` and a Claude Code pane `%1`, both with saved text. */
  async function saveWithAgentPane(): Promise<{ path: string; snapshot: ReturnType<typeof snapshot> }> {
    await writeFile(
      join(directory, 'save.contents.json.gz'),
      await encodePaneContents(
        new Map([
          ['%0', '$ make test\nall passed\n'],
          ['%1', '╭ Claude Code ╮\n> the agent’s own screen\n'],
        ]),
      ),
    );
    const agentPane = pane({
      id: '%1',
      index: 1,
      active: false,
      currentCommand: 'claude',
      program: { argv: ['claude'] },
      agent: {
        name: 'claude',
        program: ['claude'],
        arguments: [],
        dropped: [],
        environment: {},
        session: { id: '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01', file: '/s/a.jsonl', decidedBy: 'x' },
      },
    });
    const saved = snapshot({
      sessions: [session({ windows: [window({ panes: [pane(), agentPane] })] })],
      paneContents: { file: 'save.contents.json.gz', digest: 'd' },
    });
    return { path: join(directory, 'save.json'), snapshot: saved };
  }

  const contentsOn = new Map([['@resurrect-capture-pane-contents', 'on']]);

  it("is shown again in a shell pane, never in a pane whose agent is resumed (its screen is the agent's UI)", async () => {
    const warnings: string[] = [];
    const copies = await preparePaneContents(
      await saveWithAgentPane(),
      contentsOn,
      join(directory, 'copies'),
      (line) => warnings.push(line),
    );
    assert.deepEqual(warnings, []);
    assert.ok(copies, 'contents are prepared');
    assert.match(copies.launchFor('%0')?.description ?? '', /showing its 2 saved line\(s\) first/);
    assert.equal(copies.launchFor('%1'), undefined);
  });

  it('is shown again in the pane of an agent that is not resumed (@continuum-agents off)', async () => {
    const options = new Map([...contentsOn, ['@continuum-agents', 'off']]);
    const copies = await preparePaneContents(
      await saveWithAgentPane(),
      options,
      join(directory, 'copies'),
      () => {},
    );
    assert.match(copies?.launchFor('%1')?.description ?? '', /showing its 2 saved line\(s\) first/);
  });
});
