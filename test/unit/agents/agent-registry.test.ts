import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recognisePane } from '../../../src/agents/agent-capture.js';
import { recogniseAgent } from '../../../src/agents/agent-registry.js';
import { reportedProgram } from '../../../src/snapshot/reported-program.js';
import type { PaneSnapshot } from '../../../src/snapshot/schema.js';

const idA = '0f8e2f3a-6a51-4d8e-9c1e-2b7d4c1a9e01';

describe('agents are recognised however they were installed', () => {
  it('native executables, Homebrew paths, npm scripts run by node and npm bin links', () => {
    const cases: [string[], string, string[]][] = [
      [['claude', '--model', 'opus'], 'claude', ['claude']],
      [['/home/u/.local/bin/claude'], 'claude', ['/home/u/.local/bin/claude']],
      [['/opt/homebrew/bin/codex'], 'codex', ['/opt/homebrew/bin/codex']],
      [
        ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', '-c'],
        'claude',
        ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'],
      ],
      [
        ['/usr/bin/node', '--no-warnings', '/usr/local/lib/node_modules/@openai/codex/bin/codex.js'],
        'codex',
        ['/usr/bin/node', '--no-warnings', '/usr/local/lib/node_modules/@openai/codex/bin/codex.js'],
      ],
      [
        ['node', '/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js'],
        'gemini',
        ['node', '/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js'],
      ],
      [
        ['node', '/usr/lib/node_modules/@github/copilot/npm-loader.js'],
        'copilot',
        ['node', '/usr/lib/node_modules/@github/copilot/npm-loader.js'],
      ],
      // A `#!/usr/bin/env node` script gets the path it was run by: the bin link.
      [['node', '/usr/local/bin/gemini', '-m', 'x'], 'gemini', ['node', '/usr/local/bin/gemini']],
      [['opencode'], 'opencode', ['opencode']],
      [['python3', '/home/u/.local/bin/aider', 'a.py'], 'aider', ['python3', '/home/u/.local/bin/aider']],
    ];
    for (const [argv, name, program] of cases) {
      const recognised = recogniseAgent(argv);
      assert.equal(recognised?.agent.name, name, argv.join(' '));
      assert.deepEqual(recognised?.program, program, argv.join(' '));
    }
    assert.equal(recogniseAgent(['vim', 'claude']), undefined);
    assert.equal(recogniseAgent(['node', 'server.js']), undefined);
  });

  it("a psmux pane: the reported executable name, with the shell integration's command line for the arguments", () => {
    const argv = reportedProgram('', 'C:\\Users\\u\\AppData\\Roaming\\npm\\claude.exe');
    assert.deepEqual(argv, ['claude']);
    const pane = {
      program: { argv: [...argv!] },
      shell: { name: 'pwsh', commandLine: `claude --resume ${idA} --model opus` },
    } as unknown as PaneSnapshot;
    const recognised = recognisePane(pane);
    assert.equal(recognised?.agent.name, 'claude');
    assert.deepEqual(recognised?.arguments, ['--resume', idA, '--model', 'opus']);
  });
});
