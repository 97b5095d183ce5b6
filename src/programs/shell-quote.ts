/**
 * Which quoting rules the restored pane's shell reads typed text with. fish reads single quotes
 * like POSIX sh except that `\\` and `\'` are escapes inside them, so a backslash must be doubled.
 */
export type ShellDialect = 'posix' | 'fish';

/** Words made only of these characters mean the same to sh, bash, zsh and fish unquoted. */
const plainWord = /^[A-Za-z0-9_@+:,./-]+$/;

/** Quotes one argument so the shell reads it back as exactly one word with exactly this text. */
export function quoteForShell(argument: string, dialect: ShellDialect = 'posix'): string {
  if (plainWord.test(argument)) return argument;
  if (dialect === 'fish') return `'${argument.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  // POSIX single quotes take everything literally; a quote closes, is escaped, and reopens.
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** A command line that gives the program exactly this argv. */
export function quoteArgv(argv: readonly string[], dialect: ShellDialect = 'posix'): string {
  return argv.map((argument) => quoteForShell(argument, dialect)).join(' ');
}

/** The dialect of a shell from its path (`default-shell`) or its name. */
export function shellDialectOf(shellPath: string): ShellDialect {
  const name = shellPath.split('/').at(-1) ?? '';
  return name.replace(/^-/, '') === 'fish' ? 'fish' : 'posix';
}
