import type { DialectName } from '../mux/dialect.js';
import { settingValue } from '../settings/setting.js';
import { optionSettings } from '../settings/settings.js';
import type { SessionSnapshot, Snapshot } from './schema.js';

/** The psmux-resurrect option continuum honours for sessions named by a bare number. */
export const saveUnnamedOption = optionSettings.saveUnnamed.name;

export type SaveUnnamed = 'auto' | 'on' | 'off';

/** Why a running session is left out of a save. */
export type SkipReason = 'hidden' | 'unnamed' | 'unnamed-untouched';

export interface SkippedSession {
  readonly name: string;
  readonly reason: SkipReason;
}

export interface SessionsToSave {
  readonly snapshot: Snapshot;
  readonly skipped: readonly SkippedSession[];
}

/**
 * The option's value, or the default when it is unset or not one of the three words. psmux-resurrect
 * defaults to `auto` (a bare `psmux` is the usual way in on Windows, and the server outlives the
 * terminal, so numbered sessions pile up); tmux-resurrect saves every session, so tmux keeps that.
 */
export function saveUnnamedFrom(value: string | undefined, dialect: DialectName): SaveUnnamed {
  return settingValue(optionSettings.saveUnnamed, value) ?? (dialect === 'psmux' ? 'auto' : 'on');
}

/** A name the multiplexer chose itself: `tmux`/`psmux` with no `-s` numbers sessions 0, 1, 2… */
function isNumberedByServer(name: string): boolean {
  return /^\d+$/.test(name);
}

/** Still as a bare launch made it: one window, one pane, its shell idle. */
function isUntouched(session: SessionSnapshot): boolean {
  const [window, ...otherWindows] = session.windows;
  if (!window || otherWindows.length > 0 || window.panes.length !== 1) return false;
  return window.panes[0]!.program === null;
}

function skipReason(session: SessionSnapshot, saveUnnamed: SaveUnnamed): SkipReason | undefined {
  // psmux's own sessions (`__warm__`, its standby) are never the user's, whatever the option.
  if (session.name.startsWith('__')) return 'hidden';
  if (!isNumberedByServer(session.name)) return undefined;
  if (saveUnnamed === 'off') return 'unnamed';
  if (saveUnnamed === 'auto' && isUntouched(session)) return 'unnamed-untouched';
  return undefined;
}

/**
 * Pure: the capture without the sessions a save leaves out, as psmux-resurrect does
 * (psmux-resurrect/scripts/save.ps1 in psmux/psmux-plugins): names beginning with `__` always,
 * and sessions named by a bare number as {@link SaveUnnamed} says.
 */
export function sessionsToSave(snapshot: Snapshot, saveUnnamed: SaveUnnamed): SessionsToSave {
  const skipped: SkippedSession[] = [];
  const kept = snapshot.sessions.filter((session) => {
    const reason = skipReason(session, saveUnnamed);
    if (reason !== undefined) skipped.push({ name: session.name, reason });
    return reason === undefined;
  });
  if (skipped.length === 0) return { snapshot, skipped };
  const keptName = (name: string | null): string | null =>
    name !== null && kept.some((session) => session.name === name) ? name : null;
  return {
    snapshot: {
      ...snapshot,
      sessions: kept,
      activeSession: keptName(snapshot.activeSession),
      alternateSession: keptName(snapshot.alternateSession),
    },
    skipped,
  };
}

/** Pure: the words for the skipped sessions, as `save` prints them. */
export function describeSkipped(skipped: readonly SkippedSession[]): string {
  const words: Record<SkipReason, string> = {
    hidden: "psmux's own",
    unnamed: 'unnamed',
    'unnamed-untouched': 'unnamed, untouched',
  };
  return skipped.map((session) => `${JSON.stringify(session.name)} (${words[session.reason]})`).join(', ');
}
