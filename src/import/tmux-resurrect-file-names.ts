import { localDateOf } from '../human-text.js';

/** `tmux_resurrect_20260314T091502.txt`: `date +%Y%m%dT%H%M%S`, local time. */
export const tmuxResurrectSaveFilePattern = /^tmux_resurrect_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)\.txt$/;

/** The local time a save's file name carries, or undefined when the name is not one save.sh makes. */
export function tmuxResurrectSaveTime(fileName: string): Date | undefined {
  const match = fileName.match(tmuxResurrectSaveFilePattern);
  if (!match) return undefined;
  return localDateOf(match.slice(1).map(Number));
}
