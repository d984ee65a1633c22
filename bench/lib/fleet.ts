/**
 * A fleet of configurable size in moto, and the clusters/*.yml that manage it (benches only).
 *
 * - Auto Scaling groups with their instances, each with a threshold trigger (2 policies, 2
 *   alarms) and a schedule, each behind one of the target groups;
 * - ECS clusters, each with its services (a task definition each), a capacity group whose
 *   instances are registered container instances, and CloudWatch data for the services' metrics;
 * - a `prune:` section per cluster file (container instances, target groups).
 *
 * Seeding runs with bounded concurrency (moto is one Python process); {@link seedFleet} reports
 * how long each part took.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { chunk, mapWithConcurrency } from '../../src/aws/batch.ts';
import type { AwsClients } from '../../src/aws/clients.ts';
import {
  createEcsCluster,
  createTargetGroup,
  defaultVpcId,
  registerContainerInstance,
  registerTargets,
  runInstances,
  TEST_AMI,
} from '../../test/support/seed.ts';

export interface FleetSize {
  readonly groups: number;
  /** Instances of the groups, spread evenly over them. */
  readonly instances: number;
  readonly clusters: number;
  /** Services per cluster. */
  readonly services: number;
  /** CloudWatch metric queries in all (1 to 4 per service). */
  readonly queries: number;
  readonly targetGroups: number;
  /** Instances of each cluster's capacity group (all registered container instances). */
  readonly capacityInstances: number;
}

export const DEFAULT_SIZE: FleetSize = {
  groups: 1000,
  instances: 3000,
  clusters: 10,
  services: 50,
  queries: 1000,
  targetGroups: 20,
  capacityInstances: 3,
};

/** What was made, in the numbers the lower bounds are computed from. */
export interface Fleet {
  readonly size: FleetSize;
  readonly groupNames: readonly string[];
  readonly capacityGroups: readonly string[];
  readonly clusterNames: readonly string[];
  readonly targetGroupArns: readonly string[];
  /** Owned objects the YAML makes: per group 2 policies, 2 alarms, 1 scheduled action. */
  readonly policies: number;
  readonly alarms: number;
  readonly schedules: number;
  readonly services: number;
  readonly taskDefinitions: number;
  /** Distinct CloudWatch queries (metric, statistic, period, dimensions) of the services. */
  readonly metricQueries: number;
  /** Every instance in the account (groups, capacity groups, strays). */
  readonly accountInstances: number;
  readonly containerInstances: number;
  /** Per cluster: its services and container instances. */
  readonly perCluster: readonly { readonly services: number; readonly containerInstances: number }[];
  /** Seconds per seeding step. */
  readonly timings: Readonly<Record<string, number>>;
}

const SEED_CONCURRENCY = 8;
const TEMPLATE = 'fleet';
const STATS = [
  ['CPUUtilization', 'Average', 'cpu'],
  ['MemoryUtilization', 'Average', 'mem'],
  ['CPUUtilization', 'Maximum', 'cpu_max'],
  ['MemoryUtilization', 'Maximum', 'mem_max'],
] as const;

export const groupName = (i: number): string => `fleet-g${String(i).padStart(4, '0')}-asg`;
export const clusterName = (c: number): string => `fleet-c${String(c).padStart(2, '0')}`;
export const capacityGroup = (c: number): string => `${clusterName(c)}-capacity-asg`;
export const serviceName = (s: number): string => `svc-${String(s).padStart(3, '0')}`;

/** Instances of group i: the total spread evenly. */
function instancesOf(size: FleetSize, i: number): number {
  const base = Math.floor(size.instances / size.groups);
  return base + (i < size.instances % size.groups ? 1 : 0);
}

function statsPerService(size: FleetSize): number {
  const services = size.clusters * size.services;
  if (services === 0) return 0;
  return Math.max(1, Math.min(STATS.length, Math.round(size.queries / services)));
}

/** Which cluster file a group goes in (groups spread over the cluster files, or one file). */
function fileOfGroup(size: FleetSize, i: number): number {
  return size.clusters === 0 ? 0 : i % size.clusters;
}

async function timed<T>(timings: Record<string, number>, step: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await body();
  } finally {
    timings[step] = (performance.now() - started) / 1000;
  }
}

