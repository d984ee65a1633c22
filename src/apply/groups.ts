/** Executors of the group operations: each one AWS write (two for a policy whose ARN moto withholds). */
import {
  CreateAutoScalingGroupCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  type MetricType,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  PutScheduledUpdateGroupActionCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  type StandardUnit,
  type Statistic,
} from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../aws/clients.ts';
import {
  type CreateGroupOperation,
  type DeleteAlarmOperation,
  type DeletePolicyOperation,
  type DeleteScheduleOperation,
  OWNER_TAG,
  type PolicySpec,
  type PutAlarmOperation,
  type PutPolicyOperation,
  type PutScheduleOperation,
  type UpdateGroupOperation,
} from '../model.ts';
import { attach } from './attachments.ts';

export interface ExecContext {
  readonly clients: AwsClients;
  /** The ARN a change of this plan produced (a policy it created). */
  readonly arnOf: (address: string) => string | undefined;
}

/** What an executed operation hands to the changes that depend on it. */
export interface ExecOutcome {
  readonly arn?: string;
  /** Shown beside "applied" in the report. */
  readonly note?: string;
}

export async function createGroup(op: CreateGroupOperation, context: ExecContext): Promise<ExecOutcome> {
  try {
    await sendCreateGroup(op, context);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    await adoptCreatedGroup(op, context);
  }
  return {};
}

/**
 * The group exists though the plan saw none: our own first attempt made it and its answer was
 * lost (the SDK's retry then meets AlreadyExists), or another apply of this config made it a
 * moment ago. Either way it carries our owner tag: take it as created and give it the plan's
 * sizes. A group without the tag is someone else's: left alone, and the change fails.
 */
async function adoptCreatedGroup(op: CreateGroupOperation, context: ExecContext): Promise<void> {
  const described = await context.clients.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [op.group] }),
  );
  const group = described.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === op.group);
  const ours = group?.Tags?.some((t) => t.Key === OWNER_TAG.key && t.Value === OWNER_TAG.value) === true;
  if (!ours) {
    throw new Error(
      `group ${op.group} was created by someone else after the plan was made (it lacks the ${OWNER_TAG.key} tag): left as it is`,
    );
  }
  await updateGroup(
    {
      kind: 'update_group',
      group: op.group,
      min: op.min,
      max: op.max,
      ...(op.desired === undefined ? {} : { desired: op.desired }),
      ...(op.healthCheckType === undefined ? {} : { healthCheckType: op.healthCheckType }),
      ...(op.healthCheckGrace === undefined ? {} : { healthCheckGrace: op.healthCheckGrace }),
    },
    context,
  );
  // The attachments the create would have made, tag first (apply/attachments.ts says why).
  await attach(context.clients, op.group, {
    ownerTags: op.attachedTags ?? [],
    targetGroupArns: op.targetGroupArns ?? [],
    loadBalancerNames: op.loadBalancerNames ?? [],
  });
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AlreadyExistsFault' || error.name === 'AlreadyExists');
}

async function sendCreateGroup(op: CreateGroupOperation, { clients }: ExecContext): Promise<void> {
  const { launchTemplate, availabilityZones, subnets } = op.launch;
  // Attachments go in with the group and their ownership tags in the same call: AWS registers the
  // first instances as they launch, and the record of who attached them cannot be lost between
  // two calls.
  await clients.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: op.group,
      MinSize: op.min,
      MaxSize: op.max,
      ...(op.desired === undefined ? {} : { DesiredCapacity: op.desired }),
      LaunchTemplate: {
        ...(launchTemplate.name === undefined ? {} : { LaunchTemplateName: launchTemplate.name }),
        ...(launchTemplate.id === undefined ? {} : { LaunchTemplateId: launchTemplate.id }),
        ...(launchTemplate.version === undefined ? {} : { Version: launchTemplate.version }),
      },
      ...(subnets === undefined ? {} : { VPCZoneIdentifier: subnets.join(',') }),
      ...(availabilityZones === undefined ? {} : { AvailabilityZones: [...availabilityZones] }),
      ...(op.targetGroupArns === undefined || op.targetGroupArns.length === 0
        ? {}
        : { TargetGroupARNs: [...op.targetGroupArns] }),
      ...(op.loadBalancerNames === undefined || op.loadBalancerNames.length === 0
        ? {}
        : { LoadBalancerNames: [...op.loadBalancerNames] }),
      ...(op.healthCheckType === undefined ? {} : { HealthCheckType: op.healthCheckType }),
      ...(op.healthCheckGrace === undefined ? {} : { HealthCheckGracePeriod: op.healthCheckGrace }),
      Tags: [OWNER_TAG.key, ...(op.attachedTags ?? [])].map((Key) => ({
        Key,
        Value: OWNER_TAG.value,
        PropagateAtLaunch: false,
      })),
    }),
  );
}

export async function updateGroup(op: UpdateGroupOperation, { clients }: ExecContext): Promise<ExecOutcome> {
  await clients.autoscaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: op.group,
      ...(op.min === undefined ? {} : { MinSize: op.min }),
      ...(op.max === undefined ? {} : { MaxSize: op.max }),
      ...(op.desired === undefined ? {} : { DesiredCapacity: op.desired }),
      ...(op.healthCheckType === undefined ? {} : { HealthCheckType: op.healthCheckType }),
      ...(op.healthCheckGrace === undefined ? {} : { HealthCheckGracePeriod: op.healthCheckGrace }),
    }),
  );
  return {};
}

