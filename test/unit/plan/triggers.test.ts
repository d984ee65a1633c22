import { describe, expect, it } from 'vitest';
import { type LivePolicy, unknown } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import { alarm, desiredFrom, group, liveOf, NOW, policyArn, simplePolicy, stepPolicy } from './fixtures.ts';

const SIZES = { min: 2, max: 8, desired: 4 };

function yaml(trigger: string): string {
  return `
groups:
  web-asg:
    min: 2
    max: 8
    desired: 4
    triggers:
${trigger
  .trim()
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
`;
}

const NO_TRIGGERS = 'groups:\n  web-asg:\n    min: 2\n    max: 8\n    desired: 4\n';

const CPU = yaml(`
cpu:
  metric: CPUUtilization
  unit: Percent
  period: 60
  breach_duration: 360
  upper: { threshold: 80, adjust: 10 }
  lower: { threshold: 40, adjust: -5 }
`);

/** What AWS holds once CPU has been applied. */
function appliedCpu(): { policies: LivePolicy[]; alarms: ReturnType<typeof alarm>[] } {
  return {
    policies: [
      stepPolicy('web-asg', 'gitops-web-asg-cpu-up', 10),
      stepPolicy('web-asg', 'gitops-web-asg-cpu-down', -5),
    ],
    alarms: [
      alarm('gitops-web-asg-cpu-up', { group: 'web-asg', threshold: 80, upper: true, unit: 'Percent' }),
      alarm('gitops-web-asg-cpu-down', { group: 'web-asg', threshold: 40, upper: false, unit: 'Percent' }),
    ],
  };
}

function liveWith(extra: Parameters<typeof liveOf>[0] = {}) {
  return liveOf({ groups: { 'web-asg': group('web-asg', SIZES) }, ...extra });
}

