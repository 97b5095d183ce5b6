import { collapsesHashesBeforeStyle, type MuxVersion } from './session-name.js';

/**
 * Turns argument arrays into text that tmux's own parser (`source-file`) reads back as the same
 * arguments. Every argument is single-quoted: inside single quotes tmux expands nothing (no `$`,
 * `~`, `#{}` or `;`), and a single quote itself is written as `'"'"'`. Line breaks go in a
 * double-quoted escape (`'"\n"'`): tmux's parser drops a backslash before a raw newline and the
 * blanks after it even inside single quotes, so a directory or name holding "\n " would change.
 */
export function quoteScriptArgument(argument: string): string {
  const quoted = argument.replaceAll("'", `'"'"'`).replaceAll('\n', `'"\\n"'`).replaceAll('\r', `'"\\r"'`);
  return `'${quoted}'`;
}

export function scriptLine(command: readonly string[]): string {
  return command.map(quoteScriptArgument).join(' ');
}

export function buildScript(commands: readonly (readonly string[])[]): string {
  return `${commands.map(scriptLine).join('\n')}\n`;
}

/**
 * Joins commands for one command-line invocation. tmux treats an argument that ends in `;` as a
 * separator, so a literal trailing `;` is sent as `\;` (tmux's cmd_parse_from_arguments).
 */
export function joinCommandArguments(commands: readonly (readonly string[])[]): string[] {
  const joined: string[] = [];
  commands.forEach((command, index) => {
    if (index > 0) joined.push(';');
    for (const argument of command)
      joined.push(argument.endsWith(';') ? `${argument.slice(0, -1)}\\;` : argument);
  });
  return joined;
}

/**
 * Names, titles and start directories given to new-session, new-window, rename-*, select-pane -T
 * and -c are format-expanded by tmux, so `#` must be doubled for the text to arrive unchanged;
 * except a run of `#` followed by `[`: tmux 3.3a's format_expand1 copies `#[` and `##…[` unchanged
 * (a style, left for format_draw), so doubling it would store `a##[b` for `a#[b`. tmux 3.1 turns
 * `##` into `#` before `[` as well, so for that `server` every `#` is doubled
 * ({@link collapsesHashesBeforeStyle}); without a server the text is escaped as for 3.3a.
 */
export function literalForFormat(text: string, server?: MuxVersion): string {
  if (server !== undefined && collapsesHashesBeforeStyle(server)) return text.replaceAll('#', '##');
  return text.replace(/#+/g, (run, offset: number) => (text[offset + run.length] === '[' ? run : run + run));
}

/**
 * Text that `display-message` (and every other format tmux expands with the time, such as
 * status-left) shows as given. tmux passes those formats through strftime(3) before it expands
 * `#{}`, so a `%` must be written `%%`: a pane id `%3` was read as a conversion with a width of 3
 * and came back as ` %3`, and every pane's contents after the third was lost.
 */
export function literalForTimeFormat(text: string): string {
  return literalForFormat(text).replaceAll('%', '%%');
}
