import { serverArguments } from '../server/server-target.js';
import { quoteForSh } from '../shell-quote.js';
import type { InvocationOutcome, MuxDialect, SessionListing } from './dialect.js';
import { literalForFormat, literalForTimeFormat } from './script.js';

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
  formatFieldsQuoted: true,
  identity: 'socket',
  programs: 'process-table',
  idleServerGraceMilliseconds: 0,
  // run-shell expands formats in its command first (tmux(1), run-shell): `#` is doubled.
  runShellCommand: (argv) => literalForFormat(argv.map(quoteForSh).join(' ')),
  shellWords: (argv) => argv.map(quoteForSh).join(' '),
  messageText: literalForTimeFormat,
  sessionlessFormatCommand: (format) => ['list-commands', '-F', format, 'display-message'],
  listHooksCommand: (hookName) => ['show-options', '-gH', hookName],
  integration: { hook: 'session-created', autoRestore: 'claim-option' },
};