describe('threshold triggers', () => {
  it('create one policy and one alarm per side; each alarm runs its policy once created', () => {
    const result = plan(desiredFrom(CPU), liveWith(), NOW);
    expect(result.errors).toEqual([]);
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['scaling_policy', 'create', 'gitops-web-asg-cpu-up'],
      ['scaling_policy', 'create', 'gitops-web-asg-cpu-down'],
      ['metric_alarm', 'create', 'gitops-web-asg-cpu-up'],
      ['metric_alarm', 'create', 'gitops-web-asg-cpu-down'],
    ]);
    const [up, , upAlarm, downAlarm] = result.changes;
    expect(up?.operation).toEqual({
      kind: 'put_policy',
      group: 'web-asg',
      name: 'gitops-web-asg-cpu-up',
      policy: {
        type: 'StepScaling',
        adjustmentType: 'ChangeInCapacity',
        scalingAdjustment: 10,
        breach: 'above',
      },
    });
    expect(upAlarm?.operation).toEqual({
      kind: 'put_alarm',
      name: 'gitops-web-asg-cpu-up',
      alarm: {
        metric: 'CPUUtilization',
        namespace: 'AWS/EC2',
        statistic: 'Average',
        unit: 'Percent',
        dimensions: { AutoScalingGroupName: 'web-asg' },
        period: 60,
        evaluationPeriods: 6,
        threshold: 80,
        comparison: 'GreaterThanOrEqualToThreshold',
      },
      actions: [{ createdBy: 'web/groups/web-asg/policies/gitops-web-asg-cpu-up' }],
    });
    expect(upAlarm?.dependsOn).toEqual(['web/groups/web-asg/policies/gitops-web-asg-cpu-up']);
    expect(downAlarm?.operation).toMatchObject({
      alarm: { threshold: 40, comparison: 'LessThanOrEqualToThreshold' },
    });
    expect(upAlarm?.file).toBe('clusters/web.yml');
    expect(upAlarm?.line).toBe(13);
  });

  it('plan nothing once AWS holds what they want', () => {
    const result = plan(desiredFrom(CPU), liveWith(appliedCpu()), NOW);
    expect(result.changes).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('update only the alarm when the threshold changes, pointing at the existing policy', () => {
    const result = plan(
      desiredFrom(CPU.replace('threshold: 80', 'threshold: 85')),
      liveWith(appliedCpu()),
      NOW,
    );
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      type: 'metric_alarm',
      action: 'update',
      id: 'gitops-web-asg-cpu-up',
      before: { threshold: 80 },
      after: { threshold: 85 },
      reason: 'trigger cpu (upper): threshold 80 → 85',
      dependsOn: [],
    });
    expect(result.changes[0]?.operation).toMatchObject({
      actions: [{ arn: policyArn('web-asg', 'gitops-web-asg-cpu-up') }],
    });
  });

  it('update only the policy when the adjustment changes', () => {
    const result = plan(desiredFrom(CPU.replace('adjust: -5', 'adjust: -2')), liveWith(appliedCpu()), NOW);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      type: 'scaling_policy',
      action: 'update',
      id: 'gitops-web-asg-cpu-down',
      before: { scaling_adjustment: -5 },
      after: { scaling_adjustment: -2 },
    });
  });

  it('turn "N%" into a percent change in capacity', () => {
    const result = plan(desiredFrom(CPU.replace('adjust: 10', 'adjust: "20%"')), liveWith(appliedCpu()), NOW);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      before: { adjustment_type: 'ChangeInCapacity', scaling_adjustment: 10 },
      after: { adjustment_type: 'PercentChangeInCapacity', scaling_adjustment: 20 },
    });
  });

  it('update both alarms when the period changes, keeping the breach duration', () => {
    const result = plan(desiredFrom(CPU.replace('period: 60', 'period: 120')), liveWith(appliedCpu()), NOW);
    expect(result.changes.map((c) => [c.id, c.before, c.after])).toEqual([
      [
        'gitops-web-asg-cpu-up',
        { period: 60, evaluation_periods: 6 },
        { period: 120, evaluation_periods: 3 },
      ],
      [
        'gitops-web-asg-cpu-down',
        { period: 60, evaluation_periods: 6 },
        { period: 120, evaluation_periods: 3 },
      ],
    ]);
  });

  it('remove a unit the YAML no longer sets (the alarm is owned whole)', () => {
    const result = plan(desiredFrom(CPU.replace(/ +unit: Percent\n/, '')), liveWith(appliedCpu()), NOW);
    expect(result.changes.map((c) => [c.id, c.before, c.after])).toEqual([
      ['gitops-web-asg-cpu-up', { unit: 'Percent' }, { unit: null }],
      ['gitops-web-asg-cpu-down', { unit: 'Percent' }, { unit: null }],
    ]);
  });

  it('apply the defaults: namespace AWS/EC2, statistic Average, the group as dimension, one period of 300 s', () => {
    const result = plan(
      desiredFrom(yaml('cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }')),
      liveWith(),
      NOW,
    );
    expect(result.changes.find((c) => c.type === 'metric_alarm')?.operation).toMatchObject({
      alarm: {
        namespace: 'AWS/EC2',
        statistic: 'Average',
        dimensions: { AutoScalingGroupName: 'web-asg' },
        period: 300,
        evaluationPeriods: 1,
      },
    });
  });

  it('deleted from the YAML, delete their alarms first, then their policies', () => {
    const result = plan(desiredFrom(NO_TRIGGERS), liveWith(appliedCpu()), NOW);
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-down'],
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-up'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-down'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-up'],
    ]);
    expect(result.changes[3]?.dependsOn).toEqual(['web/groups/web-asg/alarms/gitops-web-asg-cpu-up']);
    expect(result.changes[3]?.before).toEqual({
      policy_type: 'StepScaling',
      adjustment_type: 'ChangeInCapacity',
      scaling_adjustment: 10,
      step: 'at or above threshold',
    });
    expect(result.changes[0]?.after).toBeNull();
    expect(result.summary.delete).toBe(4);
  });

  it('losing one side delete only that side', () => {
    const result = plan(desiredFrom(CPU.replace(/ +lower: .*\n/, '')), liveWith(appliedCpu()), NOW);
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-down'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-down'],
    ]);
  });

  it('re-point an alarm whose policy was deleted behind our back', () => {
    const live = appliedCpu();
    const result = plan(
      desiredFrom(CPU),
      liveWith({ policies: live.policies.slice(1), alarms: live.alarms }),
      NOW,
    );
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['scaling_policy', 'create', 'gitops-web-asg-cpu-up'],
      ['metric_alarm', 'update', 'gitops-web-asg-cpu-up'],
    ]);
    expect(result.changes[1]?.dependsOn).toEqual(['web/groups/web-asg/policies/gitops-web-asg-cpu-up']);
  });
});

