/**
 * Faults on writes: when writes fail, the run says so (failed changes, exit status 1, the JSON
 * report) and skips what depended on them; the fleet is never left worse; and the next clean run
 * converges (a clean apply, then a clean plan with nothing to do).
 */
import { describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { render } from '../../../src/render/index.ts';
import { useMoto } from '../../support/moto.ts';
import { ALWAYS, EVERY_CALL, orphans, snapshot, useProxy, useRunner, worse } from './harness.ts';
import { SCENARIOS } from './scenarios.ts';

const moto = useMoto();
const runner = useRunner(moto);
const proxy = useProxy(moto);

describe.each(SCENARIOS)('faults on writes: $name', (scenario) => {
  it('every write failing: the run reports each failure, nothing is worse, the next clean run converges', async () => {
    const { yaml, intent } = await scenario.setup(moto, runner);
    const before = await snapshot(moto);
    const p = proxy.start({ faults: ALWAYS, scope: 'writes', seed: 3 });
    const run = await runner.apply(yaml, { endpoint: p.endpoint });
    const report = run.report;
    if (report === null) throw new Error('no report');
    expect(run.plan.changes.length).toBeGreaterThan(0);
    expect(report.applied).toBe(0);
    expect(report.failed).toBeGreaterThan(0);
    expect(report.failed + report.skipped).toBe(run.plan.changes.length);
    expect(applyExitCode(run)).toBe(1);
    const json = JSON.parse(render('json', run.plan, report));
    for (const change of json.changes) expect(['failed', 'skipped']).toContain(change.result);
    // Reads were never faulted: every fault was on a write.
    for (const op of Object.keys(p.stats().faults)) expect(op).not.toMatch(/:(Describe|List|Get)/);
    expect(worse(before, await snapshot(moto), intent)).toEqual([]);

    const again = await runner.apply(yaml);
    expect(applyExitCode(again)).toBe(0);
    expect((await runner.plan(yaml)).plan.changes).toEqual([]);
    expect(orphans(await snapshot(moto))).toEqual([]);
  }, 180_000);

  it('the first answer of every write lost (done, then the connection reset): the retries find the work done and the run succeeds', async () => {
    const { yaml, intent } = await scenario.setup(moto, runner);
    const before = await snapshot(moto);
    // A retried CreateAutoScalingGroup meets AlreadyExists, as on AWS (moto would replace the group).
    const p = proxy.start({
      faults: { reset: 1 },
      resetPhase: 'after',
      scope: 'writes',
      faultyAttempts: 1,
      awsDuplicateCreates: true,
    });
    const run = await runner.apply(yaml, { endpoint: p.endpoint });
    const failures = [...(run.report?.results ?? [])].filter(([, r]) => r.status !== 'applied');
    expect(failures).toEqual([]);
    expect(applyExitCode(run)).toBe(0);
    expect(p.stats().totalFaults).toBeGreaterThan(0);
    expect(worse(before, await snapshot(moto), intent)).toEqual([]);
    expect((await runner.plan(yaml)).plan.changes).toEqual([]);
  });

  it('writes failing at 30% / 10% / 5%: the run completes and says what failed, nothing is worse, the next clean run converges', async () => {
    const { yaml, intent } = await scenario.setup(moto, runner);
    const before = await snapshot(moto);
    const p = proxy.start({ faults: EVERY_CALL, scope: 'writes', seed: 5 });
    const run = await runner.apply(yaml, { endpoint: p.endpoint });
    const report = run.report;
    if (report === null) throw new Error('no report');
    expect(report.applied + report.failed + report.skipped).toBe(run.plan.changes.length);
    expect(applyExitCode(run)).toBe(report.failed + report.skipped > 0 ? 1 : 0);
    expect(worse(before, await snapshot(moto), intent)).toEqual([]);

    const again = await runner.apply(yaml);
    expect(applyExitCode(again)).toBe(0);
    expect((await runner.plan(yaml)).plan.changes).toEqual([]);
    expect(orphans(await snapshot(moto))).toEqual([]);
  }, 180_000);
});
