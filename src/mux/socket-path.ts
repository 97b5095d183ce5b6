import { join } from 'node:path';
import type { ServerTarget } from '../server/server-target.js';
import { parsePsmuxTmuxVariable } from './psmux-dialect.js';

/**
 * The socket file tmux would use for a target, computed as tmux does (`$TMUX_TMPDIR` or /tmp,
 * then `tmux-UID/NAME`) so a server can be identified without asking it.
 */
export function socketPathFor(target: ServerTarget, environment: NodeJS.ProcessEnv): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const directory = join(environment.TMUX_TMPDIR || '/tmp', `tmux-${uid}`);
  switch (target.kind) {
    case 'socket-path':
      return target.path;
    case 'socket-name':
      return join(directory, target.name);
    case 'inherited':
      return target.tmuxEnvironment?.split(',')[0] || join(directory, 'default');
  }
}

/**
 * The psmux namespace a target names: `-L NAME`, else the one of the pane continuum runs in (its
 * `$TMUX` is `<dir>/<socket name>,<port>,<index>`, docs/psmux.md), else `default`. A psmux server
 * is one session, so the namespace, not a socket or a pid, is what a save belongs to.
 */
export function psmuxNamespaceOf(target: ServerTarget): string {
  switch (target.kind) {
    case 'socket-name':
      return target.name;
    case 'socket-path':
      // psmux ignores -S (docs/psmux.md); the client refuses it before anything is saved.
      return 'default';
    case 'inherited':
      return parsePsmuxTmuxVariable(target.tmuxEnvironment)?.socketName || 'default';
  }
}
