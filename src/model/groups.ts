/** Auto Scaling groups: desired groups, triggers and schedules, their live state and operations. */
import type { AwsScope, Origin } from './basics.ts';

export interface LaunchTemplateSpec {
  readonly name?: string;
  readonly id?: string;
  readonly version?: string;
}

/** How to create a missing group; present only when the YAML says enough to do it. */
export interface GroupLaunchSpec {
  readonly launchTemplate: LaunchTemplateSpec;
  readonly availabilityZones?: readonly string[];
  readonly subnets?: readonly string[];
}

export interface DesiredGroup {
  /** `<cluster>/groups/<name>`: unique across the config, the prefix of its objects' addresses. */
  readonly address: string;
  readonly name: string;
  readonly cluster: string;
  readonly scope: AwsScope;
  readonly origin: Origin;
  /** Only the sizes the YAML sets: an absent one is left as AWS has it. */
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly launch?: GroupLaunchSpec;
  /** Launch settings the YAML gives but that are not enough to create the group (for the error). */
  readonly incompleteLaunch?: string;
  /** Target group ARNs: instance ones are attached to the group, ip ones registered by us. */
  readonly targetGroups: readonly string[];
  /** Classic Load Balancer names, attached to the group. */
  readonly loadBalancers: readonly string[];
  /** Only what the YAML sets: an absent field is left as AWS has it. */
  readonly healthCheck?: HealthCheckSpec;
  readonly triggers: readonly DesiredTrigger[];
  readonly schedules: readonly DesiredSchedule[];
}

export interface HealthCheckSpec {
  readonly type?: 'EC2' | 'ELB';
  /** HealthCheckGracePeriod, seconds. */
  readonly graceSeconds?: number;
}

/**
 * What a group has attached in AWS: target groups (by ARN) and Classic Load Balancers (by name).
 * AWS registers the group's instances in what is attached as they launch.
 */
export type AttachmentKind = 'target_group' | 'load_balancer';

/**
 * Ownership of an attachment is a tag on the group, one per attachment this tool made:
 * `autoscale-gitops:attached:targetgroup/<name>/<id>` (the tail of the target group's ARN: unique
 * in the group's account and region, which is the only place AWS attaches it from) or
 * `autoscale-gitops:attached:loadbalancer/<name>`, value `autoscale-gitops`. A key is at most 87
 * characters (AWS allows 128) and each tag is written and deleted on its own, so attachments never
 * race over one shared value. The cost is one of the group's 50 tags per attachment.
 */
export const ATTACHED_TAG_PREFIX = 'autoscale-gitops:attached:';
/** AWS's limit on tags per Auto Scaling group (its own `aws:` tags do not count). */
export const GROUP_TAG_LIMIT = 50;

export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity';

export interface Adjustment {
  readonly type: AdjustmentType;
  /** Instances, or percent of the current capacity; negative scales in. */
  readonly value: number;
}

export type ThresholdSideName = 'upper' | 'lower';

export interface ThresholdSideSpec {
  readonly side: ThresholdSideName;
  readonly threshold: number;
  readonly adjustment: Adjustment;
  readonly origin: Origin;
}

/** What a CloudWatch alarm watches, and for how long: shared by a threshold trigger and its alarms. */
export interface AlarmMetric {
  readonly metric: string;
  readonly namespace: string;
  readonly statistic: string;
  readonly unit?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Seconds per evaluation period. */
  readonly period: number;
  /** breach_duration / period. */
  readonly evaluationPeriods: number;
}

export interface DesiredThresholdTrigger extends AlarmMetric {
  readonly kind: 'threshold';
  readonly name: string;
  readonly origin: Origin;
  readonly sides: readonly ThresholdSideSpec[];
}

export interface DesiredTargetTrackingTrigger {
  readonly kind: 'target_tracking';
  readonly name: string;
  readonly origin: Origin;
  /** A predefined metric type such as ASGAverageCPUUtilization. */
  readonly metric: string;
  /** ALBRequestCountPerTarget's `app/<lb>/<id>/targetgroup/<tg>/<id>`. */
  readonly resourceLabel?: string;
  readonly target: number;
  readonly disableScaleIn: boolean;
}

export type DesiredTrigger = DesiredThresholdTrigger | DesiredTargetTrackingTrigger;

