/**
 * Every shell quoting of continuum: what it types into a pane (which shell reads it, how an
 * argument is quoted for that shell, and whether the text may be typed at all), and the /bin/sh
 * command strings tmux's run-shell and display-popup take ({@link quoteForSh}). tmux's own
 * command language is quoted in mux/script.ts.
 *
 * A line is typed into the shell the pane runs after the restore, which continuum cannot see
 * beforehand: `~/.bashrc` may `exec fish`. So the quoting for sh/bash/zsh and the quoting for fish
 * both produce text that every one of those shells reads as the same words (see
 * {@link quoteForBourneOrFish}); a guess between them can never turn an argument into code.
 */
export type ShellDialect = 'posix' | 'fish' | 'pwsh';

/** Words made only of these characters mean the same to sh, bash, zsh, fish and pwsh unquoted. */
const plainWord = /^[A-Za-z0-9_@+:,./-]+$/;

/**
 * POSIX sh, bash and zsh: single quotes take every byte literally, with one difference in fish:
 * `\\` and `\'` are escapes inside its single quotes, so `'x\' & touch PWNED #'` is one word to sh
 * and a command to fish. A quote and a backslash are therefore never put inside single quotes:
 * each is written outside them, escaped with a backslash (`\'`, `\\`), which sh, bash, zsh and
 * fish all read as that one character. zsh's RC_QUOTES (`''` in quotes) never applies: two quoted
 * runs are never adjacent.
 */
export function quoteForBourneOrFish(argument: string): string {
  if (plainWord.test(argument)) return argument;
  if (argument === '') return "''";
  return argument
    .split(/(['\\])/)
    .filter((part) => part !== '')
    .map((part) => (part === "'" || part === '\\' ? `\\${part}` : `'${part}'`))
    .join('');
}

/**
 * One argument for /bin/sh, always in single quotes, a quote closed, escaped and reopened (`'\''`):
 * for the shell-command strings tmux runs (run-shell, display-popup) and command lines shown in
 * hints. Never for text typed into a pane: that is {@link quoteForPosix}.
 */
export function quoteForSh(argument: string): string {
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** POSIX sh, bash, zsh: see {@link quoteForBourneOrFish}. */
export const quoteForPosix = quoteForBourneOrFish;

/** fish: the same text as for POSIX shells, which fish reads alike (see {@link quoteForBourneOrFish}). */
export const quoteForFish = quoteForBourneOrFish;

/**
 * PowerShell: a single-quoted string is literal except for its quote, which is doubled; the
 * typographic single quotes (U+2018 to U+201B) close a string too and are doubled as well.
 */
export function quoteForPwsh(argument: string): string {
  if (plainWord.test(argument)) return argument;
  return `'${argument.replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
}

const quoters: Readonly<Record<ShellDialect, (argument: string) => string>> = {
  posix: quoteForPosix,
  fish: quoteForFish,
  pwsh: quoteForPwsh,
};

/** Quotes one argument so the shell reads it back as exactly one word with exactly this text. */
export function quoteForShell(argument: string, dialect: ShellDialect = 'posix'): string {
  return quoters[dialect](argument);
}

/**
 * A command line that gives the program exactly this argv. PowerShell reads a quoted first word as
 * a string, not a command: the call operator `&` runs it.
 */
export function quoteArgv(argv: readonly string[], dialect: ShellDialect = 'posix'): string {
  const words = argv.map((argument) => quoteForShell(argument, dialect));
  return dialect === 'pwsh' && words[0] !== argv[0] ? `& ${words.join(' ')}` : words.join(' ');
}

const posixShells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'oksh', 'lksh']);

/**
 * The dialect of a shell from its path (`default-shell`, `/proc/PID/exe`) or its name, a login
 * shell's `-bash` too; undefined for a shell whose quoting continuum does not know (csh, nu, …).
 */
export function shellDialectOf(shellPath: string): ShellDialect | undefined {
  const name = (shellPath.split('/').at(-1) ?? '').replace(/^-/, '');
  if (posixShells.has(name)) return 'posix';
  if (name === 'fish') return 'fish';
  if (name === 'pwsh' || name === 'powershell' || name === 'pwsh.exe' || name === 'powershell.exe')
    return 'pwsh';
  return undefined;
}

/**
 * Text typed into a shell is run by it. A control character (a newline runs what came before it
 * early, ESC starts a terminal or readline sequence, ^C/^D/^Z act on the line) can make a saved
 * command line do something other than what it says, so such a line is never typed.
 */
export type TypingCheck = { readonly safe: true } | { readonly safe: false; readonly reason: string };

const controlNames: Readonly<Record<number, string>> = {
  10: 'a newline',
  13: 'a carriage return',
  27: 'an escape sequence',
  9: 'a tab',
  127: 'a delete character',
};

/** Checks text before it is typed: C0 controls, DEL and C1 controls (U+0080–U+009F) are refused. */
export function checkSafeToType(text: string): TypingCheck {
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
      const name =
        controlNames[code] ?? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return { safe: false, reason: `contains ${name}` };
    }
  }
  if (text.trim() === '') return { safe: false, reason: 'is empty' };
  return { safe: true };
}
