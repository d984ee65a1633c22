/**
 * Faults on reads only: whatever fails to be read, nothing is deleted or deregistered that a
 * clean plan of the same state would not delete; what could not be read is reported; the run
 * completes; and apply under read faults never makes the fleet worse.
 */
import { describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import { appliedDestructive, destructive, snapshot, useProxy, useRunner, worse } from './harness.ts';
import { SCENARIOS } from './scenarios.ts';

const moto = useMoto();
const runner = useRunner(moto);
const proxy = useProxy(moto);

/** Heavy enough that some reads fail all five attempts (0.9^5 ≈ 59% of reads). */
const READS_MOSTLY_FAIL = { throttle: 0.4, serverError: 0.3, reset: 0.2 } as const;

describe.each(SCENARIOS)('faults on reads: $name', (scenario) => {
  it.each([1, 2])(
    'plans nothing destructive that a clean plan would not (9 reads in 10 fail, seed %i)',
    async (seed) => {
      const { yaml } = await scenario.setup(moto, runner);
      const clean = await runner.plan(yaml);
      expect(clean.plan.errors).toEqual([]);
      const p = proxy.start({ faults: READS_MOSTLY_FAIL, scope: 'reads', seed });
      const faulted = await runner.plan(yaml, { endpoint: p.endpoint });
      const stats = p.stats();
      expect(stats.totalFaults).toBeGreaterThan(0);
      for (const change of destructive(faulted.plan)) expect(destructive(clean.plan)).toContain(change);
      // What could not be read is said, never silently taken for empty.
      if (
        destructive(faulted.plan).length < destructive(clean.plan).length ||
        faulted.plan.changes.length < clean.plan.changes.length
      ) {
        expect(faulted.plan.errors.length + faulted.plan.warnings.length).toBeGreaterThan(0);
      }
    },
    120_000,
  );

  it('applies under read faults without deleting more than a clean plan, and without making anything worse', async () => {
    const { yaml, intent } = await scenario.setup(moto, runner);
    const clean = await runner.plan(yaml);
    const before = await snapshot(moto);
    const p = proxy.start({ faults: READS_MOSTLY_FAIL, scope: 'reads', seed: 11 });
    const run = await runner.apply(yaml, { endpoint: p.endpoint });
    for (const change of appliedDestructive(run)) expect(destructive(clean.plan)).toContain(change);
    expect(worse(before, await snapshot(moto), intent)).toEqual([]);
    // A clean run afterwards converges.
    const again = await runner.apply(yaml);
    expect(applyExitCode(again)).toBe(0);
    expect((await runner.plan(yaml)).plan.changes).toEqual([]);
  }, 120_000);
});