export async function putPolicy(op: PutPolicyOperation, { clients }: ExecContext): Promise<ExecOutcome> {
  const out = await clients.autoscaling.send(
    new PutScalingPolicyCommand({
      AutoScalingGroupName: op.group,
      PolicyName: op.name,
      ...policyInput(op.policy),
    }),
  );
  if (out.PolicyARN !== undefined) return { arn: out.PolicyARN };
  // moto answers with `PolicyArn` (not AWS's `PolicyARN`), which the SDK drops: read it back.
  const described = await clients.autoscaling.send(
    new DescribePoliciesCommand({ AutoScalingGroupName: op.group, PolicyNames: [op.name] }),
  );
  const arn = described.ScalingPolicies?.find((p) => p.PolicyName === op.name)?.PolicyARN;
  if (arn === undefined) throw new Error(`policy ${op.name} was put but AWS reports no ARN for it`);
  return { arn };
}

function policyInput(
  spec: PolicySpec,
): Omit<PutScalingPolicyCommandInput, 'AutoScalingGroupName' | 'PolicyName'> {
  if (spec.type === 'TargetTrackingScaling') {
    return {
      PolicyType: spec.type,
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: {
          // The schema allows only AWS's predefined metric types.
          PredefinedMetricType: spec.predefinedMetric as MetricType,
          ...(spec.resourceLabel === undefined ? {} : { ResourceLabel: spec.resourceLabel }),
        },
        TargetValue: spec.targetValue,
        DisableScaleIn: spec.disableScaleIn,
      },
    };
  }
  // One step over everything past the threshold; bounds are relative to the alarm's threshold.
  const step =
    spec.breach === 'above'
      ? { MetricIntervalLowerBound: 0, ScalingAdjustment: spec.scalingAdjustment }
      : { MetricIntervalUpperBound: 0, ScalingAdjustment: spec.scalingAdjustment };
  return {
    PolicyType: spec.type,
    AdjustmentType: spec.adjustmentType,
    MetricAggregationType: 'Average',
    StepAdjustments: [step],
  };
}

export async function deletePolicy(
  op: DeletePolicyOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  await clients.autoscaling
    .send(new DeletePolicyCommand({ AutoScalingGroupName: op.group, PolicyName: op.name }))
    .catch(unlessGone('ValidationError'));
  return {};
}

/**
 * A delete that finds its object gone has done its job: a retry of a delete whose first answer
 * was lost (the connection reset after AWS acted), or another run deleting it at the same time.
 * AWS says so with `ValidationError: ... not found` (Auto Scaling) or `ResourceNotFound`
 * (CloudWatch DeleteAlarms).
 */
function unlessGone(name: string): (error: unknown) => void {
  return (error) => {
    if (error instanceof Error && error.name === name && /not ?found/i.test(`${name} ${error.message}`))
      return;
    throw error;
  };
}

export async function putAlarm(op: PutAlarmOperation, { clients, arnOf }: ExecContext): Promise<ExecOutcome> {
  const actions = op.actions.map((ref) => {
    if ('arn' in ref) return ref.arn;
    const arn = arnOf(ref.createdBy);
    if (arn === undefined) throw new Error(`the ARN of ${ref.createdBy} is not known`);
    return arn;
  });
  const { alarm } = op;
  await clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: op.name,
      AlarmDescription: 'Managed by autoscale-gitops: changes made here are undone on its next run.',
      MetricName: alarm.metric,
      Namespace: alarm.namespace,
      // The schema allows only these statistics and units.
      Statistic: alarm.statistic as Statistic,
      ...(alarm.unit === undefined ? {} : { Unit: alarm.unit as StandardUnit }),
      Dimensions: Object.entries(alarm.dimensions).map(([Name, Value]) => ({ Name, Value })),
      Period: alarm.period,
      EvaluationPeriods: alarm.evaluationPeriods,
      Threshold: alarm.threshold,
      ComparisonOperator: alarm.comparison,
      AlarmActions: actions,
      Tags: [{ Key: OWNER_TAG.key, Value: OWNER_TAG.value }],
    }),
  );
  return {};
}

export async function deleteAlarm(op: DeleteAlarmOperation, { clients }: ExecContext): Promise<ExecOutcome> {
  await clients.cloudwatch
    .send(new DeleteAlarmsCommand({ AlarmNames: [op.name] }))
    .catch(unlessGone('ResourceNotFound'));
  return {};
}

export async function putSchedule(op: PutScheduleOperation, { clients }: ExecContext): Promise<ExecOutcome> {
  const s = op.schedule;
  await clients.autoscaling.send(
    new PutScheduledUpdateGroupActionCommand({
      AutoScalingGroupName: op.group,
      ScheduledActionName: op.name,
      ...(s.recurrence === undefined ? {} : { Recurrence: s.recurrence }),
      ...(s.startTime === undefined ? {} : { StartTime: new Date(s.startTime) }),
      ...(s.endTime === undefined ? {} : { EndTime: new Date(s.endTime) }),
      ...(s.timeZone === undefined ? {} : { TimeZone: s.timeZone }),
      ...(s.min === undefined ? {} : { MinSize: s.min }),
      ...(s.max === undefined ? {} : { MaxSize: s.max }),
      ...(s.desired === undefined ? {} : { DesiredCapacity: s.desired }),
    }),
  );
  return {};
}

export async function deleteSchedule(
  op: DeleteScheduleOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  await clients.autoscaling
    .send(new DeleteScheduledActionCommand({ AutoScalingGroupName: op.group, ScheduledActionName: op.name }))
    .catch(unlessGone('ValidationError'));
  return {};
}
