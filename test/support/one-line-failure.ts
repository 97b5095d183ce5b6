import assert from 'node:assert/strict';
import type { ProcessResult } from './tmux-server.js';

/** A failure as the house rules want it: one `continuum:` line on stderr matching `problem`, and `code`. */
export function oneLineFailure(result: ProcessResult, code: number, problem: RegExp): void {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0]!, /^continuum: /);
  assert.match(lines[0]!, problem);
  assert.equal(result.code, code, `exit code for: ${lines[0]}`);
}
