import { basename } from 'node:path';
import { splitProcessList } from '../process-list.js';
import { optionSettings } from '../settings/settings.js';
import { quoteArgv, type ShellDialect } from '../shell-quote.js';

export { splitProcessList };

/**
 * tmux-resurrect's base list, plus `ssh`: a remote shell is among the first things users expect
 * back, and its command line is the whole of what it needs.
 */
export const defaultProcesses = optionSettings.defaultProcesses.defaultValue;

/** One entry of `@resurrect-processes`: `vim`, `"~rails server"`, `"git log->git log --oneline"`. */
export interface AllowRule {
  /** The text to look for (without the leading `~`). */
  readonly match: string;
  /** `~text`: the command line contains the text anywhere; otherwise it starts with it as a whole word. */
  readonly anywhere: boolean;
  /** `match->replacement`: the command typed instead of the saved one; `*` stands for the saved arguments. */
  readonly replacement: string | undefined;
}

export type Allowlist =
  | { readonly kind: 'none' }
  | { readonly kind: 'all' }
  | { readonly kind: 'rules'; readonly rules: readonly AllowRule[] };

export function parseAllowRule(entry: string): AllowRule {
  const arrow = entry.indexOf('->');
  const matchText = arrow === -1 ? entry : entry.slice(0, arrow);
  const replacement = arrow === -1 ? undefined : entry.slice(arrow + 2).trim();
  const anywhere = matchText.startsWith('~');
  return {
    match: (anywhere ? matchText.slice(1) : matchText).trim(),
    anywhere,
    replacement: replacement === '' ? undefined : replacement,
  };
}

/**
 * `@resurrect-processes` (`false` = nothing, `:all:` = everything) added to
 * `@resurrect-default-processes` (its own default when unset).
 */
export function parseAllowlist(processes: string | undefined, defaults: string | undefined): Allowlist {
  const extra = (processes ?? '').trim();
  if (extra === 'false') return { kind: 'none' };
  if (extra === ':all:') return { kind: 'all' };
  const base = defaults === undefined || defaults.trim() === '' ? defaultProcesses : defaults;
  const rules = [...splitProcessList(base), ...splitProcessList(extra)]
    .map(parseAllowRule)
    .filter((rule) => rule.match !== '');
  return { kind: 'rules', rules };
}

/** What the allowlist says about one saved program: not allowed, or the command line to type. */
export type AllowDecision =
  | { readonly allowed: false }
  | { readonly allowed: true; readonly commandLine: string; readonly rule: AllowRule | undefined };

/**
 * Decides whether a saved argv is restored and with which command line. The command line is the
 * argv joined with spaces, as tmux-resurrect saw it; a rule also matches the line that starts with
 * the program's name without its directory, so `vim` allows `/usr/bin/vim notes.txt`.
 */
export function decideAllowed(
  argv: readonly string[],
  allowlist: Allowlist,
  dialect: ShellDialect = 'posix',
): AllowDecision {
  if (argv.length === 0 || allowlist.kind === 'none') return { allowed: false };
  const saved = quoteArgv(argv, dialect);
  if (allowlist.kind === 'all') return { allowed: true, commandLine: saved, rule: undefined };
  const shortArgv = [basename(argv[0]!), ...argv.slice(1)];
  for (const rule of allowlist.rules) {
    for (const candidate of argv[0] === shortArgv[0] ? [argv] : [argv, shortArgv]) {
      const end = matchEnd(candidate.join(' '), rule);
      if (end === undefined) continue;
      if (rule.replacement === undefined) return { allowed: true, commandLine: saved, rule };
      const commandLine = rule.replacement.replace('*', () =>
        quoteArgv(argumentsAfter(candidate, end), dialect),
      );
      return { allowed: true, commandLine: commandLine.trim(), rule };
    }
  }
  return { allowed: false };
}

/** Where the rule's text ends in the command line, or undefined when it does not match. */
function matchEnd(commandLine: string, rule: AllowRule): number | undefined {
  if (rule.anywhere) {
    // tmux-resurrect takes the arguments after the last occurrence (`${command##*match}`).
    const at = commandLine.lastIndexOf(rule.match);
    return at === -1 ? undefined : at + rule.match.length;
  }
  const wholeWord = commandLine === rule.match || commandLine.startsWith(`${rule.match} `);
  return wholeWord ? rule.match.length : undefined;
}

/** The saved arguments that follow a text offset in the space-joined argv, each kept whole. */
export function argumentsAfter(argv: readonly string[], offset: number): string[] {
  const rest: string[] = [];
  let start = 0;
  for (const argument of argv) {
    const end = start + argument.length;
    if (start >= offset) rest.push(argument);
    else if (end > offset) rest.push(argument.slice(offset - start));
    start = end + 1;
  }
  return rest;
}
