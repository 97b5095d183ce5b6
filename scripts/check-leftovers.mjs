// Runs a test command, then fails if it left anything behind outside its own temporary
// directories. Every test makes its own HOME, XDG directories (XDG_RUNTIME_DIR included) and
// TMUX_TMPDIR; one that forgot would write into the developer's runtime directory, cache, saves or
// default tmux socket directory, which this notices (a desktop session has XDG_RUNTIME_DIR set,
// CI has not). The command gets a TMPDIR of its own, which must be empty again at the end.
//
//   node scripts/check-leftovers.mjs COMMAND [ARGUMENTS…]   (npm test: node --test … build/test/)
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: node scripts/check-leftovers.mjs COMMAND [ARGUMENTS…]');
  process.exit(2);
}

const home = process.env.HOME || homedir();
const uid = process.getuid?.() ?? 'user';
/** The developer's own places a stray test would write into. */
const watched = [
  process.env.XDG_RUNTIME_DIR,
  join(home, '.cache'),
  join(home, '.config', 'systemd'),
  join(process.env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd'),
  join(process.env.XDG_DATA_HOME || join(home, '.local', 'share'), 'continuum'),
  join(process.env.XDG_STATE_HOME || join(home, '.local', 'state'), 'continuum'),
  join(home, '.tmux', 'resurrect'),
  join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`),
  `/tmp/continuum-${uid}`,
].filter((path) => path !== undefined && path !== '');

/** Every path under `root` (itself included when it exists), to a depth that finds what a test made. */
function listTree(root, depth = 4) {
  const found = [];
  const walk = (path, level) => {
    let info;
    try {
      info = statSync(path, { throwIfNoEntry: false });
    } catch {
      return;
    }
    if (!info) return;
    found.push(path);
    if (!info.isDirectory() || level >= depth) return;
    let names = [];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) walk(join(path, name), level + 1);
  };
  walk(root, 0);
  return found;
}

const snapshot = () => new Set([...new Set(watched)].flatMap((path) => listTree(path)));

// The suite's own TMPDIR: each test's mkdtemp goes there, and it must be empty again at the end.
// 0711: the strangers tests' uid 65534 must reach its own directory inside.
const suiteTemporary = mkdtempSync(join(tmpdir(), 'continuum-suite-'));
chmodSync(suiteTemporary, 0o711);
const before = snapshot();
const result = spawnSync(command, args, {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: suiteTemporary },
});
const after = snapshot();
const leftovers = [...after].filter((path) => !before.has(path));
const leftInTemporary = readdirSync(suiteTemporary).map((name) => join(suiteTemporary, name));
if (leftInTemporary.length === 0) rmSync(suiteTemporary, { recursive: true, force: true });

let failed = result.status !== 0;
if (leftovers.length > 0) {
  failed = true;
  console.error(`\nThe run left files in the developer's own directories:\n  ${leftovers.join('\n  ')}`);
}
if (leftInTemporary.length > 0) {
  failed = true;
  console.error(
    `\nThe run left its temporary directories behind (in ${suiteTemporary}):\n  ${leftInTemporary.join('\n  ')}`,
  );
}
process.exit(failed ? result.status || 1 : 0);
