/**
 * The seeding helpers work against moto, and the moto behaviours later tests lean on still hold
 * (canaries: when one fails after a moto upgrade, update the list in test/support/moto.ts).
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { useMoto } from '../../support/moto.ts';
import {
  createEcsCluster,
  createEcsService,
  createGroup,
  createLaunchTemplate,
  createTargetGroup,
  createVpcSubnet,
  groupInstanceIds,
  putMetricData,
  registerContainerInstance,
  registerTargets,
  runInstances,
} from '../../support/seed.ts';

const moto = useMoto();

describe('seed helpers', () => {
  it('creates a group from a launch template in zones; moto launches its instances', async () => {
    const clients = moto.clients();
    const template = await createLaunchTemplate(clients, 'web');
    expect(template.id).toMatch(/^lt-/);
    const group = await createGroup(clients, 'web-asg', {
      min: 1,
      max: 4,
      desired: 2,
      zones: ['us-east-1a', 'us-east-1b'],
      launchTemplate: 'web',
      tags: { team: 'web' },
    });
    expect([group.MinSize, group.MaxSize, group.DesiredCapacity]).toEqual([1, 4, 2]);
    expect(group.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(group.Instances?.map((i) => i.LifecycleState)).toEqual(['InService', 'InService']);
    const ids = groupInstanceIds(group);
    const ec2 = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const instances = ec2.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    expect(instances.map((i) => i.State?.Name)).toEqual(['running', 'running']);
    expect(instances[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'aws:autoscaling:groupName', Value: 'web-asg' },
        { Key: 'team', Value: 'web' },
      ]),
    );
  });

  it('creates a group in a new subnet with the default template', async () => {
    const clients = moto.clients();
    const subnet = await createVpcSubnet(clients, { zone: 'us-east-1b' });
    const group = await createGroup(clients, 'vpc-asg', { min: 1, max: 1, subnets: [subnet.subnetId] });
    expect(group.VPCZoneIdentifier).toBe(subnet.subnetId);
    expect(group.Instances).toHaveLength(1);
  });

  it('registers targets in instance and ip target groups', async () => {
    const clients = moto.clients();
    const [a, b] = await runInstances(clients, 2, { zone: 'us-east-1a', tags: { role: 'web' } });
    const instanceTg = await createTargetGroup(clients, 'web');
    const ipTg = await createTargetGroup(clients, 'web-ip', { targetType: 'ip', port: 8080 });
    await registerTargets(clients, instanceTg, [a?.InstanceId ?? '', { Id: b?.InstanceId ?? '', Port: 81 }]);
    await registerTargets(clients, ipTg, [{ Id: a?.PrivateIpAddress ?? '', Port: 8080 }]);
    const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: instanceTg }));
    expect(health.TargetHealthDescriptions?.map((d) => `${d.Target?.Id}:${d.Target?.Port}`).sort()).toEqual(
      [`${a?.InstanceId}:80`, `${b?.InstanceId}:81`].sort(),
    );
    const ipHealth = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: ipTg }));
    expect(ipHealth.TargetHealthDescriptions?.map((d) => d.Target?.Id)).toEqual([a?.PrivateIpAddress]);
  });

  it('registers container instances and creates services', async () => {
    const clients = moto.clients();
    const clusterArn = await createEcsCluster(clients, 'my_cluster');
    expect(clusterArn).toContain(':cluster/my_cluster');
    const [instance] = await runInstances(clients, 1);
    const arn = await registerContainerInstance(clients, 'my_cluster', instance?.InstanceId ?? '');
    const listed = await clients.ecs.send(new ListContainerInstancesCommand({ cluster: 'my_cluster' }));
    expect(listed.containerInstanceArns).toEqual([arn]);
    const described = await clients.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'my_cluster', containerInstances: [arn] }),
    );
    const ci = described.containerInstances?.[0];
    expect(ci?.ec2InstanceId).toBe(instance?.InstanceId);
    expect(ci?.registeredResources?.find((r) => r.name === 'CPU')?.integerValue).toBe(4096);
    expect(ci?.registeredResources?.find((r) => r.name === 'MEMORY')?.integerValue).toBe(7482);

    await createEcsService(clients, 'my_cluster', 'worker', { desired: 2 });
    await createEcsService(clients, 'my_cluster', 'web', { desired: 1, taskFamily: 'worker' });
    const services = await clients.ecs.send(
      new DescribeServicesCommand({ cluster: 'my_cluster', services: ['worker', 'web'] }),
    );
    expect(services.services?.map((s) => [s.serviceName, s.desiredCount]).sort()).toEqual([
      ['web', 1],
      ['worker', 2],
    ]);
  });

  it('puts metric data that GetMetricData reads back', async () => {
    const clients = moto.clients();
    const now = Date.now();
    await putMetricData(clients, 'Custom/Queue', 'Depth', [
      { value: 10, timestamp: new Date(now - 120_000), dimensions: { Queue: 'celery' } },
      { value: 30, timestamp: new Date(now - 60_000), dimensions: { Queue: 'celery' } },
      { value: 99, timestamp: new Date(now - 60_000), dimensions: { Queue: 'other' } },
    ]);
    const result = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 600_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          {
            Id: 'depth',
            MetricStat: {
              Metric: {
                Namespace: 'Custom/Queue',
                MetricName: 'Depth',
                Dimensions: [{ Name: 'Queue', Value: 'celery' }],
              },
              Period: 600,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    expect(result.MetricDataResults?.[0]?.Values).toEqual([20]);
  });
});

describe('moto quirks later tests rely on', () => {
  it('PutScalingPolicy answers without PolicyARN; DescribePolicies has it', async () => {
    const clients = moto.clients();
    await createGroup(clients, 'web-asg', { min: 0, max: 2 });
    const put = await clients.autoscaling.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'web-asg',
        PolicyName: 'gitops-web-asg-steady',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 50,
        },
      }),
    );
    expect(put.PolicyARN).toBeUndefined();
    const policies = await clients.autoscaling.send(
      new DescribePoliciesCommand({ AutoScalingGroupName: 'web-asg' }),
    );
    expect(policies.ScalingPolicies?.[0]?.PolicyARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:\d+:scalingPolicy:.+:autoScalingGroupName\/web-asg:policyName\/gitops-web-asg-steady$/,
    );
    expect(policies.ScalingPolicies?.[0]?.TargetTrackingConfiguration?.TargetValue).toBe(50);
  });

  it('scheduled actions are keyed by name only: the same name on another group replaces it', async () => {
    const clients = moto.clients();
    await createGroup(clients, 'a', { min: 0, max: 2 });
    await createGroup(clients, 'b', { min: 0, max: 2 });
    for (const group of ['a', 'b']) {
      await clients.autoscaling.send(
        new PutScheduledUpdateGroupActionCommand({
          AutoScalingGroupName: group,
          ScheduledActionName: 'nightly',
          Recurrence: '0 22 * * *',
          MinSize: 1,
        }),
      );
    }
    const onA = await clients.autoscaling.send(
      new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'a' }),
    );
    expect(onA.ScheduledUpdateGroupActions).toEqual([]);
  });

  it('DescribeAutoScalingGroups returns 50 per page unless MaxRecords is 100', async () => {
    const clients = moto.clients();
    const names = Array.from({ length: 60 }, (_, i) => `g-${String(i).padStart(2, '0')}`);
    for (const name of names) await createGroup(clients, name, { min: 0, max: 1 });
    const page = await clients.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names }),
    );
    expect(page.AutoScalingGroups).toHaveLength(50);
    expect(page.NextToken).toBeDefined();
    const full = await clients.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, MaxRecords: 100 }),
    );
    expect(full.AutoScalingGroups).toHaveLength(60);
    expect(full.NextToken).toBeUndefined();
  });

  it('a terminated group instance is replaced at once; a plain instance stays terminated', async () => {
    const clients = moto.clients();
    const group = await createGroup(clients, 'web-asg', { min: 1, max: 1, desired: 1 });
    const [groupInstance] = groupInstanceIds(group);
    const [plain] = await runInstances(clients, 1);
    await clients.ec2.send(
      new TerminateInstancesCommand({ InstanceIds: [groupInstance ?? '', plain?.InstanceId ?? ''] }),
    );
    const after = await clients.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }),
    );
    const ids = groupInstanceIds(after.AutoScalingGroups?.[0] ?? {});
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(groupInstance);
    const plainState = await clients.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [plain?.InstanceId ?? ''] }),
    );
    expect(plainState.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
  });

  it('a group with target groups registers its instances in them itself', async () => {
    const clients = moto.clients();
    const tg = await createTargetGroup(clients, 'web');
    const group = await createGroup(clients, 'web-asg', {
      min: 2,
      max: 2,
      desired: 2,
      targetGroupArns: [tg],
    });
    const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
    expect(health.TargetHealthDescriptions?.map((d) => d.Target?.Id).sort()).toEqual(
      groupInstanceIds(group).sort(),
    );
  });
});
