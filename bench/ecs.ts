/**
 * Bench: one plan over ECS clusters in moto (issue 4).
 *
 *   npm run bench:ecs                 (10 clusters × 50 services × 3 CloudWatch metrics)
 *   node bench/ecs.ts 4 20            (any clusters × services)
 *
 * Each cluster has an autoscale_group of 2 registered container instances and 50 services that
 * share 5 task definitions; each service reads 3 CloudWatch metrics (one statistic of 3 metric
 * names, each its own source, as ecs-autoscale users write them). The bench seeds moto, runs ONE
 * plan and prints the AWS calls per operation beside the lower bound (DescribeServices per 10
 * services, GetMetricData per 500 queries, DescribeTaskDefinition per distinct task definition,
 * the rest per cluster) and beside ecs-autoscale's pattern for the same clusters: one
 * GetMetricStatistics per metric and one DescribeTaskDefinition per service per run, its
 * DescribeServices with every name of a cluster at once (AWS rejects more than 10), two
 * listings and two describes of container instances (ACTIVE, DRAINING) per cluster. It then
 * replays ecs-autoscale's metric and task definition calls against the same moto, one after
 * another as its Lambda made them, for a wall-time comparison.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { chunk, mapWithConcurrency } from '../src/aws/batch.ts';
import { type AwsClients, ClientPool } from '../src/aws/clients.ts';
import { runPlan } from '../src/pipeline.ts';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto-server.ts';

const CLUSTERS = Number(process.argv[2] ?? process.env.BENCH_CLUSTERS ?? 10);
const SERVICES = Number(process.argv[3] ?? process.env.BENCH_SERVICES ?? 50);
const METRICS = ['Ready', 'Cpu', 'Latency'] as const;
const FAMILIES_PER_CLUSTER = 5;
const INSTANCES_PER_CLUSTER = 2;
const PERIOD = 60;

const clusterName = (c: number) => `bench-${String(c).padStart(2, '0')}`;
const serviceName = (s: number) => `svc-${String(s).padStart(3, '0')}`;
const familyName = (c: number, s: number) => `${clusterName(c)}-task-${s % FAMILIES_PER_CLUSTER}`;

function config(c: number): string {
  const cluster = clusterName(c);
  const lines = [
    `autoscale_group: ${cluster}-asg`,
    `min: ${INSTANCES_PER_CLUSTER}`,
    'max: 8',
    'cpu_buffer: 256',
    'mem_buffer: 256',
    'services:',
  ];
  for (let s = 0; s < SERVICES; s++) {
    const service = serviceName(s);
    lines.push(`  ${service}:`, '    min: 1', '    max: 4', '    metric_sources:', '      cloudwatch:');
    for (const metric of METRICS) {
      lines.push(
        `        - { namespace: Bench, metric_name: ${metric}, dimensions: [ { name: ClusterName, value: ${cluster} }, { name: ServiceName, value: ${service} } ], period: ${PERIOD}, statistics: [ { name: Average, alias: ${metric.toLowerCase()} } ] }`,
      );
    }
    lines.push(
      '    events:',
      '      - { metric: ready, action: 1, min: 100, max: null }',
      '      - { metric: "max(cpu / 80, latency / 500)", action: -1, min: null, max: 0.01 }',
    );
  }
  return `${lines.join('\n')}\n`;
}

async function seed(clients: AwsClients): Promise<void> {
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'bench',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  const clusters = Array.from({ length: CLUSTERS }, (_, c) => c);
  await mapWithConcurrency(clusters, 4, async (c) => {
    const cluster = clusterName(c);
    await clients.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await clients.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: `${cluster}-asg`,
        MinSize: INSTANCES_PER_CLUSTER,
        MaxSize: 8,
        DesiredCapacity: INSTANCES_PER_CLUSTER,
        AvailabilityZones: [`${TEST_REGION}a`],
        LaunchTemplate: { LaunchTemplateName: 'bench', Version: '$Latest' },
      }),
    );
    const group = await clients.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${cluster}-asg`] }),
    );
    for (const instance of group.AutoScalingGroups?.[0]?.Instances ?? []) {
      await clients.ecs.send(
        new RegisterContainerInstanceCommand({
          cluster,
          instanceIdentityDocument: JSON.stringify({ instanceId: instance.InstanceId, region: TEST_REGION }),
        }),
      );
    }
    for (let f = 0; f < FAMILIES_PER_CLUSTER; f++) {
      await clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: familyName(c, f),
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 128, memory: 256 }],
        }),
      );
    }
    for (let s = 0; s < SERVICES; s++) {
      await clients.ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: serviceName(s),
          taskDefinition: familyName(c, s),
          desiredCount: 1,
        }),
      );
    }
  });
  // One datapoint per metric in the last complete period; values that fire no event.
  const end = Math.floor(Date.now() / (PERIOD * 1000)) * PERIOD * 1000;
  const data = clusters.flatMap((c) =>
    Array.from({ length: SERVICES }, (_, s) => s).flatMap((s) =>
      METRICS.map((metric) => ({
        MetricName: metric,
        Value: metric === 'Ready' ? 10 : 40,
        Timestamp: new Date(end - (PERIOD * 1000) / 2),
        Dimensions: [
          { Name: 'ClusterName', Value: clusterName(c) },
          { Name: 'ServiceName', Value: serviceName(s) },
        ],
      })),
    ),
  );
  // AWS takes 1000 per call; moto answers HTTP 500 from about 90 datapoints with dimensions.
  for (const batch of chunk(data, 50)) {
    await clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: 'Bench', MetricData: batch }));
  }
}

/** ecs-autoscale's per-run metric and task definition reads, one after another as its Lambda ran. */
async function legacyReads(clients: AwsClients): Promise<number> {
  const started = performance.now();
  const now = new Date();
  for (let c = 0; c < CLUSTERS; c++) {
    for (let s = 0; s < SERVICES; s++) {
      await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: familyName(c, s) }));
      for (const metric of METRICS) {
        await clients.cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'Bench',
            MetricName: metric,
            Dimensions: [
              { Name: 'ClusterName', Value: clusterName(c) },
              { Name: 'ServiceName', Value: serviceName(s) },
            ],
            StartTime: new Date(now.getTime() - PERIOD * 1000),
            EndTime: now,
            Period: PERIOD,
            Statistics: ['Average'],
          }),
        );
      }
    }
  }
  return performance.now() - started;
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

