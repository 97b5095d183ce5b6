import { basename } from 'node:path';
import type { ShellDialect } from '../shell-quote.js';

/** A first word the shell runs as it is: no quote, escape or expansion in it. */
const plainWord = /^[A-Za-z0-9_@+:,./-]+$/;
const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The program a recorded command line runs, as the shell reads its first word: after leading
 * blanks and `NAME=value` assignments (bash and zsh; fish 3.1+ reads them too), or undefined when
 * the line is not one simple command the recorded text can stand for. A list, pipeline,
 * redirection, subshell, command substitution or background job (`;`, `&`, `|`, `<`, `>`, `(`,
 * `)`, a backtick, `$(`) outside quotes means the pane's foreground program is only part of the
 * line, and typing the whole line would run the other parts too. `sudo less x` runs `sudo`: the
 * allowlist has to allow what the line starts, never a program further on.
 */
export function recordedProgram(commandLine: string, dialect: ShellDialect): string | undefined {
  const words = simpleCommandWords(commandLine, dialect);
  if (!words) return undefined;
  const first = words.find((word) => !assignment.test(word));
  if (first === undefined || !plainWord.test(first)) return undefined;
  return first;
}

/**
 * The words of a line (quotes kept as typed), or undefined at an operator outside quotes. Only
 * good enough to find the first word and to refuse what is not a simple command; the shell itself
 * reads the line when it is typed.
 */
function simpleCommandWords(line: string, dialect: ShellDialect): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index]!;
    const next = line[index + 1];
    if (quote === "'") {
      // fish reads `\\` and `\'` as escapes inside single quotes; POSIX shells read none.
      if (dialect === 'fish' && character === '\\' && (next === '\\' || next === "'")) {
        word += character + next;
        index += 1;
        continue;
      }
      if (character === "'") quote = undefined;
      word += character;
      continue;
    }
    if (character === '`' || (character === '$' && next === '(')) return undefined;
    if (quote === '"') {
      if (character === '\\' && next !== undefined) {
        word += character + next;
        index += 1;
        continue;
      }
      if (character === '"') quote = undefined;
      word += character;
      continue;
    }
    if (character === '\\') {
      // A last backslash continues the line: typed, it would leave the shell waiting.
      if (next === undefined) return undefined;
      word += character + next;
      index += 1;
    } else if (character === "'" || character === '"') {
      quote = character;
      word += character;
    } else if (/[;&|<>()\n]/.test(character)) {
      return undefined;
    } else if (character === ' ' || character === '\t') {
      if (word !== '') words.push(word);
      word = '';
    } else {
      word += character;
    }
  }
  // An open quote would leave the typed line waiting for its continuation.
  if (quote !== undefined) return undefined;
  if (word !== '') words.push(word);
  return words;
}

/**
 * Whether a pane's recorded command line is the one its saved program was started with, so that
 * program restore may type it instead of quoting the process table's argv: one simple command
 * whose program is the saved program's (by name, as `vim` allows `/usr/bin/vim`).
 */
export function recordedLineRunsProgram(
  commandLine: string,
  argv: readonly string[],
  dialect: ShellDialect,
): boolean {
  const program = recordedProgram(commandLine, dialect);
  const saved = argv[0];
  return program !== undefined && saved !== undefined && basename(program) === basename(saved);
}
