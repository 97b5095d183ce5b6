import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { drawLayout } from '../../../src/cli/layout-drawing.js';
import { parseLayout, validateLayout } from '../../../src/mux/layout.js';
import { printClassicLayout } from '../../../src/mux/layout-print.js';
import { validateSnapshot } from '../../../src/snapshot/schema.js';
import { recordedLayouts } from '../../support/layouts.js';
import { pane, session, snapshot, window } from '../../support/snapshots.js';

/** The windows of test/support/recorded/generate-layouts.mjs as tmux 3.8 wrote them (JSON). */
const recorded38 = readFileSync(resolve(process.cwd(), 'test/support/recorded/layouts-tmux-3.8.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const [panes, , layout] = line.split('\t');
    return { panes: Number(panes), layout: layout! };
  });

/** Checksum and pane ids off, written out here rather than taken from the code under test. */
const geometryOf = (classic: string): string =>
  classic.replace(/^[0-9a-f]{4},/, '').replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1');

const twoPanes =
  '{"V":2,"L":{"t":"h","w":80,"h":24,"x":0,"y":0,"c":[{"t":"p","w":40,"h":24,"x":0,"y":0,"a":true,"i":0,"I":"%1"},{"t":"p","w":39,"h":24,"x":41,"y":0,"l":0,"i":1,"I":"%2"}]}}';

describe('the JSON layout form of tmux 3.8', () => {
  it('reads every layout tmux 3.8 wrote, for exactly its number of panes', () => {
    assert.equal(recorded38.length, 9);
    for (const { panes, layout } of recorded38) {
      assert.deepEqual(validateLayout(layout, panes), { ok: true }, layout);
      assert.equal(validateLayout(layout, panes + 1).ok, false);
    }
  });

  it('prints the same windows in the classic form as tmux 3.3a wrote them (but main-vertical, which 3.8 lays out otherwise)', () => {
    const classic = recordedLayouts();
    let same = 0;
    recorded38.forEach(({ layout }, index) => {
      const parsed = parseLayout(layout);
      assert.ok(parsed.ok);
      if (geometryOf(printClassicLayout(parsed.root)) === geometryOf(classic[index]!.layout)) same += 1;
    });
    assert.equal(same, 8);
  });

  it('keeps the pane ids and prints the classic checksum tmux computes', () => {
    const parsed = parseLayout(twoPanes, 2);
    assert.ok(parsed.ok);
    // tmux 3.3a wrote this very string for the same window (layouts-tmux.txt, line 3, with ids 1 and 2).
    assert.equal(printClassicLayout(parsed.root), '020a,80x24,0,0{40x24,0,0,1,39x24,41,0,2}');
  });

  const refused: readonly [string, string, RegExp][] = [
    ['whitespace', twoPanes.replace('"V":2', '"V": 2'), /expected "2"|expected a version/],
    ['another version', twoPanes.replace('"V":2', '"V":3'), /JSON version 3, not 2/],
    ['a key tmux does not write', twoPanes.replace('"a":true', '"f":true'), /expected/],
    ['keys out of order', twoPanes.replace('"w":80,"h":24', '"h":24,"w":80'), /expected/],
    ['no pane index', twoPanes.replace(',"i":1', ''), /expected ",\\"i\\":"/],
    ['a pane index twice', twoPanes.replace('"i":1', '"i":0'), /pane index 0 appears twice/],
    ['an unknown cell type', twoPanes.replace('"t":"h"', '"t":"x"'), /cell type/],
    ['cells that do not add up', twoPanes.replace('"w":39', '"w":38'), /do not add up/],
    ['a cell off its container', twoPanes.replace('"x":41', '"x":42'), /does not fit its container/],
    ['a leading zero', twoPanes.replace('"w":40', '"w":040'), /leading zero/],
    ['a size beyond tmux maximum', twoPanes.replace('"w":80', '"w":10001'), /larger than 10000/],
    [
      'a container of one cell',
      '{"V":2,"L":{"t":"h","w":80,"h":24,"x":0,"y":0,"c":[{"t":"p","w":80,"h":24,"x":0,"y":0,"i":0,"I":"%1"}]}}',
      /only one cell/,
    ],
    ['text after it', `${twoPanes}x`, /unexpected characters at position/],
    ['cut short', twoPanes.slice(0, 60), /ends where/],
    ['a pane id without %', twoPanes.replace('"I":"%1"', '"I":"1"'), /expected/],
  ];
  for (const [what, layout, problem] of refused) {
    it(`refuses ${what}`, () => {
      const result = validateLayout(layout, 2);
      assert.equal(result.ok, false, layout);
      if (!result.ok) assert.match(result.problem, problem);
    });
  }
});

describe('saves holding a JSON layout', () => {
  it('pass the schema without a layout warning, and a broken one is warned about as the classic form is', () => {
    const withLayout = (layout: string) =>
      snapshot({
        sessions: [
          session({
            windows: [window({ layout, panes: [pane({ id: '%1' }), pane({ id: '%2', index: 1 })] })],
          }),
        ],
      });
    const good = validateSnapshot(withLayout(twoPanes));
    assert.ok(good.ok);
    if (good.ok) assert.deepEqual(good.warnings, []);
    const broken = validateSnapshot(withLayout(twoPanes.replace('"w":39', '"w":38')));
    assert.ok(broken.ok);
    if (broken.ok) assert.match(broken.warnings.join('\n'), /not one tmux can use: .*do not add up/);
  });

  it('are drawn by `show` as the same window in the classic form is', () => {
    const json = parseLayout(twoPanes, 2);
    const classic = parseLayout('020a,80x24,0,0{40x24,0,0,1,39x24,41,0,2}', 2);
    assert.ok(json.ok && classic.ok);
    const label = (_cell: unknown, position: number) => `pane ${position}`;
    const drawn = drawLayout(json.root, label, { width: 40 });
    assert.ok(drawn.drawn);
    assert.deepEqual(drawn, drawLayout(classic.root, label, { width: 40 }));
  });
});
