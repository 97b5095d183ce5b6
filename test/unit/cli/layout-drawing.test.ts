import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawLayout, type LayoutDrawing } from '../../../src/cli/layout-drawing.js';
import { type LayoutCell, parseLayout } from '../../../src/mux/layout.js';
import { recordedLayouts, withChecksum } from '../../support/layouts.js';

function root(body: string, panes: number): LayoutCell {
  const parsed = parseLayout(withChecksum(body), panes);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
  return parsed.root;
}

function lines(drawing: LayoutDrawing): readonly string[] {
  assert.ok(drawing.drawn, 'expected a drawing');
  return drawing.drawn ? drawing.lines : [];
}

const labels = (texts: readonly string[]) => (_cell: LayoutCell, position: number) => texts[position] ?? '';

describe('drawLayout', () => {
  it("draws a left pane and a right column split in two at the window's own size", () => {
    // 11x5: pane 0 is 5 wide, pane 1 (2 lines) above pane 2 (2 lines) on the right.
    const drawing = drawLayout(
      root('11x5,0,0{5x5,0,0,1,5x5,6,0[5x2,6,0,2,5x2,6,3,3]}', 3),
      labels(['0 a', '1 b', '2 c']),
      { width: 80 },
    );
    assert.deepEqual(lines(drawing), [
      '┌─────┬─────┐',
      '│0 a  │1 b  │',
      '│     │     │',
      '│     ├─────┤',
      '│     │2 c  │',
      '│     │     │',
      '└─────┴─────┘',
    ]);
  });

  it('draws every junction of a grid of panes', () => {
    const drawing = drawLayout(
      root('7x3,0,0[7x1,0,0{3x1,0,0,1,3x1,4,0,2},7x1,0,2{3x1,0,2,3,3x1,4,2,4}]', 4),
      labels(['a', 'b', 'c', 'd']),
      { width: 80 },
    );
    assert.deepEqual(lines(drawing), ['┌───┬───┐', '│a  │b  │', '├───┼───┤', '│c  │d  │', '└───┴───┘']);
  });

  it('keeps the proportions of the layout when it scales a window down to the width', () => {
    // 120x40: a 60-column pane on the left; on the right 59 columns split into 20 and 19 lines.
    const layout = root('120x40,0,0{60x40,0,0,1,59x40,61,0[59x20,61,0,2,59x19,61,21,3]}', 3);
    for (const width of [40, 62, 80]) {
      const drawn = lines(drawLayout(layout, labels(['0', '1', '2']), { width }));
      const top = drawn[0]!;
      assert.ok(top.length <= width, `${top.length} columns drawn for ${width}`);
      const drawingWidth = top.length;
      // One scale for both axes: the window is 122x42 with its frame.
      const scale = (drawingWidth - 1) / 121;
      assert.ok(Math.abs(drawn.length - 1 - 41 * scale) <= 1, `height ${drawn.length} at width ${width}`);
      // The border between the panes is at x = 60, one column after the left pane's 60 columns.
      assert.ok(Math.abs(top.indexOf('┬') - 61 * scale) <= 1, `border at ${top.indexOf('┬')}`);
      // The right column's split is after line 20 (y = 20), half way down.
      const splitRow = drawn.findIndex((line) => line.endsWith('┤'));
      assert.ok(Math.abs(splitRow - 21 * scale) <= 1, `split at row ${splitRow}`);
      assert.equal(drawn[splitRow]![top.indexOf('┬')], '├');
      assert.equal(
        drawn.at(-1),
        `└${'─'.repeat(top.indexOf('┬') - 1)}┴${'─'.repeat(drawingWidth - top.indexOf('┬') - 2)}┘`,
      );
    }
  });

  it('never draws a window larger than it is', () => {
    const drawn = lines(drawLayout(root('20x4,0,0,1', 1), labels(['0 sh']), { width: 200 }));
    assert.deepEqual(drawn, [
      `┌${'─'.repeat(20)}┐`,
      ...Array.from({ length: 4 }, (_, row) => `│${row === 0 ? '0 sh'.padEnd(20) : ' '.repeat(20)}│`),
      `└${'─'.repeat(20)}┘`,
    ]);
  });

  it('gives one-cell panes room for their label', () => {
    const drawn = lines(
      drawLayout(root('3x1,0,0{1x1,0,0,1,1x1,2,0,2}', 2), labels(['0 sh', '1 sh']), { width: 80 }),
    );
    assert.deepEqual(drawn, ['┌────┬────┐', '│0 sh│1 sh│', '└────┴────┘']);
  });

  it('widens a small pane for its label by at most 12 columns, and cuts a longer label', () => {
    const layout = root('80x5,0,0{77x5,0,0,1,2x5,78,0,2}', 2);
    const drawn = lines(drawLayout(layout, labels(['0 sh', '1 a-very-long-program-name']), { width: 80 }));
    assert.ok(drawn[0]!.length <= 80);
    assert.match(drawn[0]!, /┬─{12}┐$/);
    assert.match(drawn[1]!, /│1 a-very-lo…│$/);
  });

  it('cuts labels in a narrow terminal, and keeps the pane index in a box of one or two columns', () => {
    const layout = root('80x24,0,0{40x24,0,0,1,39x24,41,0,2}', 2);
    assert.deepEqual(lines(drawLayout(layout, labels(['0 vim', '1 vim']), { width: 9 })), [
      '┌───┬───┐',
      '│0 …│1 …│',
      '└───┴───┘',
    ]);
    assert.deepEqual(lines(drawLayout(layout, labels(['10 vim', '11 vim']), { width: 7 })), [
      '┌──┬──┐',
      '│10│11│',
      '└──┴──┘',
    ]);
    assert.deepEqual(lines(drawLayout(layout, labels(['0 vim', '1 vim']), { width: 5 })), [
      '┌─┬─┐',
      '│0│1│',
      '└─┴─┘',
    ]);
  });

  it('says how wide the terminal must be when the panes side by side cannot fit', () => {
    // 20 panes of 3 columns side by side: at least 20 inside columns and 21 borders.
    const cells = Array.from({ length: 20 }, (_, index) => `3x5,${index * 4},0,${index}`);
    const layout = root(`79x5,0,0{${cells.join(',')}}`, 20);
    assert.deepEqual(drawLayout(layout, labels([]), { width: 30 }), { drawn: false, neededWidth: 41 });
    assert.equal(lines(drawLayout(layout, labels([]), { width: 41 }))[0]!.length, 41);
  });

  it('squeezes a tall window to the height limit, never below one line per pane', () => {
    const tall = root('20x100,0,0[20x49,0,0,1,20x50,0,50,2]', 2);
    const drawn = lines(drawLayout(tall, labels(['a', 'b']), { width: 80, maxHeight: 11 }));
    assert.equal(drawn.length, 11);
    assert.equal(drawn[0]!.length, 22);
    const squeezed = lines(drawLayout(tall, labels(['a', 'b']), { width: 80, maxHeight: 2 }));
    assert.deepEqual(squeezed.length, 5);
  });

  it('escapes control characters of a label and measures wide characters', () => {
    const layout = root('11x1,0,0{5x1,0,0,1,5x1,6,0,2}', 2);
    const drawn = lines(drawLayout(layout, labels(['\x1b]0;x\x07', '界界界']), { width: 80 }));
    for (const line of drawn) assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/);
    assert.equal(drawn[1], '│\\x1b]0;x\\x07│界界界│');
    assert.equal(drawn[0], '┌────────────┬──────┐');
  });

  it('draws every recorded tmux layout at every width with each pane visible exactly once', () => {
    for (const entry of recordedLayouts()) {
      const parsed = parseLayout(entry.layout, entry.panes);
      assert.ok(parsed.ok);
      if (!parsed.ok) continue;
      const names = Array.from({ length: entry.panes }, (_, index) => String.fromCharCode(65 + index));
      for (const width of [8, 12, 20, 40, 80, 200]) {
        const drawing = drawLayout(parsed.root, labels(names), { width });
        if (!drawing.drawn) {
          assert.ok(drawing.neededWidth > width);
          continue;
        }
        const text = drawing.lines.join('\n');
        for (const line of drawing.lines) assert.ok(line.length <= width, `${line} wider than ${width}`);
        for (const name of names) assert.equal(text.split(name).length - 1, 1, `${name} in\n${text}`);
        assert.match(drawing.lines[0]!, /^┌[─┬]*┐$/);
        assert.match(drawing.lines.at(-1)!, /^└[─┴]*┘$/);
      }
    }
  });
});
