/**
 * Seeding helpers for integration tests against moto: each creates one kind of resource through
 * the same clients the product uses and returns what tests need (ids, ARNs, descriptions).
 * See the quirks list in moto.ts (e.g. groups launch their instances at once; a group with target
 * groups registers its instances itself).
 */
import {
  type AutoScalingGroup,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { type Dimension, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import {
  type _InstanceType,
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeLaunchTemplatesCommand,
  DescribeVpcsCommand,
  type Instance,
  RunInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
  type TargetDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk } from '../../src/aws/batch.ts';
import type { AwsClients } from '../../src/aws/clients.ts';

/** One of moto's built-in AMIs (moto accepts any id, but this one also describes). */
export const TEST_AMI = 'ami-12c6146b';
/** The template `createGroup` uses when none is named (created on first use). */
export const DEFAULT_LAUNCH_TEMPLATE = 'seed-template';

export interface LaunchTemplateRef {
  readonly id: string;
  readonly name: string;
}

export async function createLaunchTemplate(
  clients: AwsClients,
  name: string = DEFAULT_LAUNCH_TEMPLATE,
  options: { readonly imageId?: string; readonly instanceType?: _InstanceType } = {},
): Promise<LaunchTemplateRef> {
  const result = await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      LaunchTemplateData: {
        ImageId: options.imageId ?? TEST_AMI,
        InstanceType: options.instanceType ?? 't3.micro',
      },
    }),
  );
  return { id: required(result.LaunchTemplate?.LaunchTemplateId, 'LaunchTemplateId'), name };
}

async function ensureLaunchTemplate(clients: AwsClients, name: string): Promise<void> {
  const found = await clients.ec2.send(new DescribeLaunchTemplatesCommand({})).catch(() => undefined);
  if (found?.LaunchTemplates?.some((t) => t.LaunchTemplateName === name)) return;
  await createLaunchTemplate(clients, name);
}

export interface GroupSeed {
  readonly min: number;
  readonly max: number;
  readonly desired?: number;
  /** Default `['us-east-1a']` unless `subnets` is given. */
  readonly zones?: readonly string[];
  readonly subnets?: readonly string[];
  /** Template name (version `$Latest`); default {@link DEFAULT_LAUNCH_TEMPLATE}, created if missing. */
  readonly launchTemplate?: string;
  /** moto then registers the group's instances in these itself. */
  readonly targetGroupArns?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** Creates a group (moto launches `desired` instances at once) and returns its description. */
export async function createGroup(
  clients: AwsClients,
  name: string,
  seed: GroupSeed,
): Promise<AutoScalingGroup> {
  const template = seed.launchTemplate ?? DEFAULT_LAUNCH_TEMPLATE;
  if (seed.launchTemplate === undefined) await ensureLaunchTemplate(clients, template);
  await clients.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: seed.min,
      MaxSize: seed.max,
      ...(seed.desired === undefined ? {} : { DesiredCapacity: seed.desired }),
      ...(seed.subnets === undefined
        ? { AvailabilityZones: [...(seed.zones ?? ['us-east-1a'])] }
        : { VPCZoneIdentifier: seed.subnets.join(',') }),
      LaunchTemplate: { LaunchTemplateName: template, Version: '$Latest' },
      ...(seed.targetGroupArns === undefined ? {} : { TargetGroupARNs: [...seed.targetGroupArns] }),
      ...(seed.tags === undefined
        ? {}
        : {
            Tags: Object.entries(seed.tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
          }),
    }),
  );
  const described = await clients.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  return required(described.AutoScalingGroups?.[0], `group ${name}`);
}

/** The instance ids of a group description (moto's are all InService). */
export function groupInstanceIds(group: Pick<AutoScalingGroup, 'Instances'>): string[] {
  return (group.Instances ?? []).flatMap((i) => (i.InstanceId === undefined ? [] : [i.InstanceId]));
}

export interface VpcSubnet {
  readonly vpcId: string;
  readonly subnetId: string;
  readonly zone: string;
}

/** A new VPC with one subnet (moto also has a default VPC with a subnet per zone). */
export async function createVpcSubnet(
  clients: AwsClients,
  options: { readonly cidr?: string; readonly zone?: string } = {},
): Promise<VpcSubnet> {
  const cidr = options.cidr ?? '10.20.0.0/16';
  const zone = options.zone ?? 'us-east-1a';
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = required(vpc.Vpc?.VpcId, 'VpcId');
  const subnet = await clients.ec2.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: cidr.replace(/\/\d+$/, '/24'),
      AvailabilityZone: zone,
    }),
  );
  return { vpcId, subnetId: required(subnet.Subnet?.SubnetId, 'SubnetId'), zone };
}

export async function defaultVpcId(clients: AwsClients): Promise<string> {
  const vpcs = await clients.ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  return required(vpcs.Vpcs?.[0]?.VpcId, 'default VPC');
}