async function main(): Promise<void> {
  const moto = await startMoto({ timeoutMs: 60_000 });
  const dir = await mkdtemp(join(tmpdir(), 'bench-ecs-'));
  try {
    for (let c = 0; c < CLUSTERS; c++) await writeFile(join(dir, `${clusterName(c)}.yml`), config(c));
    const options = { configDir: dir, cwd: dir, region: TEST_REGION, env: {}, endpoint: moto.endpoint };

    let started = performance.now();
    const seeder = new ClientPool({ credentials: TEST_CREDENTIALS });
    await seed(seeder.get({ region: TEST_REGION, endpoint: moto.endpoint }));
    seeder.destroy();
    const seedSeconds = (performance.now() - started) / 1000;

    const pool = new ClientPool({ credentials: TEST_CREDENTIALS });
    started = performance.now();
    const run = await runPlan({ ...options, pool });
    const planMs = performance.now() - started;
    pool.destroy();
    if (run.plan === null || run.plan.errors.length > 0) {
      throw new Error(`the plan failed: ${JSON.stringify(run.plan?.errors ?? run.diagnostics)}`);
    }
    const decisions = run.plan.decisions ?? [];
    const unread = decisions.filter((d) => d.outcome === 'no_data' || d.outcome === 'unknown');
    if (unread.length > 0) throw new Error(`${unread.length} decisions without data: ${unread[0]?.reason}`);

    const services = CLUSTERS * SERVICES;
    const queries = services * METRICS.length;
    const families = CLUSTERS * FAMILIES_PER_CLUSTER;
    const bounds: Record<string, number> = {
      'AutoScaling:DescribeAutoScalingGroups': Math.ceil(CLUSTERS / 100),
      'CloudWatch:GetMetricData': Math.ceil(queries / 500),
      'ECS:DescribeServices': CLUSTERS * Math.ceil(SERVICES / 10),
      'ECS:DescribeTaskDefinition': families,
      'ECS:ListContainerInstances': CLUSTERS,
      'ECS:DescribeContainerInstances': CLUSTERS * Math.ceil(INSTANCES_PER_CLUSTER / 100),
    };
    const legacy: Record<string, number> = {
      'AutoScaling:DescribeAutoScalingGroups': Math.ceil(CLUSTERS / 50),
      'CloudWatch:GetMetricStatistics': queries,
      'ECS:DescribeServices': CLUSTERS,
      'ECS:DescribeTaskDefinition': services,
      'ECS:ListClusters': 1,
      'ECS:ListContainerInstances': 2 * CLUSTERS,
      'ECS:DescribeContainerInstances': 2 * CLUSTERS,
    };
    const calls = run.counter.snapshot();
    const operations = [
      ...new Set([...Object.keys(bounds), ...Object.keys(calls), ...Object.keys(legacy)]),
    ].sort();
    const sum = (r: Record<string, number>) => Object.values(r).reduce((n, v) => n + v, 0);

    console.log(
      `ECS: ${CLUSTERS} clusters × ${SERVICES} services × ${METRICS.length} CloudWatch metrics = ${queries} metric queries; ` +
        `${families} distinct task definitions; ${CLUSTERS * INSTANCES_PER_CLUSTER} container instances`,
    );
    console.log(`seeded in ${seedSeconds.toFixed(1)} s\n`);
    console.log(`${'operation'.padEnd(40)}${pad('calls', 7)}${pad('bound', 7)}${pad('ecs-autoscale', 15)}`);
    for (const op of operations) {
      console.log(
        `${op.padEnd(40)}${pad(calls[op] ?? '-', 7)}${pad(bounds[op] ?? '-', 7)}${pad(legacy[op] ?? '-', 15)}`,
      );
    }
    console.log(`${'total'.padEnd(40)}${pad(sum(calls), 7)}${pad(sum(bounds), 7)}${pad(sum(legacy), 15)}`);
    console.log(
      `\nplan wall time: ${planMs.toFixed(0)} ms (HTTP attempts ${run.counter.attempts}); ` +
        `${run.plan.changes.length} changes, ${decisions.length} decisions`,
    );
    console.log(
      '(ecs-autoscale: DescribeServices with all 50 names of a cluster in one call, which AWS rejects above 10.)',
    );

    const legacyPool = new ClientPool({ credentials: TEST_CREDENTIALS });
    const legacyMs = await legacyReads(legacyPool.get({ region: TEST_REGION, endpoint: moto.endpoint }));
    legacyPool.destroy();
    console.log(
      `ecs-autoscale's ${queries} GetMetricStatistics + ${services} DescribeTaskDefinition, made one after another: ${legacyMs.toFixed(0)} ms`,
    );
    const within = sum(calls) <= sum(bounds);
    console.log(`target (calls at the lower bound): ${within ? 'met' : 'MISSED'}`);
    process.exitCode = within ? 0 : 1;
  } finally {
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