describe('target tracking', () => {
  const STEADY = yaml('steady:\n  target_tracking: { metric: ASGAverageCPUUtilization, target: 50 }');
  const liveSteady = (target: number): LivePolicy => ({
    group: 'web-asg',
    name: 'gitops-web-asg-steady',
    arn: policyArn('web-asg', 'gitops-web-asg-steady'),
    type: 'TargetTrackingScaling',
    targetTracking: {
      predefinedMetric: 'ASGAverageCPUUtilization',
      targetValue: target,
      disableScaleIn: false,
      customMetric: false,
    },
  });

  it('creates one TargetTrackingScaling policy and no alarm', () => {
    const result = plan(desiredFrom(STEADY), liveWith(), NOW);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      type: 'scaling_policy',
      action: 'create',
      id: 'gitops-web-asg-steady',
      after: {
        policy_type: 'TargetTrackingScaling',
        metric: 'ASGAverageCPUUtilization',
        target: 50,
        disable_scale_in: false,
      },
    });
    // Only what is set: no `resource_label: (none)` for a metric that takes none.
    expect(Object.keys(result.changes[0]?.after ?? {})).toEqual([
      'policy_type',
      'metric',
      'target',
      'disable_scale_in',
    ]);
  });

  it('passes the resource label of ALBRequestCountPerTarget', () => {
    const label = 'app/web/0123456789abcdef/targetgroup/web/0123456789abcdef';
    const alb = yaml(
      `steady:\n  target_tracking: { metric: ALBRequestCountPerTarget, target: 100, resource_label: ${label} }`,
    );
    const result = plan(desiredFrom(alb), liveWith(), NOW);
    expect(result.changes[0]?.operation).toMatchObject({
      policy: {
        type: 'TargetTrackingScaling',
        predefinedMetric: 'ALBRequestCountPerTarget',
        resourceLabel: label,
      },
    });
  });

  it('updates the target and is quiet once in line', () => {
    expect(plan(desiredFrom(STEADY), liveWith({ policies: [liveSteady(50)] }), NOW).changes).toEqual([]);
    const result = plan(desiredFrom(STEADY), liveWith({ policies: [liveSteady(60)] }), NOW);
    expect(result.changes[0]).toMatchObject({
      action: 'update',
      before: { target: 60 },
      after: { target: 50 },
    });
  });

  it('replaces a threshold trigger of the same name: new policy, old alarms and policies deleted', () => {
    const steadyAsCpu = yaml('cpu:\n  target_tracking: { metric: ASGAverageCPUUtilization, target: 50 }');
    const result = plan(desiredFrom(steadyAsCpu), liveWith(appliedCpu()), NOW);
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['scaling_policy', 'create', 'gitops-web-asg-cpu'],
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-down'],
      ['metric_alarm', 'delete', 'gitops-web-asg-cpu-up'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-down'],
      ['scaling_policy', 'delete', 'gitops-web-asg-cpu-up'],
    ]);
  });

  it('is an error when two triggers would own the same policy name', () => {
    const clash = yaml(`
cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }
cpu-up:
  target_tracking: { metric: ASGAverageCPUUtilization, target: 50 }
`);
    const result = plan(desiredFrom(clash), liveWith(), NOW);
    expect(result.changes).toEqual([]);
    expect(result.errors[0]?.message).toMatch(/gitops-web-asg-cpu-up/);
  });
});

