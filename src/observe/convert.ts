/** AWS SDK shapes → the Live model: only what the planners read, with AWS's optionals settled. */
import type {
  AutoScalingGroup,
  ScalingPolicy,
  ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type {
  LaunchTemplateSpec,
  LiveAlarm,
  LiveGroup,
  LivePolicy,
  LiveScheduledAction,
  LiveStep,
} from '../model.ts';

export function toLiveGroup(group: AutoScalingGroup): LiveGroup {
  const template =
    group.LaunchTemplate ??
    group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification ??
    undefined;
  const launchTemplate: LaunchTemplateSpec | undefined =
    template === undefined
      ? undefined
      : optional({
          name: template.LaunchTemplateName,
          id: template.LaunchTemplateId,
          version: template.Version,
        });
  return {
    name: group.AutoScalingGroupName ?? '',
    arn: group.AutoScalingGroupARN ?? '',
    min: group.MinSize ?? 0,
    max: group.MaxSize ?? 0,
    desired: group.DesiredCapacity ?? 0,
    ...(launchTemplate === undefined ? {} : { launchTemplate }),
    availabilityZones: group.AvailabilityZones ?? [],
    subnets: (group.VPCZoneIdentifier ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    targetGroupArns: group.TargetGroupARNs ?? [],
    loadBalancerNames: group.LoadBalancerNames ?? [],
    healthCheckType: group.HealthCheckType ?? 'EC2',
    healthCheckGrace: group.HealthCheckGracePeriod ?? 0,
    tags: Object.fromEntries(
      (group.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])),
    ),
    instances: (group.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? '',
      lifecycleState: i.LifecycleState ?? '',
      healthStatus: i.HealthStatus ?? '',
      availabilityZone: i.AvailabilityZone ?? '',
    })),
  };
}

export function toLivePolicy(policy: ScalingPolicy): LivePolicy {
  const tracking = policy.TargetTrackingConfiguration;
  const steps: LiveStep[] = (policy.StepAdjustments ?? []).map((s) =>
    optional({
      lower: s.MetricIntervalLowerBound,
      upper: s.MetricIntervalUpperBound,
      adjustment: s.ScalingAdjustment ?? 0,
    }),
  ) as LiveStep[];
  return {
    group: policy.AutoScalingGroupName ?? '',
    name: policy.PolicyName ?? '',
    arn: policy.PolicyARN ?? '',
    type: policy.PolicyType ?? 'SimpleScaling',
    ...optional({ adjustmentType: policy.AdjustmentType, scalingAdjustment: policy.ScalingAdjustment }),
    ...(steps.length === 0 ? {} : { steps }),
    ...(tracking === undefined
      ? {}
      : {
          targetTracking: {
            ...optional({
              predefinedMetric: tracking.PredefinedMetricSpecification?.PredefinedMetricType,
              resourceLabel: tracking.PredefinedMetricSpecification?.ResourceLabel,
            }),
            targetValue: tracking.TargetValue ?? 0,
            disableScaleIn: tracking.DisableScaleIn ?? false,
            customMetric: tracking.CustomizedMetricSpecification !== undefined,
          },
        }),
  };
}

export function toLiveAlarm(alarm: MetricAlarm): LiveAlarm {
  return {
    name: alarm.AlarmName ?? '',
    arn: alarm.AlarmArn ?? '',
    ...optional({
      metric: alarm.MetricName,
      namespace: alarm.Namespace,
      // An extended statistic (p99) is never one this tool writes; show it so it differs.
      statistic: alarm.Statistic ?? alarm.ExtendedStatistic,
      unit: alarm.Unit,
      period: alarm.Period,
      evaluationPeriods: alarm.EvaluationPeriods,
      threshold: alarm.Threshold,
      comparison: alarm.ComparisonOperator,
    }),
    dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''])),
    actions: alarm.AlarmActions ?? [],
  };
}

export function toLiveScheduledAction(action: ScheduledUpdateGroupAction): LiveScheduledAction {
  return {
    group: action.AutoScalingGroupName ?? '',
    name: action.ScheduledActionName ?? '',
    ...optional({
      recurrence: action.Recurrence,
      startTime: action.StartTime?.toISOString(),
      endTime: action.EndTime?.toISOString(),
      timeZone: action.TimeZone,
      min: action.MinSize,
      max: action.MaxSize,
      desired: action.DesiredCapacity,
    }),
  };
}

/** Drops undefined (and null) members: the model's optionals are absent, never undefined. */
function optional<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined | null> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)) as {
    [K in keyof T]?: Exclude<T[K], undefined | null>;
  };
}
