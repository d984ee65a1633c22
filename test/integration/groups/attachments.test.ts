/**
 * Attachments against moto: target groups (instance type) and Classic Load Balancers attached to
 * their group through AWS, so that AWS registers each new instance without another run of ours;
 * health_check; detaching only what this tool attached.
 *
 * What moto 5.2.1 does (moto/autoscaling/models.py), and so what these tests can show:
 * - AttachLoadBalancerTargetGroups / AttachLoadBalancers, and CreateAutoScalingGroup with
 *   TargetGroupARNs / LoadBalancerNames, register the group's instances at once (target groups:
 *   by id on the target group's port).
 * - SetDesiredCapacity launches the new instances and registers them in every attached target
 *   group and Classic Load Balancer: the scale-out AWS does on its own, between our runs.
 * - DetachLoadBalancerTargetGroups deregisters the group's instances from the detached target
 *   groups only. DetachLoadBalancers deregisters them from EVERY Classic Load Balancer still
 *   attached (a moto bug: AWS deregisters from the detached ones), so the registrations of a
 *   foreign Classic Load Balancer are not checked after a detach; that it stays attached is.
 * - A Classic Load Balancer name that does not exist is accepted by AttachLoadBalancers (AWS
 *   answers ValidationError).
 */
import {
  AttachLoadBalancersCommand,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { applyExitCode, planExitCode } from '../../../src/pipeline.ts';
import { classicLoadBalancerInstances, createClassicLoadBalancer } from '../../support/classic-elb.ts';
import { useMoto } from '../../support/moto.ts';
import {
  createGroup,
  createLaunchTemplate,
  createTargetGroup,
  groupInstanceIds,
} from '../../support/seed.ts';
import { actions, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

const PREFIX = 'autoscale-gitops:attached:';

async function describeGroup(name: string) {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = out.AutoScalingGroups?.[0];
  if (group === undefined) throw new Error(`group ${name} not found`);
  return {
    targetGroups: group.TargetGroupARNs ?? [],
    loadBalancers: group.LoadBalancerNames ?? [],
    healthCheck: { type: group.HealthCheckType, grace: group.HealthCheckGracePeriod },
    ownership: (group.Tags ?? [])
      .filter((t) => t.Key?.startsWith(PREFIX))
      .map((t) => [t.Key, t.Value, t.PropagateAtLaunch]),
    instances: groupInstanceIds(group).sort(),
  };
}

async function targetIds(arn: string): Promise<string[]> {
  const out = await moto.clients().elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return (out.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? '').sort();
}

/** What AWS does on a scale-out: more instances, with no run of ours in between. */
async function scaleOut(group: string, desired: number): Promise<void> {
  await moto
    .clients()
    .autoscaling.send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: group, DesiredCapacity: desired }),
    );
}

function tgTag(arn: string): string {
  return `${PREFIX}${/:(targetgroup\/.+)$/.exec(arn)?.[1]}`;
}