describe('ownership', () => {
  it('leaves an unowned policy alone and says so', () => {
    const manual = simplePolicy('web-asg', 'manual-scale-out', 3);
    const result = plan(
      desiredFrom(CPU),
      liveWith({ ...appliedCpu(), policies: [...appliedCpu().policies, manual] }),
      NOW,
    );
    expect(result.changes).toEqual([]);
    expect(result.warnings).toEqual([
      {
        address: 'web/groups/web-asg',
        file: 'clusters/web.yml',
        line: 3,
        message: 'group web-asg also has scaling policy manual-scale-out, not managed here (left as is)',
      },
    ]);
  });

  it('never touches owned objects of groups the YAML does not name', () => {
    const other = {
      policies: [stepPolicy('other-asg', 'gitops-other-asg-cpu-up', 1)],
      alarms: [alarm('gitops-other-asg-cpu-up', { group: 'other-asg', threshold: 80, upper: true })],
    };
    const result = plan(desiredFrom(NO_TRIGGERS), liveWith(other), NOW);
    expect(result.changes).toEqual([]);
  });

  it('leaves an owned-looking alarm alone when nothing shows it belongs to a managed group', () => {
    // `gitops-web-asg-api-cpu-up` could be group `web-asg-api`'s (managed elsewhere): no action, other dimension.
    const stray = alarm('gitops-web-asg-api-cpu-up', {
      group: 'web-asg-api',
      threshold: 80,
      upper: true,
      actions: [],
    });
    const result = plan(
      desiredFrom(CPU),
      liveWith({ ...appliedCpu(), alarms: [...appliedCpu().alarms, stray] }),
      NOW,
    );
    expect(result.changes).toEqual([]);
  });

  it('deletes an owned alarm with no action when its dimension names the group', () => {
    const orphan = alarm('gitops-web-asg-old-up', {
      group: 'web-asg',
      threshold: 80,
      upper: true,
      actions: [],
    });
    const result = plan(
      desiredFrom(CPU),
      liveWith({ ...appliedCpu(), alarms: [...appliedCpu().alarms, orphan] }),
      NOW,
    );
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['metric_alarm', 'delete', 'gitops-web-asg-old-up'],
    ]);
  });
});

describe('unknown reads', () => {
  it('plan no trigger change, destructive or not, when policies could not be read', () => {
    const result = plan(
      desiredFrom(NO_TRIGGERS),
      liveWith({ ...appliedCpu(), policies: unknown('AccessDenied') }),
      NOW,
    );
    expect(result.changes).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([
      'scaling policies in us-east-1 could not be read (AccessDenied); no trigger there is planned',
    ]);
  });

  it('plan no trigger change when alarms could not be read, but still plan sizes', () => {
    const live = liveOf({
      groups: { 'web-asg': group('web-asg', { ...SIZES, min: 1 }) },
      policies: appliedCpu().policies,
      alarms: unknown('Throttling'),
    });
    const result = plan(desiredFrom(CPU.replace('threshold: 80', 'threshold: 90')), live, NOW);
    expect(result.changes.map((c) => c.type)).toEqual(['autoscaling_group']);
    expect(result.errors).toHaveLength(1);
  });
});

describe('names shared across groups', () => {
  it('are an error for both groups: alarm names are unique per account', () => {
    const desired = desiredFrom(`
groups:
  web:
    triggers:
      api-cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }
  web-api:
    triggers:
      cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 } }
`);
    const result = plan(
      desired,
      liveOf({ groups: { web: group('web', SIZES), 'web-api': group('web-api', SIZES) } }),
      NOW,
    );
    expect(result.changes).toEqual([]);
    expect(result.errors.map((e) => e.address)).toEqual(['web/groups/web', 'web/groups/web-api']);
    expect(result.errors[0]?.message).toMatch(/gitops-web-api-cpu-up/);
  });
});

describe('owned policies edited by hand', () => {
  it('are put back to one step', () => {
    const edited: LivePolicy = {
      ...stepPolicy('web-asg', 'gitops-web-asg-cpu-up', 10),
      steps: [
        { lower: 0, upper: 10, adjustment: 1 },
        { lower: 10, adjustment: 3 },
      ],
    };
    const live = appliedCpu();
    const result = plan(
      desiredFrom(CPU),
      liveWith({ ...live, policies: [edited, ...live.policies.slice(1)] }),
      NOW,
    );
    expect(result.changes.map((c) => [c.id, c.before, c.after])).toEqual([
      [
        'gitops-web-asg-cpu-up',
        { scaling_adjustment: null, step: '2 steps' },
        { scaling_adjustment: 10, step: 'at or above threshold' },
      ],
    ]);
  });
});
