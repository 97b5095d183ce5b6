import type { InvocationOutcome, MuxDialect, SessionListing } from './dialect.js';
import { serverArguments } from './server-target.js';

const noServerPattern = /no server running|error connecting to|server exited unexpectedly/;

/** tmux as continuum has always driven it: the reference every other dialect is measured against. */
export const tmuxDialect: MuxDialect = {
  name: 'tmux',
  serverArguments,
  environmentFor: () => ({}),
  normaliseOutput: (stdout) => stdout,
  parseSessionList(outcome: InvocationOutcome): SessionListing {
    if (outcome.code !== 0 && noServerPattern.test(outcome.stderr)) return { kind: 'no-server' };
    const names = outcome.stdout.split('\n').filter((line) => line !== '');
    return { kind: 'sessions', names };
  },
  isNoServer: (outcome) => outcome.code !== 0 && noServerPattern.test(outcome.stderr),
  scriptDelivery: 'source-file',
  creation: 'synchronous',
  layoutStrings: 'trusted',
  substitutes: [],
  displayMessageKeepsControlBytes: true,
};
