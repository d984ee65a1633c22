/**
 * The types every stage of the pipeline shares (DESIGN.md):
 *
 *   Desired (from YAML) + Live (from AWS) ──plan──▶ Plan (changes) ──apply──▶ ApplyReport
 *
 * Desired and Live are plain readonly data; the planners are pure functions over them. Each
 * capability (groups now; ECS services, capacity, targets, prune, registries later) adds its own
 * part to Desired and LiveScope, its change types and its operations, and keeps the same shapes.
 */

// ─── Shared basics ─────────────────────────────────────────────────────────────────────────────

/** Where AWS is reached for an object: one region of one account (through an optional role). */
export interface AwsScope {
  readonly region: string;
  readonly roleArn?: string;
}

/** A stable key for maps keyed by scope. */
export function scopeKey(scope: AwsScope): string {
  return scope.roleArn === undefined ? scope.region : `${scope.region} ${scope.roleArn}`;
}

/** The place in the YAML an object comes from: where a change or an error points the reader. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

/**
 * A value read from AWS, or the reason it could not be read. Unknown is not empty: nothing
 * destructive is planned from an unknown value.
 */
export type Known<T> =
  | { readonly known: true; readonly value: T }
  | { readonly known: false; readonly reason: string };

export function known<T>(value: T): Known<T> {
  return Object.freeze({ known: true, value });
}

export function unknown<T>(reason: string): Known<T> {
  return Object.freeze({ known: false, reason });
}

/** Ownership marks (CONTRACT.md): the name prefix always, the tag where AWS takes tags. */
export const OWNED_PREFIX = 'gitops-';
export const OWNER_TAG = Object.freeze({ key: 'managed-by', value: 'autoscale-gitops' });

// ─── Desired: the YAML, normalised, defaults applied ───────────────────────────────────────────

export interface Desired {
  readonly groups: readonly DesiredGroup[];
}

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
  readonly targetGroups: readonly string[];
  readonly triggers: readonly DesiredTrigger[];
  readonly schedules: readonly DesiredSchedule[];
}

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

export interface DesiredThresholdTrigger {
  readonly kind: 'threshold';
  readonly name: string;
  readonly origin: Origin;
  readonly metric: string;
  readonly namespace: string;
  readonly statistic: string;
  readonly unit?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Seconds per evaluation period. */
  readonly period: number;
  /** breach_duration / period. */
  readonly evaluationPeriods: number;
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
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

// ─── Live: one immutable snapshot of what AWS holds ────────────────────────────────────────────

export interface Live {
  /** Keyed by {@link scopeKey}. */
  readonly scopes: ReadonlyMap<string, LiveScope>;
}

export interface LiveScope {
  readonly scope: AwsScope;
  /** Every group the YAML names in this scope: the group, null when AWS has none, or unknown. */
  readonly groups: ReadonlyMap<string, Known<LiveGroup | null>>;
  /** Scaling policies (owned or not) attached to the groups the YAML names. */
  readonly policies: Known<readonly LivePolicy[]>;
  /** Scheduled actions (owned or not) of the groups the YAML names. */
  readonly scheduledActions: Known<readonly LiveScheduledAction[]>;
  /** Alarms with the owned prefix; which group each belongs to is the planner's call. */
  readonly alarms: Known<readonly LiveAlarm[]>;
}

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

// ─── Plan: typed changes with before/after, plus what apply needs to execute each ──────────────

export type ChangeType =
  | 'autoscaling_group'
  | 'scaling_policy'
  | 'metric_alarm'
  | 'scheduled_action'
  | 'ecs_service'
  | 'ecs_container_instance'
  | 'instance'
  | 'target'
  | 'registry_entry';

export type ChangeAction = 'create' | 'update' | 'delete' | 'register' | 'deregister';

/** Field values shown to the reader (JSON-safe). */
export type Fields = Readonly<Record<string, unknown>>;

export interface Change {
  /** Unique in a plan: `<cluster>/groups/<group>[/<kind>/<aws name>]`. */
  readonly address: string;
  readonly type: ChangeType;
  readonly action: ChangeAction;
  /** The AWS name, ARN or entry id acted on. */
  readonly id: string;
  readonly file?: string;
  readonly line?: number;
  /** Only the fields that differ for an update; everything shown for a create or delete. */
  readonly before: Fields | null;
  readonly after: Fields | null;
  readonly reason: string;
  readonly scope: AwsScope;
  /** Addresses of changes that must be applied first; if one fails, this one is skipped. */
  readonly dependsOn: readonly string[];
  readonly operation: Operation;
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
}

export interface UpdateGroupOperation {
  readonly kind: 'update_group';
  readonly group: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
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

export interface AlarmSpec {
  readonly metric: string;
  readonly namespace: string;
  readonly statistic: string;
  readonly unit?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly period: number;
  readonly evaluationPeriods: number;
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

/** Everything apply can execute; later capabilities add their operations to this union. */
export type Operation =
  | CreateGroupOperation
  | UpdateGroupOperation
  | PutPolicyOperation
  | DeletePolicyOperation
  | PutAlarmOperation
  | DeleteAlarmOperation
  | PutScheduleOperation
  | DeleteScheduleOperation;

export type OperationKind = Operation['kind'];

/** A note for the reader, pinned to an object and a place in the YAML when there is one. */
export interface PlanMessage {
  readonly address?: string;
  readonly file?: string;
  readonly line?: number;
  readonly message: string;
}

/** A change a guard held back: shown, never applied; its presence makes apply fail. */
export interface BlockedChange {
  readonly address: string;
  readonly reason: string;
  readonly change?: Change;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly register: number;
  readonly deregister: number;
  readonly blocked: number;
}

export interface Plan {
  readonly changes: readonly Change[];
  readonly blocked: readonly BlockedChange[];
  readonly warnings: readonly PlanMessage[];
  /** Objects that could not be planned (e.g. a missing group the YAML cannot create). */
  readonly errors: readonly PlanMessage[];
  readonly summary: PlanSummary;
}

// ─── Apply ─────────────────────────────────────────────────────────────────────────────────────

export type ChangeResult =
  | { readonly status: 'applied' }
  | { readonly status: 'failed'; readonly error: string }
  | { readonly status: 'skipped'; readonly why: string };

export interface ApplyReport {
  readonly plan: Plan;
  /** By change address; every change of the plan has one. */
  readonly results: ReadonlyMap<string, ChangeResult>;
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Deep-freezes plain data (objects, arrays, maps) so a snapshot cannot be changed by accident. */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  // Already-frozen wrappers (e.g. from `known`) may hold unfrozen values: walk them all the same.
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k, seen);
      deepFreeze(v, seen);
    }
    // A frozen Map still has set/delete/clear: shadow them so writes fail loudly.
    if (!Object.isFrozen(value)) {
      const refuse = (): never => {
        throw new TypeError('the Live snapshot is read-only');
      };
      Object.defineProperties(value, {
        set: { value: refuse },
        delete: { value: refuse },
        clear: { value: refuse },
      });
    }
  } else {
    for (const v of Object.values(value)) deepFreeze(v, seen);
  }
  return Object.freeze(value);
}
