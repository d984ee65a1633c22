/**
 * Owned alarms listed by split name prefixes (issue 14) against moto: 100 groups' alarms read as
 * two listings side by side (`gitops-a`, `gitops-b`, a page each) instead of one of two pages,
 * and nothing is missed: the plan after the apply is empty, and a stale owned alarm is found.
 */
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import { createGroup } from '../../support/seed.ts';
import { actions, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

const NAMES = ['a', 'b'].flatMap((letter) =>
  Array.from({ length: 50 }, (_, i) => `${letter}${String(i).padStart(2, '0')}-asg`),
);

const YAML = `groups:\n${NAMES.map(
  (name) =>
    `  ${name}:\n    triggers:\n      cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 }, lower: { threshold: 20, adjust: -1 } }\n`,
).join('')}`;

describe('owned alarms by name prefix', () => {
  it('reads 100 groups\u2019 alarms as two listings side by side and misses none', async () => {
    const clients = moto.clients();
    for (const name of NAMES) await createGroup(clients, name, { min: 0, max: 2, desired: 0 });
    const applied = await run.apply(YAML);
    expect(applyExitCode(applied)).toBe(0);
    expect(applied.plan.changes.filter((c) => c.type === 'metric_alarm')).toHaveLength(200);

    // A stale owned alarm of one group (its trigger removed from the YAML, say).
    await clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'gitops-b07-asg-old-up',
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'b07-asg' }],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const again = await run.plan(YAML);
    expect(actions(again.plan)).toEqual([['metric_alarm', 'delete', 'gitops-b07-asg-old-up']]);
    expect(again.plan.errors).toEqual([]);
    // 200 alarms expected: `gitops-a` and `gitops-b`, 100 each, a page each, read at once.
    expect(again.counter.count('CloudWatch', 'DescribeAlarms')).toBe(2);
  });
});
