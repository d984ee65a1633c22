/**
 * The least-privilege IAM policy a configuration needs (`autoscale-gitops iam-policy`).
 * Pure: a function of the validated files. Describe/List calls cannot be scoped to resources
 * in IAM, so they get "*"; every write is scoped to the groups, services, alarms, target
 * groups and roles the files name, or to the `gitops-` prefix for what the tool owns.
 */
import type { ClusterFile } from '../config/types.ts';

export interface PolicyInput {
  readonly cluster: string;
  readonly config: ClusterFile;
}

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

const OWNED_PREFIX = 'gitops-';

export function iamPolicy(files: readonly PolicyInput[], defaultRegion: string | undefined): PolicyDocument {
  const region = (c: ClusterFile) => c.region ?? defaultRegion ?? '*';
  const groupArns = new Set<string>();
  /** ECS capacity groups (`autoscale_group`): sized and drained, never given triggers or schedules. */
  const capacityGroupArns = new Set<string>();
  const serviceArns = new Set<string>();
  const clusterArns = new Set<string>();
  const containerInstanceArns = new Set<string>();
  const targetGroupArns = new Set<string>();
  const roleArns = new Set<string>();
  const alarmArns = new Set<string>();
  const reads = new Set<string>();
  let creates = false;
  let triggers = false;
  let schedules = false;
  let capacity = false;
  let cloudwatchMetrics = false;
  let pruneTargets = false;
  let pruneInstanceAlarms: string | null = null;

  for (const { cluster, config } of files) {
    const r = region(config);
    if (config.role_arn) roleArns.add(config.role_arn);
    for (const [name, group] of Object.entries(config.groups ?? {})) {
      groupArns.add(`arn:aws:autoscaling:${r}:*:autoScalingGroup:*:autoScalingGroupName/${name}`);
      reads.add('autoscaling:DescribeAutoScalingGroups');
      if (group.launch_template) creates = true;
      if (group.triggers && Object.keys(group.triggers).length > 0) triggers = true;
      if (group.schedules && Object.keys(group.schedules).length > 0) schedules = true;
      for (const arn of group.target_groups ?? []) targetGroupArns.add(arn);
    }
    // Triggers and schedules removed from YAML are deleted too, so every group may need them.
    if (config.groups) {
      reads.add('autoscaling:DescribePolicies');
      reads.add('autoscaling:DescribeScheduledActions');
      reads.add('cloudwatch:DescribeAlarms');
      alarmArns.add(`arn:aws:cloudwatch:${r}:*:alarm:${OWNED_PREFIX}*`);
    }
    const services = Object.entries(config.services ?? {});
    if (services.length > 0 || config.autoscale_group) {
      clusterArns.add(`arn:aws:ecs:${r}:*:cluster/${cluster}`);
      reads.add('ecs:DescribeServices');
      reads.add('ecs:DescribeTaskDefinition');
      for (const [name, service] of services) {
        serviceArns.add(`arn:aws:ecs:${r}:*:service/${cluster}/${name}`);
        if (service.metric_sources?.cloudwatch?.length) cloudwatchMetrics = true;
      }
    }
    if (config.autoscale_group) {
      capacity = true;
      // The capacity planner reads the group too, also in a file without `groups:`.
      reads.add('autoscaling:DescribeAutoScalingGroups');
      capacityGroupArns.add(
        `arn:aws:autoscaling:${r}:*:autoScalingGroup:*:autoScalingGroupName/${config.autoscale_group}`,
      );
      containerInstanceArns.add(`arn:aws:ecs:${r}:*:container-instance/${cluster}/*`);
    }
    const prune = config.prune;
    if (prune?.ecs_container_instances) {
      clusterArns.add(`arn:aws:ecs:${r}:*:cluster/${cluster}`);
      containerInstanceArns.add(`arn:aws:ecs:${r}:*:container-instance/${cluster}/*`);
    }
    if (prune?.target_groups) pruneTargets = true;
    if (prune?.instance_alarms) {
      reads.add('cloudwatch:DescribeAlarms');
      pruneInstanceAlarms = typeof prune.instance_alarms === 'object' ? prune.instance_alarms.prefix : '';
      alarmArns.add(`arn:aws:cloudwatch:${r}:*:alarm:${pruneInstanceAlarms}*`);
    }
  }

  const needsInstances =
    capacity ||
    pruneTargets ||
    targetGroupArns.size > 0 ||
    pruneInstanceAlarms !== null ||
    files.some((f) => f.config.prune);
  if (needsInstances) reads.add('ec2:DescribeInstances');
  if (targetGroupArns.size > 0 || pruneTargets) {
    reads.add('elasticloadbalancing:DescribeTargetGroups');
    reads.add('elasticloadbalancing:DescribeTargetHealth');
  }
  if (cloudwatchMetrics) reads.add('cloudwatch:GetMetricData');
  if (containerInstanceArns.size > 0) {
    reads.add('ecs:ListContainerInstances');
    reads.add('ecs:DescribeContainerInstances');
  }

  const statements: Statement[] = [];
  if (reads.size > 0) statements.push(allow('ReadLiveState', [...reads], ['*']));
  const groupWrites = ['autoscaling:UpdateAutoScalingGroup'];
  if (triggers || groupArns.size > 0)
    groupWrites.push('autoscaling:PutScalingPolicy', 'autoscaling:DeletePolicy');
  if (schedules || groupArns.size > 0) {
    groupWrites.push('autoscaling:PutScheduledUpdateGroupAction', 'autoscaling:DeleteScheduledAction');
  }
  // Attachments (target_groups, load_balancers) with their ownership tags; like triggers, one
  // removed from the YAML is detached, so every group may need them.
  if (groupArns.size > 0) {
    groupWrites.push(
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:DetachLoadBalancerTargetGroups',
      'autoscaling:AttachLoadBalancers',
      'autoscaling:DetachLoadBalancers',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
    );
  }
  if (groupArns.size > 0) statements.push(allow('ManageGroups', groupWrites, [...groupArns]));
  if (capacityGroupArns.size > 0) {
    statements.push(
      allow(
        'ScaleCapacityGroups',
        ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        [...capacityGroupArns],
      ),
    );
  }
  if (creates) {
    statements.push(
      allow(
        'CreateGroups',
        ['autoscaling:CreateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags'],
        [...groupArns],
      ),
    );
    // Creating a group from a launch template launches instances on the caller's behalf.
    statements.push(
      allow('LaunchFromTemplates', ['ec2:RunInstances', 'ec2:CreateTags', 'iam:PassRole'], ['*']),
    );
  }
  if (alarmArns.size > 0) {
    statements.push(
      allow(
        'ManageOwnedAlarms',
        ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource'],
        [...alarmArns],
      ),
    );
  }
  // The tag records when the tool last scaled a service: cooldowns survive between runs.
  if (serviceArns.size > 0)
    statements.push(allow('ScaleServices', ['ecs:UpdateService', 'ecs:TagResource'], [...serviceArns]));
  if (containerInstanceArns.size > 0) {
    statements.push(
      allow(
        'ManageContainerInstances',
        ['ecs:UpdateContainerInstancesState', 'ecs:DeregisterContainerInstance'],
        [...clusterArns, ...containerInstanceArns],
      ),
    );
  }
  if (targetGroupArns.size > 0 || pruneTargets) {
    const resources = pruneTargets
      ? ['arn:aws:elasticloadbalancing:*:*:targetgroup/*']
      : [...targetGroupArns];
    statements.push(
      allow(
        'ManageTargets',
        ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        resources,
      ),
    );
  }
  if (roleArns.size > 0) statements.push(allow('AssumeFileRoles', ['sts:AssumeRole'], [...roleArns]));
  return { Version: '2012-10-17', Statement: statements };
}

function allow(Sid: string, actions: string[], resources: string[]): Statement {
  return {
    Sid,
    Effect: 'Allow',
    Action: [...new Set(actions)].sort(),
    Resource: [...new Set(resources)].sort(),
  };
}
