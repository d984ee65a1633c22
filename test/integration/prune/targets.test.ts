/**
 * target_groups of a group against moto: instance target groups attached (AWS registers), ip ones
 * registered by us, what is gone deregistered.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { startAwsProxy } from '../../support/aws-proxy.ts';
import { useMoto } from '../../support/moto.ts';
import { createGroup, createTargetGroup, groupInstanceIds, registerTargets } from '../../support/seed.ts';
import { actions, instances, targetsOf, useHarness, warningsText } from './harness.ts';

const moto = useMoto();
const harness = useHarness(moto);

const GONE = 'i-0123456789abcdef0';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function yaml(arn: string, prune = 'prune: { target_groups: true, max: 100% }'): string {
  return `region: us-east-1
groups:
  web-asg:
    target_groups: [${arn}]
${prune}
`;
}

/**
 * A target group and a group, by default WITHOUT the target group attached (the plan attaches it);
 * `attached`: already attached (by someone), so moto has registered the members on its port.
 */
async function seed(options: { targetType?: 'instance' | 'ip'; attached?: boolean } = {}) {
  const clients = moto.clients();
  const arn = await createTargetGroup(clients, 'web', {
    port: 8080,
    ...(options.targetType === undefined ? {} : { targetType: options.targetType }),
  });
  const group = await createGroup(clients, 'web-asg', {
    min: 2,
    max: 4,
    desired: 2,
    ...(options.attached ? { targetGroupArns: [arn] } : {}),
  });
  return { arn, members: groupInstanceIds(group).sort() };
}

const ATTACH = ['autoscaling_group', 'update', 'web-asg'];

