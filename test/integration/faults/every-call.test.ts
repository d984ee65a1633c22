/**
 * The bar: 30% throttling, 10% 5xx and 5% connection resets on EVERY call, reads and
 * writes (seeded). Plan and apply complete, nothing is deleted that a clean plan would keep,
 * the fleet is never left worse, and a clean run afterwards converges.
 */
import { describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import {
  appliedDestructive,
  destructive,
  EVERY_CALL,
  snapshot,
  useProxy,
  useRunner,
  worse,
} from './harness.ts';
import { SCENARIOS } from './scenarios.ts';

const moto = useMoto();
const runner = useRunner(moto);
const proxy = useProxy(moto);

describe.each(SCENARIOS)('faults on every call: $name', (scenario) => {
  it.each([1, 2])(
    'plan and apply complete, nothing worse, nothing deleted a clean plan keeps; a clean run converges (seed %i)',
    async (seed) => {
      const { yaml, intent } = await scenario.setup(moto, runner);
      const clean = await runner.plan(yaml);
      const before = await snapshot(moto);
      const p = proxy.start({ faults: EVERY_CALL, scope: 'all', seed });

      const planned = await runner.plan(yaml, { endpoint: p.endpoint });
      for (const change of destructive(planned.plan)) expect(destructive(clean.plan)).toContain(change);

      const applied = await runner.apply(yaml, { endpoint: p.endpoint });
      expect(applied.report).not.toBeNull();
      for (const change of appliedDestructive(applied)) expect(destructive(clean.plan)).toContain(change);
      expect(worse(before, await snapshot(moto), intent)).toEqual([]);
      expect(p.stats().totalFaults).toBeGreaterThan(0);

      const again = await runner.apply(yaml);
      expect(applyExitCode(again)).toBe(0);
      expect((await runner.plan(yaml)).plan.changes).toEqual([]);
    },
    180_000,
  );
});
