import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateLayout } from '../../../src/mux/layout.js';
import { recordedLayouts, tmuxLayoutChecksum, withChecksum } from '../../support/layouts.js';

const recorded = recordedLayouts();

/** The problem the validator names; fails the test when it accepts the layout. */
function refused(layout: string, paneCount: number): string {
  const result = validateLayout(layout, paneCount);
  assert.equal(result.ok, false, `expected ${JSON.stringify(layout)} to be refused`);
  return result.ok ? '' : result.problem;
}

describe('validateLayout on what tmux 3.3a writes', () => {
  it('has real fixtures with splits, nesting, a zoomed window and one-cell panes', () => {
    assert.ok(recorded.length >= 8);
    assert.ok(
      recorded.some((entry) => /\{[^}]*\[[^\]]*\{/.test(entry.layout)),
      'three levels of nesting',
    );
    assert.ok(recorded.some((entry) => entry.panes >= 7));
    assert.ok(recorded.some((entry) => entry.panes === 1));
  });

  it("computes tmux's checksum: the test's own checksum matches every recorded layout", () => {
    for (const entry of recorded)
      assert.equal(tmuxLayoutChecksum(entry.layout.slice(5)), entry.layout.slice(0, 4));
  });

  it('accepts every recorded layout with its pane count', () => {
    for (const entry of recorded) {
      assert.deepEqual(validateLayout(entry.layout, entry.panes), { ok: true }, entry.layout);
    }
  });

  it('refuses every recorded layout for a window with one pane more or less', () => {
    for (const entry of recorded) {
      assert.match(refused(entry.layout, entry.panes + 1), new RegExp(`has ${entry.panes} pane`));
      if (entry.panes > 1) assert.match(refused(entry.layout, entry.panes - 1), /pane/);
    }
  });
});

describe('validateLayout on malformed layouts', () => {
  it('refuses "garbage-layout" (tmux 3.3a crashes on it) and the empty string', () => {
    assert.match(refused('garbage-layout', 1), /checksum/);
    assert.match(refused('', 1), /empty/);
  });

  it('refuses a checksum prefix tmux 3.3a would read past: short, prefixed, uppercase, spaced', () => {
    for (const layout of [
      'a,80x24,0,0,0',
      'b25,80x24,0,0,0',
      '0xb25d,80x24,0,0,0',
      'B25D,80x24,0,0,0',
      ' b25d,80x24,0,0,0',
      'b25d 80x24,0,0,0',
      'b25d',
      'b25d,',
    ])
      refused(layout, 1);
  });

  it('refuses a wrong checksum and says which one tmux computes', () => {
    assert.match(refused('b25f,80x24,0,0,0', 1), /checksum b25f .*b25d/);
    const good = recorded.find((entry) => entry.panes === 3)!;
    const wrong = `${good.layout.slice(0, 3)}${good.layout[3] === '0' ? '1' : '0'}${good.layout.slice(4)}`;
    assert.match(refused(wrong, 3), /checksum/);
  });

  it('refuses trailing characters, even under a correct checksum', () => {
    assert.match(refused('b25d,80x24,0,0,0x', 1), /checksum/);
    for (const body of [
      '80x24,0,0,0x',
      '80x24,0,0,0,',
      '80x24,0,0,0}',
      '80x24,0,0,0,1',
      '80x24,0,0{40x24,0,0,1,39x24,41,0,2}}',
      '80x24,0,0{40x24,0,0,1,39x24,41,0,2}80x24,0,0,0',
    ])
      assert.match(refused(withChecksum(body), body.includes('{') ? 2 : 1), /unexpected characters/);
  });

  it('refuses broken syntax under a correct checksum', () => {
    for (const body of [
      '80x24,0,0',
      '80x24,0,0{40x24,0,0,1,39x24,41,0,2',
      '80x24,0,0{40x24,0,0,1,39x24,41,0,2]',
      '80x24,0,0[80x12,0,0,1,80x11,0,13,2}',
      '80x24,0,0{}',
      '80x24,0,0{,40x24,0,0,1,39x24,41,0,2}',
      '80x24,0,0{40x24,0,0,1,,39x24,41,0,2}',
      '80x,0,0,0',
      'x24,0,0,0',
      '80x24,,0,0',
      '80x24,0,0,1{40x24,0,0,1,39x24,41,0,2}',
      '080x24,0,0,0',
      '80x24,0,0,00',
      '80x24,-1,0,0',
      '80X24,0,0,0',
    ])
      refused(withChecksum(body), 2);
  });

  it('names a control character by its code point instead of printing it', () => {
    const problem = refused(withChecksum('80x24,0,0,0\u001b[2J'), 1);
    assert.match(problem, /U\+001B/);
    assert.doesNotMatch(problem, /\u001b/);
    assert.match(refused(withChecksum('80x24,0,0,0é'), 1), /U\+00E9/);
  });

  it('refuses geometry that does not add up', () => {
    const cases: [string, number, RegExp][] = [
      // widths 40 + 1 + 40 are 81, not 80
      ['80x24,0,0{40x24,0,0,1,40x24,41,0,2}', 2, /add up to its width/],
      // widths 40 + 1 + 38 leave a column empty
      ['80x24,0,0{40x24,0,0,1,38x24,41,0,2}', 2, /add up to its width/],
      // a cell of a left-right container lower than the container
      ['80x24,0,0{40x24,0,0,1,39x23,41,0,2}', 2, /does not fit/],
      // a cell at the wrong x (no border column)
      ['80x24,0,0{40x24,0,0,1,39x24,40,0,2}', 2, /does not fit/],
      // a cell at the wrong y
      ['80x24,0,0{40x24,0,0,1,39x24,41,1,2}', 2, /does not fit/],
      // the first cell does not start at the container's x
      ['80x24,0,0{40x24,1,0,1,39x24,41,0,2}', 2, /does not fit/],
      // heights 12 + 1 + 12 are 25, not 24
      ['80x24,0,0[80x12,0,0,1,80x12,0,13,2]', 2, /add up to its height/],
      // a cell of a top-bottom container narrower than the container
      ['80x24,0,0[80x12,0,0,1,79x11,0,13,2]', 2, /does not fit/],
      // a nested container whose cells do not fill it
      [
        '80x24,0,0[80x12,0,0,3,80x11,0,13{40x11,0,13,4,38x11,41,13,5}]',
        3,
        /container at position 28 do not add up/,
      ],
      // the window's cell away from 0,0
      ['80x24,1,0,0', 1, /not at 0,0/],
      // zero-sized panes
      ['0x24,0,0,0', 1, /too small/],
      ['80x0,0,0,0', 1, /too small/],
      ['80x24,0,0{0x24,0,0,1,79x24,1,0,2}', 2, /too small/],
    ];
    for (const [body, panes, problem] of cases)
      assert.match(refused(withChecksum(body), panes), problem, body);
  });

  it('refuses a container with one cell', () => {
    assert.match(refused(withChecksum('80x24,0,0{80x24,0,0,1}'), 1), /only one cell/);
    assert.match(refused(withChecksum('80x24,0,0[80x24,0,0{80x24,0,0,1}]'), 1), /only one cell/);
  });

  it('refuses a layout for another number of panes', () => {
    assert.match(
      refused(withChecksum('80x24,0,0{40x24,0,0,1,39x24,41,0,2}'), 3),
      /has 2 panes but the window has 3/,
    );
    assert.match(refused('b25d,80x24,0,0,0', 2), /has 1 pane but the window has 2/);
  });

  it('refuses huge numbers: sizes above tmux’s window maximum, pane ids above u_int', () => {
    assert.match(refused(withChecksum('99999999999x24,0,0,0'), 1), /larger than 10000/);
    assert.match(refused(withChecksum('10001x24,0,0,0'), 1), /larger than 10000/);
    assert.match(refused(withChecksum('4294967376x24,0,0,0'), 1), /larger/);
    assert.match(refused(withChecksum('80x24,0,0,4294967296'), 1), /pane id .* larger/);
    assert.match(refused(withChecksum(`80x24,0,0,${'9'.repeat(400)}`), 1), /larger/);
    assert.deepEqual(validateLayout(withChecksum('10000x10000,0,0,4294967295'), 1), { ok: true });
  });

  it('refuses a layout longer than tmux ever writes, and deep nesting without overflowing', () => {
    refused(withChecksum(`80x24,0,0,${'1'.repeat(9000)}`), 1);
    const deep = `${'80x24,0,0{'.repeat(700)}80x24,0,0,1${'}'.repeat(700)}`;
    assert.ok(deep.length < 8191);
    assert.match(refused(withChecksum(deep), 1), /only one cell/);
  });
});
