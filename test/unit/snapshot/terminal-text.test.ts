import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { keepOnlyColourSequences } from '../../../src/snapshot/terminal-text.js';

const esc = '\x1b';

describe('keepOnlyColourSequences', () => {
  it('keeps text, unicode, newlines, tabs and the SGR sequences capture-pane -e writes', () => {
    const text = `plain ünïcödé 😀\tcolumn\n${esc}[31mred${esc}[0m ${esc}[1;4;38;5;208mbold${esc}[m ${esc}[38:2::10:20:30mrgb${esc}[39m\n`;
    assert.equal(keepOnlyColourSequences(text), text);
  });

  const cases: [string, string, string][] = [
    ['OSC 52 ended by BEL', `a${esc}]52;c;cHduZWQ=\x07b`, 'ab'],
    ['OSC 52 ended by ST', `a${esc}]52;c;cHduZWQ=${esc}\\b`, 'ab'],
    ['OSC 2 (window title)', `a${esc}]2;pwned${esc}\\b`, 'ab'],
    ['OSC 8 (hyperlink)', `${esc}]8;;https://x.example/${esc}\\link${esc}]8;;${esc}\\`, 'link'],
    ['DCS (tmux passthrough)', `a${esc}Ptmux;${esc}${esc}]52;c;eA==\x07${esc}\\b`, 'ab'],
    ['APC, PM and SOS', `a${esc}_apc${esc}\\b${esc}^pm${esc}\\c${esc}Xsos${esc}\\d`, 'abcd'],
    ['a string aborted by CAN or SUB', `a${esc}]0;x\x18b${esc}]0;y\x1ac`, 'abc'],
    ['CSI that clears, moves or asks for a reply', `a${esc}[2Jb${esc}[5;1Hc${esc}[6nd${esc}[>ce`, 'abcde'],
    ['private-mode CSI', `a${esc}[?1049hb${esc}[?2004lc`, 'abc'],
    ['CSI ending in m with other parameters', `a${esc}[?31mb${esc}[31 mc${esc}[>4;1md`, 'abcd'],
    ['8-bit CSI U+009B, even as SGR', 'a\u009b31mb\u009b2Jc', 'abc'],
    ['8-bit OSC ended by BEL and by 8-bit ST', 'a\u009d52;c;eA==\x07b\u009d2;t\u009cc', 'abc'],
    ['8-bit DCS, APC and other C1 controls', 'a\u0090x\u009cb\u009fy\u009cc\u0085d\u0084e', 'abcde'],
    [
      'other escapes (reset, save cursor, charsets, alignment test)',
      `a${esc}cb${esc}7c${esc}(Bd${esc}#8e`,
      'abcde',
    ],
    ['C0 controls but newline and tab, and DEL', 'a\rb\bc\x07d\x00e\x7ff\x0bg\x0ch\n\ti', 'abcdefgh\n\ti'],
    ['a bare ESC at the end', `abc${esc}`, 'abc'],
    ['an unfinished CSI at the end', `abc${esc}[31`, 'abc'],
    ['an unfinished CSI introducer at the end', `abc${esc}[`, 'abc'],
    ['an unfinished 8-bit CSI at the end', 'abc\u009b', 'abc'],
    ['an unterminated OSC 52 at the end', `abc${esc}]52;c;cHduZWQ=`, 'abc'],
    ['an unterminated DCS at the end', `abc${esc}P1$r`, 'abc'],
    ['an unfinished CSI cut by a newline', `a${esc}[31\nb`, 'a\nb'],
    ['an ESC followed by a newline', `a${esc}\nb`, 'a\nb'],
  ];
  for (const [what, input, expected] of cases) {
    it(`drops ${what}`, () => {
      assert.equal(keepOnlyColourSequences(input), expected);
    });
  }

  it('leaves no control character outside an SGR sequence, whatever the input, and is idempotent', () => {
    const pieces = fc.constantFrom(
      esc,
      '[',
      ']',
      'P',
      '_',
      '\\',
      '\x07',
      '\u009b',
      '\u009c',
      '\u009d',
      '\r',
      '\n',
      '\t',
      ';',
      ':',
      '0',
      '3',
      '8',
      'm',
      'J',
      '?',
      ' ',
      'x',
      'ü',
      '😀',
    );
    const sgr = new RegExp(`${esc}\\[[0-9;:]*m`, 'g');
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        (parts, noise) => {
          const filtered = keepOnlyColourSequences(parts.join('') + noise);
          assert.doesNotMatch(filtered.replace(sgr, ''), /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
          assert.equal(keepOnlyColourSequences(filtered), filtered);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
