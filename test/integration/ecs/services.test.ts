/** ECS services scaled from CloudWatch metrics, end to end against moto. */
import { describe, expect, it } from 'vitest';
import { LAST_SCALED_TAG } from '../../../src/model.ts';
import { applyExitCode, planExitCode } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import { createEcsCluster, createEcsService, putMetricData } from '../../support/seed.ts';
import { actions, CLUSTER, describeService, lastCompletePeriod, NOW, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

const YAML = `services:
  worker:
    min: 1
    max: 3
    metric_sources:
      cloudwatch:
        - namespace: Custom/Queues
          metric_name: Ready
          dimensions: [ { name: ClusterName, value: ${CLUSTER} } ]
          period: 60
          statistics: [ { name: Maximum, alias: queue_length } ]
    events:
      - { metric: queue_length, action: 1, min: 5, max: null }
      - { metric: queue_length, action: -1, min: null, max: 1 }
`;

async function seed(desired: number): Promise<void> {
  const clients = moto.clients();
  await createEcsCluster(clients, CLUSTER);
  await createEcsService(clients, CLUSTER, 'worker', { desired });
}

async function queue(value: number, at: Date = lastCompletePeriod(60)): Promise<void> {
  await putMetricData(moto.clients(), 'Custom/Queues', 'Ready', [
    { value, timestamp: at, dimensions: { ClusterName: CLUSTER } },
  ]);
}

describe('a service scaled from CloudWatch', () => {
  it('scales out on the latest complete datapoint, tags the service, then plans nothing (cooldown)', async () => {
    await seed(1);
    await queue(3, new Date(lastCompletePeriod(60).getTime() - 60_000));
    await queue(12);
    // The period now falls in is still collecting: its datapoint is never used.
    await queue(0, NOW);

    const first = await run.plan(YAML);
    expect(actions(first.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 1 }, { desired: 2 }],
    ]);
    expect(first.plan.decisions?.[0]).toMatchObject({ metrics: { queue_length: 12 }, outcome: 'scale' });
    expect(first.counter.snapshot()).toEqual({ 'CloudWatch:GetMetricData': 1, 'ECS:DescribeServices': 1 });
    expect(planExitCode(first, true)).toBe(2);

    const applied = await run.apply(YAML);
    expect(applyExitCode(applied)).toBe(0);
    const service = await describeService(moto, 'worker');
    expect(service.desiredCount).toBe(2);
    const tag = service.tags?.find((t) => t.key === LAST_SCALED_TAG)?.value;
    expect(tag).toBe(NOW.toISOString());

    const again = await run.plan(YAML);
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.decisions?.[0]).toMatchObject({ outcome: 'cooldown', before: 2, after: 2 });
    expect(planExitCode(again, true)).toBe(0);
  });

  it('scales in when the second event matches', async () => {
    await seed(3);
    await queue(0);
    const applied = await run.apply(YAML);
    expect(actions(applied.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 3 }, { desired: 2 }],
    ]);
    expect((await describeService(moto, 'worker')).desiredCount).toBe(2);
  });

  it('clamps a desired count above max without any metric, then plans nothing', async () => {
    await seed(7);
    const applied = await run.apply(YAML);
    expect(actions(applied.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 7 }, { desired: 3 }],
    ]);
    expect(applied.plan.changes[0]?.reason).toContain('desired 7 is above max 3');
    expect((await describeService(moto, 'worker')).desiredCount).toBe(3);
    const again = await run.plan(YAML);
    expect(again.plan.changes).toEqual([]);
  });

  it('holds further changes for the cooldown and acts once it has run out', async () => {
    await seed(1);
    // A datapoint every minute, so that every later run's window has one.
    for (let minute = -2; minute <= 6; minute++)
      await queue(12, lastCompletePeriod(60, new Date(NOW.getTime() + minute * 60_000)));
    const start = NOW;
    await run.apply(YAML, { now: start });

    const during = await run.plan(YAML, { now: new Date(start.getTime() + 299_000) });
    expect(during.plan.changes).toEqual([]);
    expect(during.plan.decisions?.[0]?.reason).toContain('would set desired 2 → 3');

    const after = await run.plan(YAML, { now: new Date(start.getTime() + 300_000) });
    expect(actions(after.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 2 }, { desired: 3 }],
    ]);

    const shorter = await run.plan(YAML.replace('    max: 3\n', '    max: 3\n    cooldown: 30\n'), {
      now: new Date(start.getTime() + 31_000),
    });
    expect(shorter.plan.changes).toHaveLength(1);
  });

  it('does not scale a service whose metric has no data, and says why', async () => {
    await seed(3);
    // Data outside the window (an hour old) is no data either.
    await queue(0, new Date(NOW.getTime() - 3600_000));
    const result = await run.plan(YAML);
    expect(result.plan.changes).toEqual([]);
    expect(result.plan.errors).toEqual([]);
    expect(result.plan.decisions?.[0]).toMatchObject({ outcome: 'no_data', metrics: { queue_length: null } });
    expect(result.plan.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining(
        'service worker: metric not read, not scaled this run (queue_length: no complete datapoint of Custom/Queues Ready Maximum in the last 5 periods of 60 s',
      ),
    ]);
    expect(planExitCode(result, true)).toBe(0);
  });

  it('reports a service that does not exist and goes on with the others', async () => {
    await seed(1);
    await queue(12);
    const yaml = `${YAML}  ghost:\n    min: 1\n    max: 2\n`;
    const result = await run.plan(yaml);
    expect(actions(result.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 1 }, { desired: 2 }],
    ]);
    expect(result.plan.errors.map((e) => e.message)).toEqual([
      'service ghost does not exist in cluster my_cluster (us-east-1); not scaled',
    ]);
    expect(planExitCode(result, false)).toBe(1);
  });

  it('reports a cluster that does not exist once, and plans nothing of it', async () => {
    const result = await run.plan(YAML);
    expect(result.plan.changes).toEqual([]);
    expect(result.plan.errors.map((e) => e.message)).toEqual([
      'ECS cluster my_cluster does not exist in us-east-1; nothing of it is planned',
    ]);
    expect(result.plan.decisions?.map((d) => d.outcome)).toEqual(['missing']);
  });

  it('reads 12 services in 2 DescribeServices calls and all their metrics in one GetMetricData', async () => {
    const clients = moto.clients();
    await createEcsCluster(clients, CLUSTER);
    const names = Array.from({ length: 12 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
    const lines = ['services:'];
    for (const name of names) {
      await createEcsService(clients, CLUSTER, name, { desired: 1, taskFamily: 'shared' });
      lines.push(
        `  ${name}:`,
        '    min: 1',
        '    max: 2',
        '    metric_sources:',
        '      cloudwatch:',
        `        - { namespace: Custom/Queues, metric_name: Ready, dimensions: [ { name: Service, value: ${name} } ], period: 60, statistics: [ { name: Maximum, alias: q }, { name: Average, alias: avg } ] }`,
        '    events:',
        '      - { metric: q + avg, action: 1, min: 5 }',
      );
      await putMetricData(clients, 'Custom/Queues', 'Ready', [
        { value: 10, timestamp: lastCompletePeriod(60), dimensions: { Service: name } },
      ]);
    }
    const result = await run.plan(`${lines.join('\n')}\n`);
    expect(result.plan.changes).toHaveLength(12);
    expect(result.counter.snapshot()).toEqual({ 'CloudWatch:GetMetricData': 1, 'ECS:DescribeServices': 2 });
  });
});
