import type { ArgumentRules } from './agent-definition.js';

/** The user's arguments to an agent, sorted into what a restore replays and what it does not. */
export interface ParsedAgentArguments {
  /** Replayed after the resume arguments. */
  readonly kept: readonly string[];
  /** Names of what was dropped (`--print`, `exec`, `a prompt`): never the prompt's text. */
  readonly dropped: readonly string[];
  /** The session the process was told to run (`--resume ID`, `codex resume ID`). */
  readonly sessionId: string | undefined;
  /** A subcommand that is no conversation (`codex login`): not an agent session. */
  readonly notASession: boolean;
}

function flagName(word: string): string {
  const equals = word.indexOf('=');
  return word.startsWith('--') && equals > 0 ? word.slice(0, equals) : word;
}

/**
 * Pure: reads an agent's arguments by its rules. A flag that takes a value keeps its value with
 * it, so `--model opus` is never read as a prompt; `--` ends the flags.
 */
export function parseAgentArguments(
  words: readonly string[],
  rules: ArgumentRules,
  sessionIdPattern: RegExp,
): ParsedAgentArguments {
  const kept: string[] = [];
  const dropped: string[] = [];
  let sessionId: string | undefined;
  let positionalSeen = false;
  let afterDoubleDash = false;
  const drop = (name: string) => {
    if (!dropped.includes(name)) dropped.push(name);
  };
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (!afterDoubleDash && word === '--') {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && word.startsWith('-') && word !== '-') {
      const name = flagName(word);
      const inlineValue = name !== word ? word.slice(name.length + 1) : undefined;
      const next = words[index + 1];
      let value = inlineValue;
      let consumed = 0;
      if (value === undefined && next !== undefined) {
        if (rules.valueFlags.has(name)) {
          value = next;
          consumed = 1;
        } else if (rules.optionalValueFlags.has(name) && sessionIdPattern.test(next)) {
          value = next;
          consumed = 1;
        }
      }
      index += consumed;
      if (rules.sessionFlags.has(name)) {
        if (rules.sessionIdFlags.has(name) && value !== undefined && sessionIdPattern.test(value))
          sessionId = value;
        continue;
      }
      if (rules.oneShotFlags.has(name)) {
        drop(name);
        continue;
      }
      kept.push(word);
      if (consumed === 1 && value !== undefined) kept.push(value);
      continue;
    }
    // A positional word.
    if (!positionalSeen && !afterDoubleDash) {
      positionalSeen = true;
      if (rules.otherSubcommands.has(word)) return { kept, dropped, sessionId, notASession: true };
      if (rules.oneShotSubcommands.has(word)) {
        // Everything after a one-shot subcommand belongs to it: its prompt and its own flags.
        drop(word);
        return { kept, dropped, sessionId, notASession: false };
      }
      if (rules.resumeSubcommand !== undefined && word === rules.resumeSubcommand) {
        const candidate = words[index + 1];
        if (candidate !== undefined && sessionIdPattern.test(candidate)) {
          sessionId = candidate;
          index += 1;
        }
        continue;
      }
    }
    if (rules.positionalPrompt) drop('a prompt');
    else kept.push(word);
  }
  return { kept, dropped, sessionId, notASession: false };
}
