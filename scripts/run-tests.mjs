// Runs `node --test` with the given arguments against one chosen tmux, and says which one.
// With `--script FILE ARGS`, runs that node script instead (npm run bench).
//
//   CONTINUUM_TEST_TMUX=3.5a npm test                      a version from scripts/tmux-matrix.sh's cache
//   CONTINUUM_TEST_TMUX=/opt/tmux/bin/tmux npm test        any tmux binary
//   CONTINUUM_TEST_TMUX=3.8 npm run bench
//
// The tests, the CLI they run, the daemons it starts and every `run-shell` inside their servers
// all run `tmux` from PATH, so the chosen binary goes first on PATH for the whole run. Without
// CONTINUUM_TEST_TMUX the run uses the tmux already on PATH.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';

const chosen = process.env.CONTINUUM_TEST_TMUX ?? '';
const environment = { ...process.env };
let linkDirectory;

if (chosen !== '') {
  const cache = process.env.CONTINUUM_TMUX_CACHE || join(homedir(), '.cache', 'continuum', 'tmux-matrix');
  const binary =
    isAbsolute(chosen) || chosen.includes('/') ? resolve(chosen) : join(cache, chosen, 'bin', 'tmux');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    process.stderr.write(
      `tests: CONTINUUM_TEST_TMUX=${chosen}: no executable tmux at ${binary} (build the cache with scripts/tmux-matrix.sh ${chosen})\n`,
    );
    process.exit(2);
  }
  let directory = dirname(binary);
  // PATH finds programs by name: a binary called otherwise is reached through a link named tmux.
  if (basename(binary) !== 'tmux') {
    linkDirectory = mkdtempSync(join(tmpdir(), 'continuum-test-tmux-'));
    symlinkSync(binary, join(linkDirectory, 'tmux'));
    directory = linkDirectory;
  }
  environment.PATH = `${directory}${delimiter}${environment.PATH ?? ''}`;
}

let version;
let location = 'tmux';
try {
  version = execFileSync('tmux', ['-V'], { env: environment, encoding: 'utf8', timeout: 10_000 }).trim();
  location = execFileSync('sh', ['-c', 'command -v tmux'], {
    env: environment,
    encoding: 'utf8',
    timeout: 10_000,
  }).trim();
} catch {
  version = 'no tmux on PATH';
}
process.stdout.write(`using ${version} (${location})\n`);

const [first, ...rest] = process.argv.slice(2);
const nodeArguments =
  first === '--script' ? rest : ['--test', ...(first === undefined ? [] : [first]), ...rest];
const child = spawn(process.execPath, nodeArguments, {
  env: environment,
  stdio: 'inherit',
});
const finish = (code) => {
  if (linkDirectory !== undefined) rmSync(linkDirectory, { recursive: true, force: true });
  process.exit(code);
};
child.on('exit', (code, signal) => finish(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