describe('attachments against moto', () => {
  it('attaches a listed target group; AWS then registers a new instance without another run', async () => {
    const seeded = await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    const arn = await createTargetGroup(moto.clients(), 'web');
    const yaml = `groups:\n  web-asg:\n    min: 1\n    max: 4\n    target_groups: [${arn}]\n`;

    const first = await run.plan(yaml);
    expect(first.plan.changes.map((c) => [c.address, c.action, c.before, c.after])).toEqual([
      ['web/groups/web-asg/target_groups/web', 'update', { target_group: null }, { target_group: 'web' }],
    ]);
    // No registration of ours: the attachment registers the group's instances.
    expect(actions(first.plan).filter(([type]) => type === 'target')).toEqual([]);

    const applied = await run.apply(yaml);
    expect(applyExitCode(applied)).toBe(0);
    expect(applied.counter.count('AutoScaling', 'AttachLoadBalancerTargetGroups')).toBe(1);
    expect(applied.counter.count('ELBv2', 'RegisterTargets')).toBe(0);
    const attached = await describeGroup('web-asg');
    expect(attached.targetGroups).toEqual([arn]);
    expect(attached.ownership).toEqual([[tgTag(arn), 'autoscale-gitops', false]]);
    expect(await targetIds(arn)).toEqual(groupInstanceIds(seeded));

    // Scale-out by AWS: the new instances are registered by AWS, not by a run of ours.
    await scaleOut('web-asg', 3);
    const scaled = await describeGroup('web-asg');
    expect(scaled.instances).toHaveLength(3);
    expect(await targetIds(arn)).toEqual(scaled.instances);

    const second = await run.plan(yaml);
    expect(second.plan.changes).toEqual([]);
    expect(second.plan.warnings).toEqual([]);
    expect(planExitCode(second, true)).toBe(0);
  });

  it('attaches a Classic Load Balancer; AWS then registers a new instance without another run', async () => {
    const seeded = await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    await createClassicLoadBalancer(moto.clients(), 'classic-web');
    const yaml = 'groups:\n  web-asg:\n    load_balancers: [classic-web]\n';

    const applied = await run.apply(yaml);
    expect(actions(applied.plan)).toEqual([['autoscaling_group', 'update', 'web-asg']]);
    expect(applied.plan.changes[0]?.after).toEqual({ load_balancer: 'classic-web' });
    expect(applyExitCode(applied)).toBe(0);
    const attached = await describeGroup('web-asg');
    expect(attached.loadBalancers).toEqual(['classic-web']);
    expect(attached.ownership).toEqual([[`${PREFIX}loadbalancer/classic-web`, 'autoscale-gitops', false]]);
    expect(await classicLoadBalancerInstances(moto.clients(), 'classic-web')).toEqual(
      groupInstanceIds(seeded),
    );

    await scaleOut('web-asg', 2);
    const scaled = await describeGroup('web-asg');
    expect(await classicLoadBalancerInstances(moto.clients(), 'classic-web')).toEqual(scaled.instances);
    expect((await run.plan(yaml)).plan.changes).toEqual([]);
  });

  it('applies health_check with the group fields, then plans nothing', async () => {
    // moto gives a group made without HealthCheckGracePeriod a grace of 300 seconds.
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    const yaml = 'groups:\n  web-asg:\n    min: 2\n    health_check: { type: ELB, grace: 2m }\n';

    const first = await run.plan(yaml);
    expect(first.plan.changes.map((c) => [c.address, c.before, c.after, c.reason])).toEqual([
      [
        'web/groups/web-asg',
        { min: 1, health_check_type: 'EC2', health_check_grace: 300 },
        { min: 2, health_check_type: 'ELB', health_check_grace: 120 },
        'min 1 → 2, health_check_type EC2 → ELB, health_check_grace 300 → 120 (AWS moves desired 1 → 2 with it)',
      ],
    ]);
    expect(applyExitCode(await run.apply(yaml))).toBe(0);
    expect((await describeGroup('web-asg')).healthCheck).toEqual({ type: 'ELB', grace: 120 });
    expect((await run.plan(yaml)).plan.changes).toEqual([]);
  });

  it('detaches what it attached once it leaves the YAML; a foreign attachment is reported, never detached', async () => {
    const clients = moto.clients();
    const ours = await createTargetGroup(clients, 'ours');
    const theirs = await createTargetGroup(clients, 'theirs');
    await createClassicLoadBalancer(clients, 'our-elb');
    await createClassicLoadBalancer(clients, 'their-elb');
    // Someone else attached `theirs` and `their-elb` (no ownership tag).
    await createGroup(clients, 'web-asg', { min: 2, max: 4, desired: 2, targetGroupArns: [theirs] });
    await clients.autoscaling.send(
      new AttachLoadBalancersCommand({ AutoScalingGroupName: 'web-asg', LoadBalancerNames: ['their-elb'] }),
    );
    const members = (await describeGroup('web-asg')).instances;
    const listing = `groups:\n  web-asg:\n    target_groups: [${ours}]\n    load_balancers: [our-elb]\n`;
    const foreign = [
      `group web-asg: target group theirs is attached but not in the YAML, and not by this tool (no ${tgTag(theirs)} tag): left attached`,
      `group web-asg: load balancer their-elb is attached but not in the YAML, and not by this tool (no ${PREFIX}loadbalancer/their-elb tag): left attached`,
    ];

    const attach = await run.apply(listing);
    expect(applyExitCode(attach)).toBe(0);
    expect(attach.plan.warnings.map((w) => w.message)).toEqual(foreign);
    expect((await describeGroup('web-asg')).targetGroups.sort()).toEqual([ours, theirs].sort());

    const removed = 'groups:\n  web-asg:\n    min: 2\n';
    const detach = await run.plan(removed);
    expect(detach.plan.changes.map((c) => [c.address, c.before, c.after])).toEqual([
      ['web/groups/web-asg/target_groups/ours', { target_group: 'ours' }, { target_group: null }],
      ['web/groups/web-asg/load_balancers/our-elb', { load_balancer: 'our-elb' }, { load_balancer: null }],
    ]);
    expect(detach.plan.warnings.map((w) => w.message)).toEqual(foreign);

    const applied = await run.apply(removed);
    expect(applyExitCode(applied)).toBe(0);
    const after = await describeGroup('web-asg');
    expect(after.targetGroups).toEqual([theirs]);
    expect(after.loadBalancers).toEqual(['their-elb']);
    expect(after.ownership).toEqual([]);
    // AWS deregistered the group from ours, and left it in theirs.
    expect(await targetIds(ours)).toEqual([]);
    expect(await targetIds(theirs)).toEqual(members);

    const again = await run.plan(removed);
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.warnings.map((w) => w.message)).toEqual(foreign);
  });

  it('drops an ownership tag whose attachment was removed by hand, and attaches nothing for it', async () => {
    const arn = await createTargetGroup(moto.clients(), 'gone');
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    await moto.clients().autoscaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: 'web-asg',
            ResourceType: 'auto-scaling-group',
            Key: tgTag(arn),
            Value: 'autoscale-gitops',
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
    const yaml = 'groups:\n  web-asg:\n    max: 2\n';
    const plan = await run.plan(yaml);
    expect(plan.plan.changes.map((c) => [c.address, c.before, c.after, c.operation.kind])).toEqual([
      [
        'web/groups/web-asg/target_groups/gone',
        { ownership_tag: tgTag(arn) },
        { ownership_tag: null },
        'detach_from_group',
      ],
    ]);
    const applied = await run.apply(yaml);
    expect(applyExitCode(applied)).toBe(0);
    expect(applied.counter.count('AutoScaling', 'DetachLoadBalancerTargetGroups')).toBe(0);
    expect((await describeGroup('web-asg')).ownership).toEqual([]);
    expect((await run.plan(yaml)).plan.changes).toEqual([]);
  });

  it('a listed target group that does not exist is a plan error, and nothing is attached', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 2, desired: 1 });
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef';
    const applied = await run.apply(`groups:\n  web-asg:\n    target_groups: [${missing}]\n`);
    expect(applied.plan.errors.map((e) => e.message)).toEqual([
      `target group nope does not exist (${missing}): it cannot be attached to a group, and no target is registered in it`,
    ]);
    expect(applied.plan.changes).toEqual([]);
    expect(applyExitCode(applied)).toBe(1);
    expect(applied.counter.count('AutoScaling', 'AttachLoadBalancerTargetGroups')).toBe(0);
    expect((await describeGroup('web-asg')).targetGroups).toEqual([]);
  });

  it('creates a missing group with its attachments, ownership tags and health check in one call', async () => {
    await createLaunchTemplate(moto.clients(), 'web');
    const arn = await createTargetGroup(moto.clients(), 'web');
    const ip = await createTargetGroup(moto.clients(), 'web-ip', { targetType: 'ip' });
    await createClassicLoadBalancer(moto.clients(), 'classic-web');
    const yaml = `groups:
  web-asg:
    min: 2
    max: 4
    launch_template: { name: web }
    availability_zones: [us-east-1a]
    target_groups: [${arn}, ${ip}]
    load_balancers: [classic-web]
    health_check: { type: ELB, grace: 90 }
`;
    const applied = await run.apply(yaml);
    expect(applied.plan.changes[0]?.after).toMatchObject({
      target_groups: ['web'],
      load_balancers: ['classic-web'],
      health_check_type: 'ELB',
      health_check_grace: 90,
    });
    expect(applyExitCode(applied)).toBe(0);
    expect(applied.counter.count('AutoScaling', 'AttachLoadBalancerTargetGroups')).toBe(0);
    const created = await describeGroup('web-asg');
    // The ip target group is not attached (AWS cannot): the next run registers its instances by IP.
    expect(created.targetGroups).toEqual([arn]);
    expect(created.loadBalancers).toEqual(['classic-web']);
    expect(created.healthCheck).toEqual({ type: 'ELB', grace: 90 });
    expect(created.ownership.map(([key]) => key).sort()).toEqual(
      [tgTag(arn), `${PREFIX}loadbalancer/classic-web`].sort(),
    );
    expect(await targetIds(arn)).toEqual(created.instances);

    const next = await run.plan(yaml);
    expect(actions(next.plan)).toEqual([
      ['target', 'register', expect.stringMatching(/:80$/)],
      ['target', 'register', expect.stringMatching(/:80$/)],
    ]);
    expect(
      next.plan.changes.every((c) => c.address.startsWith('web/groups/web-asg/target_groups/web-ip/')),
    ).toBe(true);
  });
});
