import { UsageError } from '../errors.js';
import type { DialectName, MuxDialect } from './dialect.js';
import { psmuxDialect } from './psmux-dialect.js';
import { tmuxDialect } from './tmux-dialect.js';

/** Every dialect by name. */
const dialects: Readonly<Record<DialectName, MuxDialect>> = { tmux: tmuxDialect, psmux: psmuxDialect };

export function dialectNamed(name: DialectName): MuxDialect {
  return dialects[name];
}

/** The binary's name without directory and `.exe`, lower-cased: Windows paths are case-blind. */
export function binaryName(binary: string): string {
  const base = binary.split(/[\\/]/).pop() ?? binary;
  return base.replace(/\.exe$/i, '').toLowerCase();
}

/**
 * The dialect of a multiplexer binary on a platform. psmux installs `psmux`, `pmux` and `tmux` as
 * one program (psmux README), so on Windows `tmux` is psmux too: tmux itself does not run there
 * natively. Any other name is tmux elsewhere and psmux on Windows.
 */
export function dialectFor(binary: string, platform: NodeJS.Platform): MuxDialect {
  const name = binaryName(binary);
  if (name === 'psmux' || name === 'pmux') return psmuxDialect;
  return platform === 'win32' ? psmuxDialect : tmuxDialect;
}

export interface MuxSelection {
  readonly binary: string;
  readonly dialect: MuxDialect;
}

/**
 * `--mux`, else `CONTINUUM_MUX`, else the platform's default: `psmux` on Windows, `tmux`
 * elsewhere. The value is a program name (found on PATH) or a path; its name picks the dialect.
 */
export function selectMux(
  option: string | undefined,
  environment: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): MuxSelection {
  const chosen = option || environment.CONTINUUM_MUX || (platform === 'win32' ? 'psmux' : 'tmux');
  if (chosen.trim() === '')
    throw new UsageError('--mux is empty', 'name a multiplexer: tmux, psmux, pmux or a path to one');
  return { binary: chosen, dialect: dialectFor(chosen, platform) };
}
