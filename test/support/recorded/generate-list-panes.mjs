// Regenerates list-panes-tmux.txt from a real tmux server (run after `npm run compile-tests`):
//   node test/support/recorded/generate-list-panes.mjs
// or the fixture of another tmux (tmux 3.5a prints control bytes escaped):
//   PATH=/root/.cache/continuum/tmux-matrix/3.5a/bin:$PATH node test/support/recorded/generate-list-panes.mjs list-panes-tmux-3.5a.txt
// The output is committed so the parser's unit test runs on what tmux really prints.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureCommands } from '../../../build/src/snapshot/capture.js';

/** Fixed markers (formats.test.ts parses with the same), where the product draws a nonce per call. */
const markers = {
  start: '<0123456789abcdef',
  field: '|0123456789abcdef',
  end: '>0123456789abcdef',
  quoted: true,
};

const root = mkdtempSync(join(tmpdir(), 'continuum-fixture-'));
const home = join(root, 'home');
const environment = {
  ...process.env,
  HOME: home,
  TMUX_TMPDIR: join(root, 'tmux'),
  SHELL: '/bin/sh',
  ENV: '',
};
delete environment.TMUX;
mkdirSync(join(root, 'tmux'), { recursive: true });
const spaced = join(home, 'dir with space', 'ünï');
const controls = join(home, 'tab\there\nnewline');
// The bytes the old fixed separators used: tmux reports a directory exactly as the kernel does.
const separators = join(home, 'us\x1fand rs\x1e');
// A backslash before what tmux 3.4 and 3.5 print as escapes, DEL, ESC and shell metacharacters.
const backslashes = join(home, 'back\\slash \\035 \\n del\x7f esc\x1b |<>%; end');
mkdirSync(spaced, { recursive: true });
mkdirSync(controls, { recursive: true });
mkdirSync(separators, { recursive: true });
mkdirSync(backslashes, { recursive: true });
const tmux = (...args) =>
  execFileSync('tmux', ['-u', '-L', 'continuum-fixture', '-f', '/dev/null', ...args], {
    env: environment,
    encoding: 'utf8',
  });
try {
  tmux('new-session', '-d', '-s', 'work space', '-n', 'editor', '-x', '120', '-y', '40', '-c', spaced);
  tmux('split-window', '-h', '-t', '=work space:0', '-c', controls);
  // tmux 3.3a refuses a title with control characters (screen_set_title checks utf8_isvalid), so
  // this pane keeps its default title; the tab and newline reach the parser through the directory.
  tmux('select-pane', '-t', '=work space:0.1', '-T', 'tab\there\nnewline');
  tmux('select-pane', '-t', '=work space:0.0', '-T', '## hash # and  spaces');
  tmux('new-window', '-t', '=work space:', '-n', 'logs ✓ #W', '-c', '/tmp');
  tmux('split-window', '-v', '-t', '=work space:1');
  tmux('resize-pane', '-Z', '-t', '=work space:1.0');
  tmux('new-session', '-d', '-s', '2nd', '-t', '=work space');
  tmux('new-session', '-d', '-s', 'solo 😀', '-c', home);
  // new-window -n keeps control bytes in a window name (rename-window would escape them).
  tmux('new-window', '-t', '=solo 😀:', '-n', 'win\x1fdow\x1e', '-c', separators);
  tmux('new-window', '-t', '=solo 😀:', '-n', 'back\\slash \\035\x7f', '-c', backslashes);
  writeFileSync(
    new URL(`./${process.argv[2] ?? 'list-panes-tmux.txt'}`, import.meta.url),
    tmux(...captureCommands([], markers)[0]),
  );
} finally {
  tmux('kill-server');
  rmSync(root, { recursive: true, force: true });
}
