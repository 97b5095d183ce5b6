import {
  type MuxVersion,
  refusesControlCharacters,
  sessionNameFor,
  withoutControlCharacters,
} from '../mux/session-name.js';
import type { Snapshot } from '../snapshot/schema.js';

/**
 * `saved` with its session names in the form `server`'s tmux stores them, so that a save made on
 * one version is compared with, and targets, the sessions of another: a name holding a backslash is
 * kept as given by 3.1c and escaped by 3.2 and later (src/mux/session-name.ts). Names `server`
 * refuses (control characters in session and window names on 3.7 and later) get `_` in their
 * place, each with one warning naming it; the restore goes on. The same version: `saved` unchanged.
 */
export function inServerNameForm(
  saved: Snapshot,
  server: MuxVersion,
): { readonly snapshot: Snapshot; readonly warnings: readonly string[] } {
  if (saved.mux.name === server.name && saved.mux.version === server.version)
    return { snapshot: saved, warnings: [] };
  const warnings: string[] = [];
  const refused = `tmux ${server.version} refuses control characters in`;
  const sessionName = (name: string): string => sessionNameFor(name, saved.mux, server).name;
  const sessions = saved.sessions.map((session) => {
    const converted = sessionNameFor(session.name, saved.mux, server);
    if (converted.renamed)
      warnings.push(
        `session ${JSON.stringify(converted.given)}: ${refused} session names; it is restored as ${JSON.stringify(converted.name)}`,
      );
    const windows = session.windows.map((window) => {
      if (!refusesControlCharacters(server)) return window;
      const name = withoutControlCharacters(window.name);
      if (name === window.name) return window;
      warnings.push(
        `window ${JSON.stringify(converted.given)}:${window.index} (${JSON.stringify(window.name)}): ${refused} window names; it is restored as ${JSON.stringify(name)}`,
      );
      return { ...window, name };
    });
    return {
      ...session,
      name: converted.name,
      group: session.group === null ? null : sessionName(session.group),
      windows,
    };
  });
  return {
    snapshot: {
      ...saved,
      activeSession: saved.activeSession === null ? null : sessionName(saved.activeSession),
      alternateSession: saved.alternateSession === null ? null : sessionName(saved.alternateSession),
      sessions,
    },
    warnings,
  };
}