/** Creates the fleet's AWS objects (not the owned ones: the first apply makes those). */
export async function seedFleet(
  clients: AwsClients,
  size: FleetSize,
  now: Date = new Date(),
): Promise<Fleet> {
  const timings: Record<string, number> = {};
  const groupNames = Array.from({ length: size.groups }, (_, i) => groupName(i));
  const clusterNames = Array.from({ length: size.clusters }, (_, c) => clusterName(c));
  const capacityGroups = Array.from({ length: size.clusters }, (_, c) => capacityGroup(c));

  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: TEMPLATE,
      LaunchTemplateData: { ImageId: TEST_AMI, InstanceType: 't3.micro' },
    }),
  );
  const vpcId = await defaultVpcId(clients);
  const targetGroupArns = await timed(timings, 'target groups', () =>
    mapWithConcurrency(
      Array.from({ length: size.targetGroups }, (_, t) => t),
      SEED_CONCURRENCY,
      (t) => createTargetGroup(clients, `fleet-tg-${String(t).padStart(2, '0')}`, { vpcId }),
    ),
  );
  const createGroup = (name: string, desired: number) =>
    clients.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MinSize: 0,
        MaxSize: Math.max(4, desired),
        DesiredCapacity: desired,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        LaunchTemplate: { LaunchTemplateName: TEMPLATE, Version: '$Latest' },
      }),
    );
  await timed(timings, 'groups and their instances', () =>
    mapWithConcurrency(groupNames, SEED_CONCURRENCY, (name, i) => createGroup(name, instancesOf(size, i))),
  );

  let containerInstances = 0;
  const perCluster: { services: number; containerInstances: number }[] = [];
  await timed(timings, 'ECS clusters, capacity groups, container instances', async () => {
    for (let c = 0; c < size.clusters; c++) {
      const cluster = clusterNames[c] as string;
      await createEcsCluster(clients, cluster);
      await createGroup(capacityGroups[c] as string, size.capacityInstances);
      const described = await clients.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [capacityGroups[c] as string] }),
      );
      const ids = (described.AutoScalingGroups?.[0]?.Instances ?? []).flatMap((i) =>
        i.InstanceId === undefined ? [] : [i.InstanceId],
      );
      await mapWithConcurrency(ids, SEED_CONCURRENCY, (id) =>
        registerContainerInstance(clients, cluster, id),
      );
      containerInstances += ids.length;
      perCluster.push({ services: size.services, containerInstances: ids.length });
    }
  });
  await timed(timings, 'task definitions and services', () =>
    mapWithConcurrency(
      clusterNames.flatMap((cluster) => Array.from({ length: size.services }, (_, s) => ({ cluster, s }))),
      SEED_CONCURRENCY,
      async ({ cluster, s }) => {
        const family = `${cluster}-${serviceName(s)}`;
        await clients.ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 256, memory: 512 }],
          }),
        );
        await clients.ecs.send(
          new CreateServiceCommand({
            cluster,
            serviceName: serviceName(s),
            taskDefinition: family,
            desiredCount: 1,
          }),
        );
      },
    ),
  );

  const perService = statsPerService(size);
  await timed(timings, 'metric data', () => putServiceMetrics(clients, { size, clusterNames }, now));

  const services = size.clusters * size.services;
  return {
    size,
    groupNames,
    capacityGroups,
    clusterNames,
    targetGroupArns,
    policies: 2 * size.groups,
    alarms: 2 * size.groups,
    schedules: size.groups,
    services,
    taskDefinitions: services,
    metricQueries: services * perService,
    accountInstances: size.instances + containerInstances,
    containerInstances,
    perCluster,
    timings,
  };
}

/**
 * Datapoints for every metric query of the services: the five minutes before `now`, mid-range
 * values (no event fires). Call again right before a plan: the plan reads the last minutes.
 */
export async function putServiceMetrics(
  clients: AwsClients,
  fleet: Pick<Fleet, 'size' | 'clusterNames'>,
  now: Date = new Date(),
): Promise<void> {
  const perService = statsPerService(fleet.size);
  const metrics = new Set<string>();
  for (const cluster of fleet.clusterNames) {
    for (let s = 0; s < fleet.size.services; s++) {
      for (const [metric] of STATS.slice(0, perService))
        metrics.add(`${cluster}\u0000${serviceName(s)}\u0000${metric}`);
    }
  }
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const data = [...metrics].flatMap((key) => {
    const [cluster, service, metric] = key.split('\u0000') as [string, string, string];
    return [1, 2, 3, 4, 5].map((ago) => ({
      MetricName: metric,
      Value: 50,
      Unit: 'Percent' as const,
      Timestamp: new Date(minute - ago * 60_000),
      Dimensions: [
        { Name: 'ClusterName', Value: cluster },
        { Name: 'ServiceName', Value: service },
      ],
    }));
  });
  // moto answers HTTP 500 to more than 20 datums a call (AWS takes 1,000).
  await mapWithConcurrency(chunk(data, 20), 4, (batch) =>
    clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: batch })),
  );
}

/**
 * Distinct task definitions of the services with tasks waiting for room (desired above running
 * plus pending), read from moto: what capacity planning needs sized. The fleet's metrics sit
 * mid-range (no event fires) and its counts within the YAML's bounds, so each service's planned
 * count is its desired count.
 */
