/**
 * Idempotence and concurrency: applying twice leaves nothing for the second run; two applies at
 * once (separate pools, as two CI jobs would be) end consistent: the plan after them is empty,
 * and the owned objects are exactly those one apply makes, each alarm running one existing
 * policy (no duplicates, no orphans). Also with faults on every call.
 */
import { describe, expect, it } from 'vitest';
import { applyExitCode, runApply } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import { EVERY_CALL, orphans, ownedNames, snapshot, useProxy, useRunner, worse } from './harness.ts';
import { SCENARIOS } from './scenarios.ts';

const moto = useMoto();
const runner = useRunner(moto);
const proxy = useProxy(moto);

describe.each(SCENARIOS)('idempotence and concurrency: $name', (scenario) => {
  it('apply twice: the second run has nothing to do', async () => {
    const { yaml } = await scenario.setup(moto, runner);
    const first = await runner.apply(yaml);
    expect(applyExitCode(first)).toBe(0);
    expect(first.plan.changes.length).toBeGreaterThan(0);
    const second = await runner.apply(yaml);
    expect(second.plan.changes).toEqual([]);
    expect(applyExitCode(second)).toBe(0);
  });

  it.each([
    ['clean', undefined],
    ['with faults on every call', EVERY_CALL],
  ] as const)(
    'two applies at once (%s) end consistent: empty plan after, the owned objects of one apply, no orphans',
    async (_label, faults) => {
      // What one apply makes, on its own.
      const { yaml, intent } = await scenario.setup(moto, runner);
      await runner.apply(yaml);
      const expected = ownedNames(await snapshot(moto));
      await moto.server.reset();

      await scenario.setup(moto, runner);
      const before = await snapshot(moto);
      const p = proxy.start({ faults: faults ?? {}, seed: 9 });
      const [a, b] = await Promise.all([
        runApply(await runner.options(yaml, { endpoint: p.endpoint })),
        runApply(await runner.options(yaml, { endpoint: p.endpoint })),
      ]);
      expect(a.report).not.toBeNull();
      expect(b.report).not.toBeNull();
      expect(worse(before, await snapshot(moto), intent)).toEqual([]);

      // Whatever each run reported, one more clean apply finishes the job and then all is quiet.
      await runner.apply(yaml);
      expect((await runner.plan(yaml)).plan.changes).toEqual([]);
      const after = await snapshot(moto);
      expect(orphans(after)).toEqual([]);
      expect(ownedNames(after)).toEqual(expected);
    },
    180_000,
  );
});