export interface TargetGroupSeed {
  /** Default: the default VPC. */
  readonly vpcId?: string;
  readonly port?: number;
  readonly targetType?: 'instance' | 'ip';
}

/** Creates a target group (HTTP, port 80 by default) and returns its ARN. */
export async function createTargetGroup(
  clients: AwsClients,
  name: string,
  seed: TargetGroupSeed = {},
): Promise<string> {
  const result = await clients.elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: seed.port ?? 80,
      VpcId: seed.vpcId ?? (await defaultVpcId(clients)),
      TargetType: seed.targetType ?? 'instance',
    }),
  );
  return required(result.TargetGroups?.[0]?.TargetGroupArn, 'TargetGroupArn');
}

/** Registers targets (instance ids or IPs, with an optional port). moto does not check they exist. */
export async function registerTargets(
  clients: AwsClients,
  targetGroupArn: string,
  targets: readonly (string | TargetDescription)[],
): Promise<void> {
  await clients.elbv2.send(
    new RegisterTargetsCommand({
      TargetGroupArn: targetGroupArn,
      Targets: targets.map((t) => (typeof t === 'string' ? { Id: t } : t)),
    }),
  );
}

export interface InstancesSeed {
  readonly zone?: string;
  readonly subnetId?: string;
  readonly imageId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Plain instances outside any group: "gone" instances for prune tests are these, terminated. */
export async function runInstances(
  clients: AwsClients,
  count: number,
  seed: InstancesSeed = {},
): Promise<Instance[]> {
  const tags: Tag[] = Object.entries(seed.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const result = await clients.ec2.send(
    new RunInstancesCommand({
      ImageId: seed.imageId ?? TEST_AMI,
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      ...(seed.subnetId === undefined ? {} : { SubnetId: seed.subnetId }),
      ...(seed.zone === undefined ? {} : { Placement: { AvailabilityZone: seed.zone } }),
      ...(tags.length === 0 ? {} : { TagSpecifications: [{ ResourceType: 'instance', Tags: tags }] }),
    }),
  );
  return result.Instances ?? [];
}

/** Creates an ECS cluster and returns its ARN. */
export async function createEcsCluster(clients: AwsClients, name: string): Promise<string> {
  const result = await clients.ecs.send(new CreateClusterCommand({ clusterName: name }));
  return required(result.cluster?.clusterArn, 'clusterArn');
}

/**
 * Registers an EC2 instance (it must exist in moto, e.g. from {@link runInstances} or a group) as
 * a container instance of `cluster`; returns the container instance ARN. moto reads only
 * `instanceId` from the identity document and gives every instance CPU 4096 / MEMORY 7482.
 */
export async function registerContainerInstance(
  clients: AwsClients,
  cluster: string,
  instanceId: string,
): Promise<string> {
  const result = await clients.ecs.send(
    new RegisterContainerInstanceCommand({
      cluster,
      instanceIdentityDocument: JSON.stringify({ instanceId, region: clients.context.region }),
    }),
  );
  return required(result.containerInstance?.containerInstanceArn, 'containerInstanceArn');
}

export interface EcsServiceSeed {
  readonly desired: number;
  /** Task definition family; registered (one container, 256 CPU / 512 MiB) on first use. */
  readonly taskFamily?: string;
  readonly cpu?: number;
  readonly memory?: number;
}

/** Creates an ECS service (registering its task definition) and returns the service ARN. */
export async function createEcsService(
  clients: AwsClients,
  cluster: string,
  name: string,
  seed: EcsServiceSeed,
): Promise<string> {
  const family = seed.taskFamily ?? name;
  await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        { name: family, image: 'busybox', cpu: seed.cpu ?? 256, memory: seed.memory ?? 512 },
      ],
    }),
  );
  const result = await clients.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: family,
      desiredCount: seed.desired,
    }),
  );
  return required(result.service?.serviceArn, 'serviceArn');
}

export interface MetricPoint {
  readonly value: number;
  /** Default now. */
  readonly timestamp?: Date;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly unit?: StandardUnit;
}

/** Puts data points for one metric (1000 per call, the API's maximum). */
export async function putMetricData(
  clients: AwsClients,
  namespace: string,
  metricName: string,
  points: readonly MetricPoint[],
): Promise<void> {
  for (const batch of chunk(points, 1000)) {
    await clients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: batch.map((p) => ({
          MetricName: metricName,
          Value: p.value,
          Timestamp: p.timestamp ?? new Date(),
          ...(p.unit === undefined ? {} : { Unit: p.unit }),
          ...(p.dimensions === undefined ? {} : { Dimensions: toDimensions(p.dimensions) }),
        })),
      }),
    );
  }
}

function toDimensions(dimensions: Readonly<Record<string, string>>): Dimension[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`moto answered without ${what}`);
  return value;
}
