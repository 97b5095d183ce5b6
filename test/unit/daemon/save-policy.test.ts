import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ChangeSaveCredit,
  changeSaveCreditAt,
  decideChangeSave,
  fullChangeSaveCredit,
  spendChangeSaveCredit,
} from '../../../src/daemon/save-policy.js';

/**
 * Plays the daemon's use of the policy over a list of structures, one per lap (lap 1 first, its
 * structure already saved by the first look), and returns the laps that wrote a change-save.
 */
function changeSaveLaps(structures: readonly string[]): number[] {
  let handled = structures[0];
  let previous: string | undefined;
  let unsettledLaps = 0;
  let credit: ChangeSaveCredit = fullChangeSaveCredit(0);
  const saved: number[] = [];
  structures.forEach((structure, index) => {
    const lap = index + 1;
    const stable = structure === previous;
    previous = structure;
    const changed = structure !== handled;
    unsettledLaps = changed ? unsettledLaps + 1 : 0;
    if (decideChangeSave({ lap, changed, stable, unsettledLaps, credit }).save) {
      saved.push(lap);
      handled = structure;
      unsettledLaps = 0;
      credit = spendChangeSaveCredit(credit, lap);
    }
  });
  return saved;
}

/** Any stretch of laps holds at most 3 + (its length / 12) change-saves (the policy's promise). */
function assertRateBounded(saves: readonly number[]): void {
  for (let first = 0; first < saves.length; first += 1)
    for (let last = first; last < saves.length; last += 1) {
      const count = last - first + 1;
      const span = saves[last]! - saves[first]!;
      assert.ok(count <= 3 + span / 12, `${count} saves within ${span} laps: ${saves}`);
    }
}

/** `count` laps, the structure switching between `a` and `b` every `every` laps. */
function alternating(count: number, every: number, a = 'A', b = 'B'): string[] {
  return Array.from({ length: count }, (_, index) => (Math.floor(index / every) % 2 === 0 ? a : b));
}

describe('decideChangeSave', () => {
  const credit = fullChangeSaveCredit(0);
  const facts = { lap: 10, changed: true, stable: true, unsettledLaps: 2, credit };

  it('saves a change that held still for a lap, at once while credit lasts', () => {
    assert.deepEqual(decideChangeSave(facts), { save: true });
    assert.deepEqual(decideChangeSave({ ...facts, changed: false, unsettledLaps: 0 }), {
      save: false,
      reason: 'unchanged',
    });
  });

  it('waits while the structure is still moving, but not past five laps', () => {
    assert.deepEqual(decideChangeSave({ ...facts, stable: false, unsettledLaps: 4 }), {
      save: false,
      reason: 'still changing',
    });
    assert.deepEqual(decideChangeSave({ ...facts, stable: false, unsettledLaps: 5 }), { save: true });
  });

  it('refuses when three change-saves were written in the last laps, until 12 laps of credit grew back', () => {
    let spent = credit;
    for (const lap of [1, 2, 3]) spent = spendChangeSaveCredit(spent, lap);
    // 36 laps of credit, 3 saves of 12 each, 2 laps grown back (laps 1 to 3): 2 left.
    assert.deepEqual(spent, { laps: 2, lap: 3 });
    assert.deepEqual(decideChangeSave({ ...facts, lap: 4, credit: spent }), {
      save: false,
      reason: 'rate limited',
    });
    assert.deepEqual(decideChangeSave({ ...facts, lap: 12, credit: spent }), {
      save: false,
      reason: 'rate limited',
    });
    assert.deepEqual(decideChangeSave({ ...facts, lap: 13, credit: spent }), { save: true });
  });

  it('lets credit grow back to three saves and no further', () => {
    assert.deepEqual(changeSaveCreditAt({ laps: 0, lap: 0 }, 1000), { laps: 36, lap: 1000 });
    assert.deepEqual(changeSaveCreditAt({ laps: 5, lap: 10 }, 17), { laps: 12, lap: 17 });
    // A clock that goes backwards (it never should) takes nothing away.
    assert.deepEqual(changeSaveCreditAt({ laps: 5, lap: 10 }, 3), { laps: 5, lap: 3 });
  });
});

describe('the change-save policy over a run of laps', () => {
  it('saves isolated changes one lap after they appear', () => {
    const structures = [
      ...Array<string>(10).fill('A'),
      ...Array<string>(10).fill('B'),
      ...Array<string>(10).fill('C'),
      ...Array<string>(10).fill('D'),
    ];
    assert.deepEqual(changeSaveLaps(structures), [12, 22, 32]);
  });

  it('after a quiet spell has its burst of three prompt saves again', () => {
    const structures = [
      ...alternating(40, 2),
      ...Array<string>(40).fill('B'),
      ...Array<string>(3).fill('C'),
      ...Array<string>(3).fill('D'),
      ...Array<string>(3).fill('E'),
    ];
    const saves = changeSaveLaps(structures);
    assert.deepEqual(saves.slice(-3), [82, 85, 88]);
  });

  it('bounds a structure alternating between two states every two laps: 3 saves, then one per 12 laps', () => {
    const saves = changeSaveLaps(alternating(120, 2));
    // B appears at lap 3 and holds still at lap 4, A at 5 and 6, B at 7 and 8: the burst. From then on
    // a save needs 12 laps of credit grown since the last, and a stable lap to land on.
    assert.deepEqual(saves.slice(0, 3), [4, 6, 8]);
    assert.ok(saves.length <= 3 + 120 / 12, `${saves.length} saves: ${saves}`);
    assert.ok(saves.length >= 9, `still saving under churn: ${saves}`);
    assertRateBounded(saves);
  });

  it('bounds a structure alternating every lap through new states, and saves the last one after it stops', () => {
    const churn = Array.from({ length: 60 }, (_, index) => `S${index}`);
    const structures = [...churn, ...Array<string>(20).fill('final')];
    const saves = changeSaveLaps(structures);
    assert.ok(saves.filter((lap) => lap <= 60).length <= 3 + 60 / 12, `${saves}`);
    assertRateBounded(saves);
    // The final structure appears at lap 61 and is written within 12 laps.
    const last = saves.at(-1)!;
    assert.ok(last > 61 && last <= 61 + 12, `${saves}`);
  });

  it('saves the final state of a two-state churn after it stops', () => {
    const structures = [...alternating(60, 3), ...Array<string>(20).fill('C')];
    const saves = changeSaveLaps(structures);
    assertRateBounded(saves);
    const last = saves.at(-1)!;
    assert.ok(last > 61 && last <= 61 + 12, `${saves}`);
  });
});