export async function taskDefinitionsToPlace(
  clients: AwsClients,
  fleet: Pick<Fleet, 'size' | 'clusterNames'>,
): Promise<number> {
  const names = Array.from({ length: fleet.size.services }, (_, s) => serviceName(s));
  const batches = fleet.clusterNames.flatMap((cluster) =>
    chunk(names, 10).map((services) => ({ cluster, services })),
  );
  const described = await mapWithConcurrency(batches, SEED_CONCURRENCY, ({ cluster, services }) =>
    clients.ecs.send(new DescribeServicesCommand({ cluster, services })),
  );
  const waiting = new Set<string>();
  for (const out of described) {
    for (const s of out.services ?? []) {
      if ((s.desiredCount ?? 0) > (s.runningCount ?? 0) + (s.pendingCount ?? 0))
        waiting.add(s.taskDefinition ?? '');
    }
  }
  return waiting.size;
}

/**
 * Drift for the plan to find: some groups' max raised by hand, and one stray instance (in no
 * group, launched a moment ago: within prune's grace, so reported, not yet removed) registered in
 * each target group.
 */
export async function driftFleet(
  clients: AwsClients,
  fleet: Fleet,
): Promise<{ resized: number; strays: number; accountInstances: number }> {
  const resized = fleet.groupNames.filter((_, i) => i % 100 === 7);
  await mapWithConcurrency(resized, SEED_CONCURRENCY, (name) =>
    clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MaxSize: 9 })),
  );
  const strays =
    fleet.targetGroupArns.length === 0 ? [] : await runInstances(clients, fleet.targetGroupArns.length);
  await mapWithConcurrency(fleet.targetGroupArns, SEED_CONCURRENCY, (arn, t) =>
    registerTargets(clients, arn, [strays[t]?.InstanceId ?? '']),
  );
  return {
    resized: resized.length,
    strays: strays.length,
    accountInstances: fleet.accountInstances + strays.length,
  };
}

/** Writes the YAML that manages the fleet (one file per cluster, or one file of groups). */
export async function writeFleetConfig(dir: string, fleet: Fleet): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { size } = fleet;
  const files = Math.max(1, size.clusters);
  const perService = statsPerService(size);
  const written: string[] = [];
  for (let f = 0; f < files; f++) {
    const lines: string[] = ['region: us-east-1'];
    if (size.clusters > 0) {
      const cluster = clusterName(f);
      lines.push(
        `cluster: ${cluster}`,
        'enabled: true',
        `autoscale_group: ${capacityGroup(f)}`,
        'cpu_buffer: 0',
        'mem_buffer: 0',
        `min: 1`,
        `max: ${Math.max(6, size.capacityInstances + 3)}`,
        'services:',
      );
      for (let s = 0; s < size.services; s++) {
        lines.push(
          `  ${serviceName(s)}:`,
          '    min: 1',
          '    max: 4',
          '    metric_sources:',
          '      cloudwatch:',
        );
        for (const [metric, stat, alias] of STATS.slice(0, perService)) {
          lines.push(
            '        - namespace: AWS/ECS',
            `          metric_name: ${metric}`,
            `          dimensions: [{ name: ClusterName, value: ${cluster} }, { name: ServiceName, value: ${serviceName(s)} }]`,
            '          period: 60',
            `          statistics: [{ name: ${stat}, alias: ${alias} }]`,
          );
        }
        lines.push(
          '    events:',
          '      - { metric: cpu, action: 1, min: 90, max: null }',
          '      - { metric: cpu, action: -1, min: null, max: 5 }',
        );
      }
      lines.push(
        'prune:',
        '  grace: 10m',
        '  max: 25%',
        '  ecs_container_instances: true',
        '  target_groups: true',
      );
    } else {
      lines.push('prune:', '  grace: 10m', '  max: 25%', '  target_groups: true');
    }
    const groups = fleet.groupNames
      .map((name, i) => ({ name, i }))
      .filter(({ i }) => fileOfGroup(size, i) === f);
    if (groups.length > 0) lines.push('groups:');
    for (const { name, i } of groups) {
      const tg =
        fleet.targetGroupArns.length === 0
          ? undefined
          : fleet.targetGroupArns[i % fleet.targetGroupArns.length];
      lines.push(
        `  ${name}:`,
        '    min: 0',
        `    max: ${Math.max(4, instancesOf(size, i))}`,
        ...(tg === undefined ? [] : [`    target_groups: [${tg}]`]),
        '    triggers:',
        '      cpu: { metric: CPUUtilization, period: 60, breach_duration: 180, upper: { threshold: 80, adjust: 1 }, lower: { threshold: 20, adjust: -1 } }',
        '    schedules:',
        `      nightly: { recurrence: "0 22 * * *", max: ${Math.max(4, instancesOf(size, i))} }`,
      );
    }
    const file = join(dir, size.clusters > 0 ? `${clusterName(f)}.yml` : 'fleet.yml');
    await writeFile(file, `${lines.join('\n')}\n`);
    written.push(file);
  }
  return written;
}
