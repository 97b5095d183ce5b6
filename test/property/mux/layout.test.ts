import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLayout, validateLayout } from '../../../src/mux/layout.js';
import { printClassicLayout } from '../../../src/mux/layout-print.js';
import { layoutArbitrary, mutate, mutationArbitrary } from '../../support/layout-arbitraries.js';
import { tmuxLayoutChecksum } from '../../support/layouts.js';

describe('the JSON layout form (property)', () => {
  it('reads every layout tree tmux 3.8 could write into the tree of the same layout in the classic form', () => {
    fc.assert(
      fc.property(
        layoutArbitrary(4, 4, () => 1),
        ({ layout, json: jsonLayout, panes }) => {
          const parsed = parseLayout(jsonLayout, panes);
          assert.ok(parsed.ok, `${jsonLayout}: ${parsed.ok ? '' : parsed.problem}`);
          assert.equal(printClassicLayout(parsed.root), layout);
          assert.equal(validateLayout(jsonLayout, panes + 1).ok, false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('layout validator (property)', () => {
  it('accepts every layout tree rendered as tmux writes it, for exactly its number of panes', () => {
    fc.assert(
      fc.property(
        layoutArbitrary(4, 4, () => 1),
        ({ layout, panes }) => {
          assert.deepEqual(validateLayout(layout, panes), { ok: true }, layout);
          assert.equal(validateLayout(layout, panes + 1).ok, false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a mutated or truncated layout, or finds it still valid, and never throws', () => {
    fc.assert(
      fc.property(
        layoutArbitrary(3, 3, () => 1),
        mutationArbitrary,
        ({ layout, panes }, mutation) => {
          const mutated = mutate(layout, mutation);
          const result = validateLayout(mutated, panes);
          if (result.ok) {
            // Whatever passes carries the checksum tmux computes, in the syntax tmux writes.
            assert.equal(mutated.slice(0, 5), `${tmuxLayoutChecksum(mutated.slice(5))},`);
            assert.match(mutated.slice(5), /^[0-9x,{}[\]]+$/);
            // A changed character under the old checksum never passes: tmux's checksum steps are
            // bijections, so one different byte always gives another sum.
            if (mutation.kind === 'replace' && !mutation.recomputeChecksum) assert.equal(mutated, layout);
          } else {
            assert.ok(result.problem.length > 0);
            // The problem may reach a terminal: no control or non-ASCII characters from the input.
            assert.match(result.problem, /^[\x20-\x7e]+$/);
          }
          if (mutation.kind === 'truncate' && !mutation.recomputeChecksum && mutated !== layout)
            assert.equal(result.ok, false, 'a truncated layout under the old checksum');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
