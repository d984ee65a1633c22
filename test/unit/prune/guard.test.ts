/** prune.max arithmetic: counts, percents rounded down, integer comparison, the reason's wording. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLimit } from '../../../src/desired/prune.ts';
import type { PruneLimit } from '../../../src/model.ts';
import { allowedRemovals, guardReason, percentOver } from '../../../src/plan/prune/guard.ts';

const pct = (value: number): PruneLimit => ({ kind: 'percent', value });
const count = (value: number): PruneLimit => ({ kind: 'count', value });

describe('allowedRemovals', () => {
  it('is the count itself, or the percent of the entries rounded down', () => {
    expect(allowedRemovals(count(5), 100)).toBe(5);
    expect(allowedRemovals(pct(25), 12)).toBe(3);
    expect(allowedRemovals(pct(25), 11)).toBe(2);
    expect(allowedRemovals(pct(25), 3)).toBe(0);
    expect(allowedRemovals(pct(100), 7)).toBe(7);
    expect(allowedRemovals(pct(0), 7)).toBe(0);
  });
});

describe('guardReason', () => {
  it('words a percent breach like the contract', () => {
    expect(guardReason(pct(25), 9, 12, 'target registrations')).toBe(
      'would prune 9 of 12 target registrations (75% > 25%)',
    );
  });

  it('lets through exactly the limit, blocks one more', () => {
    expect(guardReason(pct(25), 3, 12, 'x')).toBeUndefined();
    expect(guardReason(pct(25), 4, 12, 'x')).toBe('would prune 4 of 12 x (33.3% > 25%)');
    expect(guardReason(count(2), 2, 3, 'chef entries')).toBeUndefined();
    expect(guardReason(count(2), 3, 4, 'chef entries')).toBe(
      'would prune 3 of 4 chef entries (more than max 2)',
    );
  });

  it('blocks one removal of a small fleet at 25%, and anything at 0', () => {
    expect(guardReason(pct(25), 1, 2, 'x')).toBe('would prune 1 of 2 x (50% > 25%)');
    expect(guardReason(count(0), 1, 100, 'x')).toBe('would prune 1 of 100 x (more than max 0)');
    expect(guardReason(pct(0), 1, 1000, 'x')).toBe('would prune 1 of 1000 x (0.1% > 0%)');
  });

  it('never blocks zero removals', () => {
    expect(guardReason(pct(0), 0, 0, 'x')).toBeUndefined();
    expect(guardReason(count(0), 0, 5, 'x')).toBeUndefined();
  });

  it('blocks exactly when removals × 100 > percent × entries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.nat(),
        (p, entries, r) => {
          const removals = r % (entries + 1);
          const blocked = guardReason(pct(p), removals, entries, 'x') !== undefined;
          expect(blocked).toBe(removals * 100 > p * entries);
        },
      ),
    );
  });

  it('never shows a breaching percent at or below the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 100_000 }), (p, entries) => {
        // The smallest breach: one more than allowed.
        const removals = Math.floor((p * entries) / 100) + 1;
        if (removals > entries) return;
        expect(Number(percentOver(removals, entries, p))).toBeGreaterThan(p);
      }),
    );
    expect(percentOver(2501, 10_000, 25)).toBe('25.1');
  });
});

describe('parseLimit', () => {
  it('reads counts and percents as the schema allows them', () => {
    expect(parseLimit('25%')).toEqual(pct(25));
    expect(parseLimit(5)).toEqual(count(5));
    expect(parseLimit('5')).toEqual(count(5));
    expect(parseLimit(0)).toEqual(count(0));
    expect(parseLimit(undefined)).toBeUndefined();
    expect(parseLimit('many')).toBeUndefined();
  });
});