async function privateIps(ids: readonly string[]): Promise<string[]> {
  const described = await moto.clients().ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
  return (described.Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .map((i) => i.PrivateIpAddress ?? '');
}

async function attachedTo(group: string): Promise<string[]> {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
  return out.AutoScalingGroups?.[0]?.TargetGroupARNs ?? [];
}

describe('target_groups', () => {
  it('attaches the target group (AWS registers the members), deregisters a gone one; apply then plan is quiet', async () => {
    const { arn, members } = await seed();
    await registerTargets(moto.clients(), arn, [{ Id: GONE, Port: 8080 }]);

    const { plan } = await harness.plan(yaml(arn));
    expect(actions(plan)).toEqual([ATTACH, ['target', 'deregister', `${GONE}:8080`]]);
    const gone = plan.changes.find((c) => c.action === 'deregister');
    expect(gone?.before).toMatchObject({
      target_group: 'web',
      instance: GONE,
      instance_state: 'unknown to EC2',
    });
    expect(gone?.reason).toContain(`instance ${GONE} is unknown to EC2`);
    // After the attachment, which brings the members in.
    expect(gone?.dependsOn).toEqual(['web/groups/web-asg/target_groups/web']);

    const run = await harness.apply(yaml(arn));
    expect(applyExitCode(run)).toBe(0);
    expect(await targetsOf(moto, arn)).toEqual(members.map((id) => `${id}:8080`));
    expect(run.counter.count('AutoScaling', 'AttachLoadBalancerTargetGroups')).toBe(1);
    expect(run.counter.count('ELBv2', 'RegisterTargets')).toBe(0);
    expect(run.counter.count('ELBv2', 'DeregisterTargets')).toBe(1);

    const again = await harness.plan(yaml(arn));
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.blocked).toEqual([]);
  });

  it('registers ip targets by private IP', async () => {
    const { arn, members } = await seed({ targetType: 'ip' });
    const described = await moto.clients().ec2.send(new DescribeInstancesCommand({ InstanceIds: members }));
    const ips = (described.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .map((i) => i.PrivateIpAddress);
    const run = await harness.apply(yaml(arn));
    expect(actions(run.plan)).toEqual(ips.map((ip) => ['target', 'register', `${ip}:8080`]).sort());
    expect(applyExitCode(run)).toBe(0);
    expect(await targetsOf(moto, arn)).toEqual(ips.map((ip) => `${ip}:8080`).sort());
    expect((await harness.plan(yaml(arn))).plan.changes).toEqual([]);
    // Two registrations, one call.
    expect(run.counter.count('ELBv2', 'RegisterTargets')).toBe(1);
  });

  it('keeps running instances; one out of the group goes only once launched longer ago than grace', async () => {
    const { arn, members } = await seed({ attached: true });
    const [outsider] = await instances(moto, 1);
    await registerTargets(
      moto.clients(),
      arn,
      [...members, outsider ?? ''].map((Id) => ({ Id, Port: 8080 })),
    );

    // Launched a moment ago: it may be joining a group.
    const young = await harness.plan(yaml(arn), { now: new Date(Date.now() + 60_000) });
    expect(young.plan.changes).toEqual([]);
    expect(warningsText(young.plan)).toMatch(/launched .* ago: kept until grace \(10m\)/);

    const old = await harness.plan(yaml(arn));
    expect(actions(old.plan)).toEqual([['target', 'deregister', `${outsider}:8080`]]);
    expect(old.plan.changes[0]?.before).toMatchObject({ instance_state: 'running' });
  });

  it("asks EC2 only about targets outside the listing groups: a group's own targets cost no read", async () => {
    const { arn, members } = await seed({ attached: true });
    await registerTargets(
      moto.clients(),
      arn,
      members.map((Id) => ({ Id, Port: 8080 })),
    );
    const quiet = await harness.plan(yaml(arn));
    expect(quiet.plan.changes).toEqual([]);
    expect(quiet.counter.count('EC2', 'DescribeInstances')).toBe(0);

    await registerTargets(moto.clients(), arn, [{ Id: GONE, Port: 8080 }]);
    const stale = await harness.plan(yaml(arn));
    expect(actions(stale.plan)).toEqual([['target', 'deregister', `${GONE}:8080`]]);
    expect(stale.counter.count('EC2', 'DescribeInstances')).toBe(1);
  });

  it('a listing group AWS does not return (a typo) blocks deregistration; default prune settings', async () => {
    // g1 is the real group; the YAML names it g1-typo. Its instances are live and healthy in the
    // target group it shares with web-asg: read as "a group with no members", they would look
    // like strays and go (2 of 8 is within the default 25%).
    const clients = moto.clients();
    const arn = await createTargetGroup(clients, 'web', { port: 8080 });
    const web = groupInstanceIds(await createGroup(clients, 'web-asg', { min: 6, max: 6, desired: 6 }));
    const g1 = groupInstanceIds(await createGroup(clients, 'g1', { min: 2, max: 2, desired: 2 }));
    await registerTargets(
      clients,
      arn,
      [...web, ...g1].map((Id) => ({ Id, Port: 8080 })),
    );
    const config = `region: us-east-1
groups:
  web-asg:
    target_groups: [${arn}]
  g1-typo:
    target_groups: [${arn}]
prune: { target_groups: true }
`;
    const run = await harness.apply(config);
    // web-asg gets the target group attached; nothing is registered or deregistered by us.
    expect(actions(run.plan)).toEqual([ATTACH]);
    expect(run.plan.errors.map((e) => e.message)).toContainEqual(expect.stringContaining('g1-typo'));
    expect(warningsText(run.plan)).toMatch(
      /group g1-typo does not exist in us-east-1; no target of web is deregistered this run/,
    );
    expect(run.counter.count('ELBv2', 'DeregisterTargets')).toBe(0);
    expect(await targetsOf(moto, arn)).toEqual([...web, ...g1].map((id) => `${id}:8080`).sort());
  });

  it('without prune.target_groups, attaches (or registers, for ip) but never deregisters', async () => {
    const { arn } = await seed();
    await registerTargets(moto.clients(), arn, [{ Id: GONE, Port: 8080 }]);
    expect(actions((await harness.plan(yaml(arn, ''))).plan)).toEqual([ATTACH]);

    await moto.server.reset();
    const ip = await seed({ targetType: 'ip' });
    await registerTargets(moto.clients(), ip.arn, [{ Id: '10.9.9.9', Port: 8080 }]);
    expect(actions((await harness.plan(yaml(ip.arn, ''))).plan)).toEqual(
      (await privateIps(ip.members)).map((addr) => ['target', 'register', `${addr}:8080`]).sort(),
    );
  });

  it('the guard blocks a mass deregistration: apply removes none and exits 1', async () => {
    const { arn, members } = await seed({ attached: true });
    const stale = ['i-0123456789abcdef0', 'i-0123456789abcdef1', 'i-0123456789abcdef2'];
    await registerTargets(
      moto.clients(),
      arn,
      [...members, ...stale].map((Id) => ({ Id, Port: 8080 })),
    );
    const guarded = yaml(arn, 'prune: { target_groups: true, max: 25% }');

    const { plan } = await harness.plan(guarded);
    expect(plan.changes).toEqual([]);
    expect(plan.blocked.map((b) => b.reason)).toEqual(
      stale.map(() => 'would prune 3 of 5 target registrations (60% > 25%)'),
    );
    expect(plan.summary.blocked).toBe(3);

    const run = await harness.apply(guarded);
    expect(applyExitCode(run)).toBe(1);
    expect(run.counter.count('ELBv2', 'DeregisterTargets')).toBe(0);
    expect(await targetsOf(moto, arn)).toHaveLength(5);
  });

  it('protect keeps a target and says so', async () => {
    const { arn, members } = await seed({ attached: true });
    await registerTargets(
      moto.clients(),
      arn,
      [...members, GONE].map((Id) => ({ Id, Port: 8080 })),
    );
    const { plan } = await harness.plan(
      yaml(arn, `prune: { target_groups: true, max: 100%, protect: [${GONE}] }`),
    );
    expect(plan.changes).toEqual([]);
    expect(warningsText(plan)).toContain(
      `${GONE} is protected (prune.protect): target ${GONE}:8080 of web is kept`,
    );
  });

  it('a target group that cannot be read is neither registered nor deregistered; an error says why', async () => {
    const { arn } = await seed();
    await registerTargets(moto.clients(), arn, [{ Id: GONE, Port: 8080 }]);
    const proxy = await startAwsProxy({ target: moto.endpoint, deny: ['DescribeTargetHealth'] });
    closers.push(() => proxy.close());
    const run = await harness.apply(yaml(arn), { endpoint: proxy.endpoint });
    const plan = run.plan;
    expect(plan.changes).toEqual([]);
    expect(applyExitCode(run)).toBe(1);
    expect(plan.errors).toContainEqual(
      expect.objectContaining({
        address: 'web/groups/web-asg/target_groups/web',
        message: expect.stringMatching(
          /^target group web could not be read \(AccessDenied: User is not authorized to perform: DescribeTargetHealth\); it is not attached to a group, and its targets are neither registered nor deregistered this run$/,
        ),
      }),
    );
    expect(await targetsOf(moto, arn)).toEqual([`${GONE}:8080`]);
    expect(await attachedTo('web-asg')).toEqual([]);
  });

  it('when the instances cannot be read, attaches but deregisters nothing', async () => {
    const { arn, members } = await seed();
    await registerTargets(moto.clients(), arn, [{ Id: GONE, Port: 8080 }]);
    const proxy = await startAwsProxy({ target: moto.endpoint, deny: ['DescribeInstances'] });
    closers.push(() => proxy.close());
    const run = await harness.apply(yaml(arn), { endpoint: proxy.endpoint });
    expect(actions(run.plan)).toEqual([ATTACH]);
    expect(run.plan.errors.map((e) => e.message).join('\n')).toMatch(
      /instances in us-east-1 could not be read \(.*\); no target of web is deregistered this run/,
    );
    // The attachment is applied; the run fails for what it could not judge.
    expect(run.report?.applied).toBe(1);
    expect(applyExitCode(run)).toBe(1);
    expect(await targetsOf(moto, arn)).toEqual([`${GONE}:8080`, ...members.map((id) => `${id}:8080`)].sort());
  });
});
