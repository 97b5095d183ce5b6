// Regenerates layouts-tmux.txt from a real tmux server on a private socket:
//   node test/support/recorded/generate-layouts.mjs
// Each line is `PANES<tab>WIDTHxHEIGHT<tab>#{window_layout}` for one window, as tmux wrote it.
// The output is committed so the layout validator's unit test checks what tmux really writes.
// tmux 3.8 writes the JSON form; its fixture is made with the same windows:
//   PATH=/root/.cache/continuum/tmux-matrix/3.8/bin:$PATH node test/support/recorded/generate-layouts.mjs layouts-tmux-3.8.txt
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'continuum-fixture-'));
const environment = {
  ...process.env,
  HOME: root,
  TMUX_TMPDIR: join(root, 'tmux'),
  SHELL: '/bin/sh',
  ENV: '',
};
delete environment.TMUX;
mkdirSync(join(root, 'tmux'), { recursive: true });
const tmux = (...args) =>
  execFileSync('tmux', ['-L', `continuum-fixture-${process.pid}`, '-f', '/dev/null', ...args], {
    env: environment,
    encoding: 'utf8',
  });
const split = (target, ...flags) => tmux('split-window', '-d', '-t', target, ...flags);
try {
  tmux('new-session', '-d', '-s', 'f', '-x', '80', '-y', '24');
  // 1: one pane.
  tmux('new-window', '-d', '-t', 'f:1');
  split('f:1', '-h');
  // 2: left-right split.
  tmux('new-window', '-d', '-t', 'f:2');
  split('f:2', '-v');
  split('f:2.1', '-h');
  // 3: top-bottom with a left-right inside.
  tmux('new-window', '-d', '-t', 'f:3');
  split('f:3', '-h');
  split('f:3.0', '-v');
  split('f:3.1', '-h');
  split('f:3.3', '-v');
  split('f:3.2', '-v');
  // 4: four levels of nesting.
  tmux('new-window', '-d', '-t', 'f:4');
  for (let pane = 0; pane < 6; pane++) {
    split('f:4.0', '-h');
    tmux('select-layout', '-t', 'f:4', 'tiled');
  }
  // 5: tiled with seven panes.
  tmux('new-window', '-d', '-t', 'f:5');
  for (let pane = 0; pane < 4; pane++) split('f:5.0', '-v');
  tmux('select-layout', '-t', 'f:5', 'main-vertical');
  // 6: main-vertical.
  tmux('new-window', '-d', '-t', 'f:6');
  split('f:6', '-h');
  split('f:6.1', '-v');
  tmux('resize-pane', '-Z', '-t', 'f:6.2');
  // 7: zoomed: window_layout is the layout under the zoom.
  tmux('new-session', '-d', '-s', 'big', '-x', '400', '-y', '120');
  split('big:0', '-h');
  split('big:0.1', '-h');
  split('big:0.1', '-v', '-l', '3');
  split('big:0.0', '-v');
  // big:0: a wide window with uneven sizes.
  tmux('new-session', '-d', '-s', 'small', '-x', '12', '-y', '7');
  for (let pane = 0; pane < 8; pane++) {
    split('small:0.0', '-h');
    tmux('select-layout', '-t', 'small:0', 'tiled');
  }
  // small:0: many panes in a small window, some one cell wide.
  const lines = tmux(
    'list-windows',
    '-a',
    '-F',
    '#{window_panes}\t#{window_width}x#{window_height}\t#{window_layout}',
  );
  writeFileSync(new URL(`./${process.argv[2] ?? 'layouts-tmux.txt'}`, import.meta.url), lines);
} finally {
  tmux('kill-server');
  rmSync(root, { recursive: true, force: true });
}
