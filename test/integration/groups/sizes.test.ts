import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { applyExitCode, planExitCode } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import { createGroup, createLaunchTemplate } from '../../support/seed.ts';
import { actions, ownedAlarms, policiesOf, schedulesOf, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

async function sizes(name: string) {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const g = out.AutoScalingGroups?.[0];
  return g === undefined ? undefined : { min: g.MinSize, max: g.MaxSize, desired: g.DesiredCapacity };
}

const YAML = 'groups:\n  web-asg:\n    min: 1\n    max: 4\n    desired: 2\n';

describe('group sizes against moto', () => {
  it.each([
    ['min', { min: 0, max: 4, desired: 2 }, { min: 0 }, { min: 1 }],
    ['max', { min: 1, max: 6, desired: 2 }, { max: 6 }, { max: 4 }],
    ['desired', { min: 1, max: 4, desired: 3 }, { desired: 3 }, { desired: 2 }],
  ])('finds drift in %s, applies it, then plans nothing', async (_field, seeded, before, after) => {
    await createGroup(moto.clients(), 'web-asg', seeded);

    const first = await run.plan(YAML);
    expect(first.plan.changes.map((c) => [c.address, c.action, c.before, c.after])).toEqual([
      ['web/groups/web-asg', 'update', before, after],
    ]);
    expect(planExitCode(first, true)).toBe(2);

    const applied = await run.apply(YAML);
    expect(applyExitCode(applied)).toBe(0);
    expect(applied.report?.results.get('web/groups/web-asg')).toEqual({ status: 'applied' });
    expect(await sizes('web-asg')).toEqual({ min: 1, max: 4, desired: 2 });

    const second = await run.plan(YAML);
    expect(second.plan.changes).toEqual([]);
    expect(planExitCode(second, true)).toBe(0);
  });

  it('reads the groups in one call and nothing per group', async () => {
    for (const name of ['a-asg', 'b-asg', 'c-asg'])
      await createGroup(moto.clients(), name, { min: 1, max: 2, desired: 1 });
    const yaml = 'groups:\n  a-asg: { min: 1 }\n  b-asg: { min: 1 }\n  c-asg: { min: 1 }\n';
    const result = await run.plan(yaml);
    expect(result.plan.changes).toEqual([]);
    expect(result.counter.snapshot()).toEqual({
      'AutoScaling:DescribeAutoScalingGroups': 1,
      // Three groups: two account-wide pages are allowed before reading per group; one is enough.
      'AutoScaling:DescribePolicies': 1,
      'AutoScaling:DescribeScheduledActions': 1,
      'CloudWatch:DescribeAlarms': 1,
    });
  });
});

describe('a group missing in AWS', () => {
  const CREATABLE = `groups:
  new-asg:
    min: 1
    max: 3
    launch_template: { name: web, version: $Latest }
    availability_zones: [us-east-1a, us-east-1b]
    triggers:
      cpu: { metric: CPUUtilization, upper: { threshold: 80, adjust: 1 }, lower: { threshold: 20, adjust: -1 } }
    schedules:
      nightly: { recurrence: "0 22 * * *", min: 1, max: 2 }
`;

  it('is created with its triggers and schedules from the launch template, then plans nothing', async () => {
    await createLaunchTemplate(moto.clients(), 'web');
    const first = await run.plan(CREATABLE);
    expect(actions(first.plan)).toEqual([
      ['autoscaling_group', 'create', 'new-asg'],
      ['scaling_policy', 'create', 'gitops-new-asg-cpu-up'],
      ['scaling_policy', 'create', 'gitops-new-asg-cpu-down'],
      ['metric_alarm', 'create', 'gitops-new-asg-cpu-up'],
      ['metric_alarm', 'create', 'gitops-new-asg-cpu-down'],
      ['scheduled_action', 'create', 'gitops-new-asg-nightly'],
    ]);

    const applied = await run.apply(CREATABLE);
    expect([...(applied.report?.results.values() ?? [])].every((r) => r.status === 'applied')).toBe(true);
    // nightly fired the evening before NOW: the group is created with the sizes in force (issue 12).
    expect(await sizes('new-asg')).toMatchObject({ min: 1, max: 2 });
    expect((await policiesOf(moto, 'new-asg')).map((p) => p.PolicyName).sort()).toEqual([
      'gitops-new-asg-cpu-down',
      'gitops-new-asg-cpu-up',
    ]);
    expect((await ownedAlarms(moto)).map((a) => a.AlarmName).sort()).toEqual([
      'gitops-new-asg-cpu-down',
      'gitops-new-asg-cpu-up',
    ]);
    expect((await schedulesOf(moto, 'new-asg')).map((s) => s.ScheduledActionName)).toEqual([
      'gitops-new-asg-nightly',
    ]);

    expect((await run.plan(CREATABLE)).plan.changes).toEqual([]);
  });

  it('without a launch template is an error for that group while the others still apply', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 0, max: 4, desired: 0 });
    const yaml = `groups:
  ghost-asg:
    min: 1
    max: 2
  web-asg:
    min: 1
    max: 4
`;
    const first = await run.plan(yaml);
    expect(first.plan.errors.map((e) => [e.address, e.file, e.line])).toEqual([
      ['web/groups/ghost-asg', 'web.yml', 2],
    ]);
    expect(first.plan.errors[0]?.message).toMatch(
      /does not exist in us-east-1 and the YAML cannot create it/,
    );
    expect(planExitCode(first, true)).toBe(1);

    const applied = await run.apply(yaml);
    expect(applied.report?.results.get('web/groups/web-asg')).toEqual({ status: 'applied' });
    expect(applyExitCode(applied)).toBe(1);
    expect(await sizes('web-asg')).toMatchObject({ min: 1, max: 4 });
    expect(await sizes('ghost-asg')).toBeUndefined();
  });

  it('records a failed creation and skips what depends on it', async () => {
    // No launch template named `web` exists: AWS refuses the group; its policy must not be attempted.
    const applied = await run.apply(CREATABLE);
    const results = applied.report?.results;
    expect(results?.get('web/groups/new-asg')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/launch template/i),
    });
    expect(results?.get('web/groups/new-asg/policies/gitops-new-asg-cpu-up')).toEqual({
      status: 'skipped',
      why: 'depends on web/groups/new-asg, which failed',
    });
    expect(results?.get('web/groups/new-asg/alarms/gitops-new-asg-cpu-up')).toMatchObject({
      status: 'skipped',
    });
    expect(applyExitCode(applied)).toBe(1);
    expect(applied.counter.count('AutoScaling', 'PutScalingPolicy')).toBe(0);
  });
});
