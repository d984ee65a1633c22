/**
 * The demo's fleet in moto: an account as it looks before autoscale-gitops manages it, with drift
 * for the plan to show. Returns the environment the example clusters/ files read, the instances
 * the registries (servers.ts) list, and one story line per seeded thing.
 *
 * moto's quirks shape a few choices (see test/support/moto-server.ts):
 * - groups are seeded WITHOUT TargetGroupARNs (moto would register their instances itself), so the
 *   plan shows the tool attaching them (after which moto, like AWS, registers the instances);
 * - the Classic Load Balancer is made over the Query API (test/support/classic-elb.ts): the product
 *   has no SDK client for it;
 * - a "gone" instance that stays gone is a plain RunInstances instance, terminated (a group's would
 *   be replaced at once); moto dates its termination "now", so grace (10m) keeps its entries: only
 *   ids EC2 never knew (no time at all) are pruned in a demo;
 * - tasks reserve room on a container instance only through StartTask; services start with
 *   runningCount 0 and pendingCount = desired.
 */
import { randomBytes } from 'node:crypto';
import { PutMetricAlarmCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import {
  CreateLaunchTemplateVersionCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { RegisterTaskDefinitionCommand, StartTaskCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../src/aws/clients.ts';
import { createClassicLoadBalancer } from '../../test/support/classic-elb.ts';
import {
  createEcsCluster,
  createEcsService,
  createGroup,
  createLaunchTemplate,
  createTargetGroup,
  groupInstanceIds,
  type MetricPoint,
  putMetricData,
  registerContainerInstance,
  registerTargets,
  runInstances,
  TEST_AMI,
} from '../../test/support/seed.ts';

/** Instance ids the registries (Chef, Salt, Consul) list, by what they are. */
export interface FleetInstances {
  /** web-asg's InService instances. */
  readonly web: readonly string[];
  /** api-asg's InService instances. */
  readonly api: readonly string[];
  /** A web server terminated by hand a moment ago: EC2 still lists it, dated now. */
  readonly justTerminated: string;
  /** A web server terminated days ago: EC2 has forgotten it. Its entries are pruned. */
  readonly longGoneWeb: string;
  /** An API server terminated hours ago, also forgotten by EC2. */
  readonly longGoneApi: string;
}

export interface SeededFleet {
  /** Variables for ${VAR} references in clusters/*.yml. */
  readonly env: Record<string, string>;
  readonly instances: FleetInstances;
  /** One line per seeded object, for the demo's narration. */
  readonly story: string[];
}

/** The Auto Scaling group of my_cluster, as the ECS console's cluster wizard names it. */
export const MY_CLUSTER_GROUP = 'EC2ContainerService-my_cluster-EcsInstanceAsg-AAAAA';
const JOBS_GROUP = 'ecs-jobs-prod-asg';

/** An instance id EC2 has never seen (it "forgot" a long-terminated instance). */
function forgottenId(): string {
  return `i-0${randomBytes(8).toString('hex')}`;
}

export async function seedFleet(clients: AwsClients): Promise<SeededFleet> {
  const story: string[] = [];
  const groups = await seedGroups(clients, story);
  await seedEcs(clients, story);
  await seedMetrics(clients, story);
  const stale = await seedStaleRegistrations(clients, groups, story);
  return {
    story,
    instances: { web: groups.web, api: groups.api, ...stale },
    env: {
      WEB_TARGET_GROUP_ARN: groups.webTargetGroup,
      API_TARGET_GROUP_ARN: groups.apiTargetGroup,
      API_LAUNCH_TEMPLATE_ID: groups.apiTemplate,
      API_SUBNET_A: groups.subnets[0],
      API_SUBNET_B: groups.subnets[1],
    },
  };
}

interface SeededGroups {
  readonly web: string[];
  readonly api: string[];
  readonly webTargetGroup: string;
  readonly apiTargetGroup: string;
  readonly apiTemplate: string;
  readonly subnets: readonly [string, string];
}

/** web-asg and api-asg exist with drift; bastion-asg does not exist yet. */
async function seedGroups(clients: AwsClients, story: string[]): Promise<SeededGroups> {
  // web-asg: someone lowered its sizes by hand in the console.
  await createLaunchTemplate(clients, 'web');
  const web = groupInstanceIds(
    await createGroup(clients, 'web-asg', {
      min: 1,
      max: 4,
      desired: 3,
      zones: ['us-east-1a', 'us-east-1b'],
      launchTemplate: 'web',
    }),
  );
  story.push(
    'web-asg runs 3 instances with min 1, max 4 (the YAML says 2 and 8), and none of its triggers or schedules',
  );

  // api-asg: in two private subnets of one VPC, from launch template version 3 (the YAML pins it).
  const api = await createLaunchTemplate(clients, 'api');
  for (let version = 2; version <= 3; version++) {
    await clients.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: api.id,
        LaunchTemplateData: { ImageId: TEST_AMI, InstanceType: 't3.small' },
      }),
    );
  }
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
  const vpcId = vpc.Vpc?.VpcId ?? '';
  const subnets: string[] = [];
  for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.30.${i + 1}.0/24`, AvailabilityZone: zone }),
    );
    subnets.push(subnet.Subnet?.SubnetId ?? '');
  }
  const apiIds = groupInstanceIds(
    await createGroup(clients, 'api-asg', { min: 1, max: 3, desired: 3, subnets, launchTemplate: 'api' }),
  );
  story.push('api-asg runs 3 instances with min 1, max 3 (the YAML says 2 and 6), no policies yet');

  // bastion-asg: only its launch template exists; the YAML says how to create the group.
  await createLaunchTemplate(clients, 'bastion');
  story.push('bastion-asg does not exist: the YAML names its launch template and zone, so it is created');

  // Target groups: the instances that were there at the last deploy are registered; one of each
  // group's instances was launched since and is not.
  const webTargetGroup = await createTargetGroup(clients, 'web');
  const apiTargetGroup = await createTargetGroup(clients, 'api', { port: 8080, vpcId });
  await registerTargets(clients, webTargetGroup, web.slice(0, 2));
  await registerTargets(
    clients,
    apiTargetGroup,
    apiIds.slice(0, 2).map((Id) => ({ Id, Port: 8080 })),
  );
  story.push(
    'target groups web and api each lack one of their group’s InService instances, and are not attached to the groups',
  );
  await createClassicLoadBalancer(clients, 'web-classic', ['us-east-1a', 'us-east-1b']);
  story.push('Classic Load Balancer web-classic exists but is not attached to web-asg');

  return {
    web,
    api: apiIds,
    webTargetGroup,
    apiTargetGroup,
    apiTemplate: api.id,
    subnets: [subnets[0] ?? '', subnets[1] ?? ''],
  };
}

interface TaskSize {
  readonly cpu: number;
  readonly memory: number;
}

async function registerFamily(clients: AwsClients, family: string, size: TaskSize): Promise<void> {
  await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [{ name: family, image: `example/${family}:latest`, ...size }],
    }),
  );
}

/** Places tasks of the given families on one container instance (moto reserves their room). */
async function startTasks(
  clients: AwsClients,
  cluster: string,
  containerInstance: string,
  families: readonly string[],
): Promise<void> {
  for (const family of families) {
    await clients.ecs.send(
      new StartTaskCommand({ cluster, taskDefinition: family, containerInstances: [containerInstance] }),
    );
  }
}

/** A cluster whose group's instances are all registered as container instances (4096 CPU / 7482 MiB in moto). */
async function ecsCluster(
  clients: AwsClients,
  cluster: string,
  group: { name: string; min: number; max: number; desired: number },
): Promise<string[]> {
  await createEcsCluster(clients, cluster);
  const ids = groupInstanceIds(
    await createGroup(clients, group.name, {
      min: group.min,
      max: group.max,
      desired: group.desired,
      zones: ['us-east-1a', 'us-east-1b'],
      launchTemplate: 'ecs-node',
    }),
  );
  const arns: string[] = [];
  for (const id of ids) arns.push(await registerContainerInstance(clients, cluster, id));
  return arns;
}

/** my_cluster and jobs-prod with their groups, container instances, services and running tasks. */
async function seedEcs(clients: AwsClients, story: string[]): Promise<void> {
  await createLaunchTemplate(clients, 'ecs-node', { instanceType: 'm5.xlarge' });
  // Every container instance runs a metrics agent as a daemon task.
  await registerFamily(clients, 'datadog-agent', { cpu: 256, memory: 512 });

  // my_cluster: ecs-autoscale's quick-start cluster. Two instances, each running a worker, a
  // backend and the agent: neither instance's load would fit on the other, so none is drained.
  const mine = await ecsCluster(clients, 'my_cluster', {
    name: MY_CLUSTER_GROUP,
    min: 0,
    max: 2,
    desired: 2,
  });
  await createEcsService(clients, 'my_cluster', 'worker', { desired: 2, cpu: 1024, memory: 2048 });
  await createEcsService(clients, 'my_cluster', 'backend', { desired: 2, cpu: 1024, memory: 2048 });
  for (const arn of mine)
    await startTasks(clients, 'my_cluster', arn, ['worker', 'backend', 'datadog-agent']);
  story.push(
    `ECS cluster my_cluster: ${MY_CLUSTER_GROUP} (min 0, max 2; the YAML says 1 and 4) with 2 container instances, services worker and backend at 2 tasks each (1 vCPU, 2 GiB)`,
  );

  // jobs-prod: consumers fill their instances; two more consumer tasks need a third instance.
  const jobs = await ecsCluster(clients, 'jobs-prod', { name: JOBS_GROUP, min: 1, max: 6, desired: 2 });
  await createEcsService(clients, 'jobs-prod', 'consumer', { desired: 4, cpu: 1024, memory: 2048 });
  await createEcsService(clients, 'jobs-prod', 'reports', { desired: 1, cpu: 1024, memory: 1536 });
  await startTasks(clients, 'jobs-prod', jobs[0] ?? '', ['consumer', 'consumer', 'datadog-agent']);
  await startTasks(clients, 'jobs-prod', jobs[1] ?? '', ['consumer', 'consumer', 'reports', 'datadog-agent']);
  story.push(
    `ECS cluster jobs-prod: ${JOBS_GROUP} with 2 container instances, nearly full; consumer at 4 tasks, reports (paused in the YAML) at 1`,
  );
}

/**
 * A datapoint a minute for the last 15 minutes: whenever the plans run in the next minutes, the
 * latest complete period they read (60 s for SQS, 300 s for ECS CPU) has data. 15 per call: moto
 * fails PutMetricData with more than 20.
 */
function lastMinutes(
  value: (minutesAgo: number) => number,
  unit: StandardUnit,
  dimensions: Record<string, string>,
): MetricPoint[] {
  const now = Date.now();
  return Array.from({ length: 15 }, (_, i) => ({
    value: value(15 - i),
    timestamp: new Date(now - (15 - i) * 60_000),
    unit,
    dimensions,
  }));
}

async function seedMetrics(clients: AwsClients, story: string[]): Promise<void> {
  await putMetricData(
    clients,
    'AWS/ECS',
    'CPUUtilization',
    lastMinutes((ago) => 58 + ((ago * 7) % 9), 'Percent', {
      ClusterName: 'my_cluster',
      ServiceName: 'backend',
    }),
  );
  story.push('CloudWatch: backend’s CPUUtilization around 62% for 15 minutes (the YAML scales out at 10%)');
  await putMetricData(
    clients,
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    lastMinutes((ago) => 900 - ago * 20, 'Count', { QueueName: 'jobs' }),
  );
  story.push('CloudWatch: SQS queue jobs backs up, 600 → 880 messages visible over 15 minutes');
}

interface StaleInstances {
  readonly justTerminated: string;
  readonly longGoneWeb: string;
  readonly longGoneApi: string;
}

/**
 * What terminated instances leave behind: a web server terminated by hand just now (EC2 still
 * lists it, dated now: grace keeps its registry entries) and two terminated long ago (EC2 forgot
 * them: their entries are pruned). The web target group still holds the long-gone web server, and
 * an alarm names it. The registries' entries are in servers.ts.
 */
async function seedStaleRegistrations(
  clients: AwsClients,
  groups: SeededGroups,
  story: string[],
): Promise<StaleInstances> {
  const [launched] = await runInstances(clients, 1, {
    zone: 'us-east-1a',
    tags: { Name: 'web (hand-launched)' },
  });
  const justTerminated = launched?.InstanceId ?? '';
  const longGoneWeb = forgottenId();
  const longGoneApi = forgottenId();
  // moto registers only running instances: terminate after registering.
  await registerTargets(clients, groups.webTargetGroup, [justTerminated, longGoneWeb]);
  await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [justTerminated] }));
  // moto deregisters a terminated instance from its target groups itself: only the long-gone one stays.
  story.push(
    `target group web still holds ${longGoneWeb}, a web server terminated days ago that EC2 no longer knows: pruned`,
  );
  story.push(
    `${justTerminated}, a hand-launched web server, was terminated just now: its registry entries stay until grace`,
  );
  await clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: `cpu-high-${longGoneWeb}`,
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 2,
      Threshold: 90,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'InstanceId', Value: longGoneWeb }],
    }),
  );
  story.push(
    `alarm cpu-high-${longGoneWeb} names the long-gone web server; moto dates the alarm now, so grace keeps it`,
  );
  return { justTerminated, longGoneWeb, longGoneApi };
}
