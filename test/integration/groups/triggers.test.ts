import { describe, expect, it } from 'vitest';
import { useMoto } from '../../support/moto.ts';
import { createGroup } from '../../support/seed.ts';
import { actions, alarmTags, ownedAlarms, policiesOf, putManualPolicy, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

function yaml(triggers: string): string {
  return `groups:\n  web-asg:\n    min: 1\n    max: 6\n${triggers === '' ? '' : `    triggers:\n${triggers}`}`;
}

const CPU = yaml(`      cpu:
        metric: CPUUtilization
        unit: Percent
        period: 60
        breach_duration: 180
        upper: { threshold: 80, adjust: 2 }
        lower: { threshold: 30, adjust: "-25%" }
`);

async function seedAndApply(config: string): Promise<void> {
  await createGroup(moto.clients(), 'web-asg', { min: 1, max: 6, desired: 1 });
  const applied = await run.apply(config);
  expect(applied.report?.failed).toBe(0);
}

describe('threshold triggers against moto', () => {
  it('create a step policy and an alarm per side, the alarm running the policy; then plan nothing', async () => {
    await seedAndApply(CPU);

    const policies = await policiesOf(moto, 'web-asg');
    const up = policies.find((p) => p.PolicyName === 'gitops-web-asg-cpu-up');
    const down = policies.find((p) => p.PolicyName === 'gitops-web-asg-cpu-down');
    expect(up).toMatchObject({
      PolicyType: 'StepScaling',
      AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
    });
    expect(down).toMatchObject({
      AdjustmentType: 'PercentChangeInCapacity',
      StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -25 }],
    });

    const alarms = await ownedAlarms(moto);
    const upAlarm = alarms.find((a) => a.AlarmName === 'gitops-web-asg-cpu-up');
    expect(upAlarm).toMatchObject({
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/EC2',
      Statistic: 'Average',
      Unit: 'Percent',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }],
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [up?.PolicyARN],
    });
    expect(alarms.find((a) => a.AlarmName === 'gitops-web-asg-cpu-down')?.AlarmActions).toEqual([
      down?.PolicyARN,
    ]);
    expect(await alarmTags(moto, upAlarm?.AlarmArn ?? '')).toEqual([
      { Key: 'managed-by', Value: 'autoscale-gitops' },
    ]);

    expect((await run.plan(CPU)).plan.changes).toEqual([]);
  });

  it.each([
    [
      'threshold',
      CPU.replace('threshold: 80', 'threshold: 90'),
      [['metric_alarm', 'update', 'gitops-web-asg-cpu-up']],
    ],
    [
      'adjustment',
      CPU.replace('adjust: 2', 'adjust: 3'),
      [['scaling_policy', 'update', 'gitops-web-asg-cpu-up']],
    ],
    [
      'period',
      CPU.replace('period: 60', 'period: 180'),
      [
        ['metric_alarm', 'update', 'gitops-web-asg-cpu-up'],
        ['metric_alarm', 'update', 'gitops-web-asg-cpu-down'],
      ],
    ],
  ])('change in %s: planned, applied, then nothing left', async (_what, changed, expected) => {
    await seedAndApply(CPU);
    const before = await ownedAlarms(moto);

    const plan = await run.plan(changed);
    expect(actions(plan.plan)).toEqual(expected);
    const applied = await run.apply(changed);
    expect(applied.report?.failed).toBe(0);
    expect((await run.plan(changed)).plan.changes).toEqual([]);
    // The alarms still run the same policies.
    const after = await ownedAlarms(moto);
    expect(after.map((a) => [a.AlarmName, a.AlarmActions])).toEqual(
      before.map((a) => [a.AlarmName, a.AlarmActions]),
    );
  });

  it('deleted from the YAML: alarms and policies go, then nothing left', async () => {
    await seedAndApply(CPU);
    const bare = yaml('');
    expect(actions((await run.plan(bare)).plan)).toEqual([
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-down'],
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-up'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-down'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-up'],
    ]);
    const applied = await run.apply(bare);
    expect(applied.report?.failed).toBe(0);
    expect(await policiesOf(moto, 'web-asg')).toEqual([]);
    expect(await ownedAlarms(moto)).toEqual([]);
    expect((await run.plan(bare)).plan.changes).toEqual([]);
  });

  it('leave an unowned policy alone, with a warning', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 6, desired: 1 });
    await putManualPolicy(moto, 'web-asg', 'manual-scale-out');
    const applied = await run.apply(CPU);
    expect(applied.plan.warnings.map((w) => w.message)).toEqual([
      'group web-asg also has scaling policy manual-scale-out, not managed here (left as is)',
    ]);
    await run.apply(yaml(''));
    const left = await policiesOf(moto, 'web-asg');
    expect(left.map((p) => [p.PolicyName, p.PolicyType, p.ScalingAdjustment])).toEqual([
      ['manual-scale-out', 'SimpleScaling', 2],
    ]);
  });
});

describe('target tracking against moto', () => {
  const STEADY = yaml(
    '      steady:\n        target_tracking: { metric: ASGAverageCPUUtilization, target: 50 }\n',
  );

  it('creates a TargetTrackingScaling policy, updates its target, then plans nothing', async () => {
    await seedAndApply(STEADY);
    expect(
      (await policiesOf(moto, 'web-asg')).map((p) => [
        p.PolicyName,
        p.PolicyType,
        p.TargetTrackingConfiguration,
      ]),
    ).toEqual([
      [
        'gitops-web-asg-steady',
        'TargetTrackingScaling',
        {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 50,
          DisableScaleIn: false,
        },
      ],
    ]);
    expect(await ownedAlarms(moto)).toEqual([]);
    expect((await run.plan(STEADY)).plan.changes).toEqual([]);

    const sixty = STEADY.replace('target: 50', 'target: 60, disable_scale_in: true');
    const plan = await run.plan(sixty);
    expect(plan.plan.changes.map((c) => [c.action, c.before, c.after])).toEqual([
      ['update', { target: 50, disable_scale_in: false }, { target: 60, disable_scale_in: true }],
    ]);
    await run.apply(sixty);
    expect((await run.plan(sixty)).plan.changes).toEqual([]);
  });
});