export interface DesiredSchedule {
  readonly name: string;
  readonly origin: Origin;
  readonly recurrence?: string;
  /** ISO 8601 instants. */
  readonly startTime?: string;
  readonly endTime?: string;
  readonly timeZone?: string;
  /**
   * A window's end: a second recurrence at which the YAML's own sizes return (two scheduled
   * actions, `<name>` and `<name>-end`).
   */
  readonly until?: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

export type SizeField = 'min' | 'max' | 'desired';
export const SIZE_FIELDS: readonly SizeField[] = ['min', 'max', 'desired'];

/** Where the value a plan wants for a group's size field comes from. */
export type SizeSource =
  | { readonly from: 'yaml' }
  | {
      readonly from: 'schedule';
      /** How reasons name it: `schedule nightly`, `end of window business-hours`. */
      readonly label: string;
      /** The scheduled action whose occurrence fired last. */
      readonly action: string;
      /** That occurrence, ISO 8601. */
      readonly fired: string;
      readonly timeZone: string;
      /** The YAML's own value of the field, when it sets one. */
      readonly yaml?: number;
    };

export interface LiveGroupInstance {
  readonly id: string;
  readonly lifecycleState: string;
  readonly healthStatus: string;
  readonly availabilityZone: string;
}

export interface LiveGroup {
  readonly name: string;
  readonly arn: string;
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly launchTemplate?: LaunchTemplateSpec;
  readonly availabilityZones: readonly string[];
  readonly subnets: readonly string[];
  readonly targetGroupArns: readonly string[];
  readonly loadBalancerNames: readonly string[];
  /** EC2 when AWS reports none. */
  readonly healthCheckType: string;
  /** Seconds; 0 when AWS reports none. */
  readonly healthCheckGrace: number;
  /** The group's tags, by key (ownership of attachments among them). */
  readonly tags: Readonly<Record<string, string>>;
  readonly instances: readonly LiveGroupInstance[];
}

export interface LiveTargetTracking {
  readonly predefinedMetric?: string;
  readonly resourceLabel?: string;
  readonly targetValue: number;
  readonly disableScaleIn: boolean;
  /** True when the policy tracks a customised metric (never one this tool writes). */
  readonly customMetric: boolean;
}

export interface LivePolicy {
  readonly group: string;
  readonly name: string;
  readonly arn: string;
  readonly type: string;
  readonly adjustmentType?: string;
  readonly scalingAdjustment?: number;
  /** StepScaling steps; bounds are relative to the alarm's threshold. */
  readonly steps?: readonly LiveStep[];
  readonly targetTracking?: LiveTargetTracking;
}

export interface LiveStep {
  readonly lower?: number;
  readonly upper?: number;
  readonly adjustment: number;
}

export interface LiveAlarm {
  readonly name: string;
  readonly arn: string;
  readonly metric?: string;
  readonly namespace?: string;
  readonly statistic?: string;
  readonly unit?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly period?: number;
  readonly evaluationPeriods?: number;
  readonly threshold?: number;
  readonly comparison?: string;
  readonly actions: readonly string[];
}

export interface LiveScheduledAction {
  readonly group: string;
  readonly name: string;
  readonly recurrence?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly timeZone?: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

/** A reference to a scaling policy's ARN: known now, or known once its creation is applied. */
export type PolicyArnRef = { readonly arn: string } | { readonly createdBy: string };

export interface CreateGroupOperation {
  readonly kind: 'create_group';
  readonly group: string;
  readonly min: number;
  readonly max: number;
  readonly desired?: number;
  readonly launch: GroupLaunchSpec;
  /** Attached at creation (instance target groups only), each with its ownership tag. */
  readonly targetGroupArns?: readonly string[];
  readonly loadBalancerNames?: readonly string[];
  /** Ownership tag keys of the attachments above (ATTACHED_TAG_PREFIX). */
  readonly attachedTags?: readonly string[];
  readonly healthCheckType?: string;
  readonly healthCheckGrace?: number;
}

export interface UpdateGroupOperation {
  readonly kind: 'update_group';
  readonly group: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly healthCheckType?: string;
  readonly healthCheckGrace?: number;
}

/** Records ownership (the tag), then attaches: an attach that fails leaves a claim the next run settles. */
export interface AttachOperation {
  readonly kind: 'attach_to_group';
  readonly group: string;
  readonly attachment: AttachmentKind;
  /** Target group ARN or load balancer name. */
  readonly target: string;
  readonly ownerTag: string;
}

/**
 * Detaches what this tool attached, then drops its ownership tag. `attached: false` when AWS no
 * longer has it attached (detached by hand): only the stale tag goes, so that a later attachment
 * by someone else is not taken for ours.
 */
export interface DetachOperation {
  readonly kind: 'detach_from_group';
  readonly group: string;
  readonly attachment: AttachmentKind;
  readonly target: string;
  readonly ownerTag: string;
  readonly attached: boolean;
}

/**
 * A threshold side is a StepScaling policy with one step covering everything past the threshold
 * (AWS recommends step over simple scaling: it does not wait out a cooldown while instances
 * launch); target tracking is AWS's own controller.
 */
export type PolicySpec =
  | {
      readonly type: 'StepScaling';
      readonly adjustmentType: AdjustmentType;
      readonly scalingAdjustment: number;
      /** Which side of the alarm's threshold the one step covers. */
      readonly breach: 'above' | 'below';
    }
  | {
      readonly type: 'TargetTrackingScaling';
      readonly predefinedMetric: string;
      readonly resourceLabel?: string;
      readonly targetValue: number;
      readonly disableScaleIn: boolean;
    };

export interface PutPolicyOperation {
  readonly kind: 'put_policy';
  readonly group: string;
  readonly name: string;
  readonly policy: PolicySpec;
}

export interface DeletePolicyOperation {
  readonly kind: 'delete_policy';
  readonly group: string;
  readonly name: string;
}

export interface AlarmSpec extends AlarmMetric {
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'LessThanOrEqualToThreshold';
}

export interface PutAlarmOperation {
  readonly kind: 'put_alarm';
  readonly name: string;
  readonly alarm: AlarmSpec;
  readonly actions: readonly PolicyArnRef[];
}

export interface DeleteAlarmOperation {
  readonly kind: 'delete_alarm';
  readonly name: string;
}

export interface ScheduleSpec {
  readonly recurrence?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly timeZone?: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

export interface PutScheduleOperation {
  readonly kind: 'put_schedule';
  readonly group: string;
  readonly name: string;
  readonly schedule: ScheduleSpec;
}

export interface DeleteScheduleOperation {
  readonly kind: 'delete_schedule';
  readonly group: string;
  readonly name: string;
}
