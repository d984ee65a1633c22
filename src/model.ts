/**
 * The types every stage of the pipeline shares (DESIGN.md):
 *
 *   Desired (from YAML) + Live (from AWS) ──plan──▶ Plan (changes) ──apply──▶ ApplyReport
 *
 * Desired and Live are plain readonly data; the planners are pure functions over them. Each
 * capability (groups now; ECS services, capacity, targets, prune, registries later) adds its own
 * part to Desired and LiveScope, its change types and its operations, and keeps the same shapes.
 */

import type { CompiledExpression } from './expr/index.ts';

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
  /** One per file with a `prune:` section (issue 5); absent or empty: nothing is pruned. */
  readonly prune?: readonly DesiredPrune[];
  /** ECS clusters: services scaled from metrics, capacity from tasks (issue 4). */
  readonly clusters?: readonly DesiredCluster[];
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
  /** Metric readings of the ECS services, by MetricSpec key (issue 4). */
  readonly metrics?: ReadonlyMap<string, Known<MetricValue>>;
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
  /** Targets, stale-registration sources and the EC2 instances they name (issue 5). */
  readonly registrations?: LiveRegistrations;
  /** ECS clusters the YAML names in this scope, by name (issue 4). */
  readonly ecs?: ReadonlyMap<string, LiveEcsCluster>;
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
  /** The metrics behind an ECS service change (issue 4); see Plan.decisions for the whole story. */
  readonly decisions?: readonly MetricDecision[];
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
  | DeleteScheduleOperation
  | RegisterTargetsOperation
  | DeregisterTargetsOperation
  | PruneContainerInstanceOperation
  | DeleteRegistryEntryOperation
  | UpdateServiceOperation
  | DrainContainerInstanceOperation
  | TerminateInstanceOperation;

export type OperationKind = Operation['kind'];

// ─── Targets and stale registrations (issue 5) ─────────────────────────────────────────────────

/** prune.max: a count, or a percent of the kind's entries. */
export type PruneLimit =
  | { readonly kind: 'count'; readonly value: number }
  | { readonly kind: 'percent'; readonly value: number };

export type RegistryListSpec =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly items?: string;
      readonly id?: string;
      readonly time?: string;
    }
  | { readonly kind: 'command'; readonly command: string; readonly items?: string; readonly id?: string };

export type RegistryDeleteSpec =
  | {
      readonly kind: 'http';
      readonly method: 'DELETE' | 'POST' | 'PUT';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'command'; readonly command: string };

export interface DesiredRegistry {
  readonly name: string;
  /** `<cluster>/prune/registries/<name>`. */
  readonly address: string;
  readonly origin: Origin;
  readonly list: RegistryListSpec;
  readonly delete: RegistryDeleteSpec;
  /** Regex source on the entry id; group 1 is the instance id. */
  readonly instance: string;
}

export interface DesiredPrune {
  /** `<cluster>/prune`. */
  readonly address: string;
  /** The file's ECS cluster. */
  readonly cluster: string;
  readonly scope: AwsScope;
  /** The `prune:` key; `origin.file` ties the file's groups (and their target_groups) to it. */
  readonly origin: Origin;
  readonly graceSeconds: number;
  readonly max: PruneLimit;
  readonly protect: readonly string[];
  readonly ecsContainerInstances: boolean;
  readonly targetGroups: boolean;
  /** Present when enabled; prefix '' means every alarm. */
  readonly instanceAlarms?: { readonly prefix: string };
  readonly registries: readonly DesiredRegistry[];
}

/** EC2's view of one instance. */
export interface LiveInstance {
  readonly id: string;
  /** pending, running, shutting-down, terminated, stopping, stopped. */
  readonly state: string;
  /** e.g. `User initiated (2026-11-22 02:33:03 GMT)`: when it stopped or terminated. */
  readonly stateTransitionReason?: string;
  /** ISO 8601. */
  readonly launchTime?: string;
  readonly privateIp?: string;
}

export interface LiveInstances {
  /** Every id looked up: the instance, or null when EC2 does not know it. */
  readonly byId: ReadonlyMap<string, LiveInstance | null>;
  /** Every private IP looked up: the ids of the instances holding it (none: empty). */
  readonly byIp: ReadonlyMap<string, readonly string[]>;
}

export interface LiveTarget {
  /** An instance id, or an IP for an ip target group. */
  readonly id: string;
  readonly port?: number;
  readonly health?: string;
}

export interface LiveTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly targetType: string;
  readonly port?: number;
  readonly targets: readonly LiveTarget[];
}

export interface LiveContainerInstance {
  readonly arn: string;
  readonly ec2InstanceId?: string;
  readonly status: string;
  /** ISO 8601. */
  readonly registeredAt?: string;
  readonly runningTasks: number;
  readonly agentConnected?: boolean;
}

export interface LiveInstanceAlarm {
  readonly name: string;
  readonly instanceId: string;
  /** AlarmConfigurationUpdatedTimestamp, ISO 8601. */
  readonly updatedAt?: string;
}

export interface LiveRegistryEntry {
  readonly id: string;
  /** The entry's `time` (ISO 8601), when the registry gives one that reads as a time. */
  readonly time?: string;
}

export interface LiveRegistrations {
  /** The instances every entry and target names (and the target groups' group instances). */
  readonly instances: Known<LiveInstances>;
  /** By ARN: null when AWS has no such target group. */
  readonly targetGroups: ReadonlyMap<string, Known<LiveTargetGroup | null>>;
  /** By ECS cluster name: null when the cluster does not exist. */
  readonly containerInstances: ReadonlyMap<string, Known<readonly LiveContainerInstance[] | null>>;
  /** By name prefix ('' for all): alarms that have an InstanceId dimension. */
  readonly instanceAlarms: ReadonlyMap<string, Known<readonly LiveInstanceAlarm[]>>;
  /** By registry address. */
  readonly registries: ReadonlyMap<string, Known<readonly LiveRegistryEntry[]>>;
}

export interface TargetSpec {
  readonly id: string;
  readonly port?: number;
}

/** One target per planned change; apply sends a target group's changes in as few calls as it can. */
export interface RegisterTargetsOperation {
  readonly kind: 'register_targets';
  readonly targetGroupArn: string;
  readonly targets: readonly TargetSpec[];
}

export interface DeregisterTargetsOperation {
  readonly kind: 'deregister_targets';
  readonly targetGroupArn: string;
  readonly targets: readonly TargetSpec[];
}

export interface PruneContainerInstanceOperation {
  readonly kind: 'prune_container_instance';
  readonly cluster: string;
  readonly containerInstance: string;
  /** Only when the EC2 instance is gone (its tasks are gone with it). */
  readonly force: boolean;
}

export interface DeleteRegistryEntryOperation {
  readonly kind: 'delete_registry_entry';
  /** The registry's address (for messages). */
  readonly registry: string;
  readonly entryId: string;
  readonly delete: RegistryDeleteSpec;
}

// ─── ECS services and cluster capacity (issue 4) ───────────────────────────────────────────────

/**
 * The tag the tool writes on a service each time it sets its desired count: the ISO 8601 time of
 * the plan. The service's cooldown runs from it, so runs stay stateless.
 */
export const LAST_SCALED_TAG = 'autoscale-gitops:last-scaled';

export interface DesiredCluster {
  /** The ECS cluster: the file's `cluster`, else the file name without extension. */
  readonly name: string;
  readonly scope: AwsScope;
  /** The file (line of `cluster:`, else 1). */
  readonly origin: Origin;
  /** `enabled: false` in the file: neither services nor capacity are managed (the plan says so). */
  readonly enabled: boolean;
  readonly services: readonly DesiredService[];
  /** Present when the file names an `autoscale_group`. */
  readonly capacity?: DesiredCapacity;
}

export interface DesiredCapacity {
  /** `<cluster>/capacity/<group>`. */
  readonly address: string;
  /** The Auto Scaling group whose instances host the cluster. */
  readonly group: string;
  readonly origin: Origin;
  /** CPU units and MiB kept free, like one more task that must fit. */
  readonly cpuBuffer: number;
  readonly memBuffer: number;
  /** The file's bounds; absent: the group's own. */
  readonly min?: number;
  readonly max?: number;
}

export interface DesiredService {
  /** `<cluster>/services/<name>`. */
  readonly address: string;
  readonly name: string;
  readonly cluster: string;
  readonly origin: Origin;
  /** `enabled: false` on the service: not managed (the plan says so). */
  readonly enabled: boolean;
  readonly min: number;
  readonly max: number;
  /** Seconds after the tool last set the count before events may change it again. */
  readonly cooldown: number;
  /** One per statistic alias, in YAML order. */
  readonly metrics: readonly MetricSpec[];
  /** In YAML order: the first that matches acts. */
  readonly events: readonly DesiredEvent[];
}

export interface DesiredEvent {
  /** Position in the service's `events`. */
  readonly index: number;
  readonly origin: Origin;
  /** The `metric:` text, compiled (an alias or arithmetic over aliases). */
  readonly metric: CompiledExpression;
  /** Inclusive bounds; null: unbounded. */
  readonly min: number | null;
  readonly max: number | null;
  /** Tasks added (negative: removed); 0 holds the count. */
  readonly action: number;
}

interface MetricSpecBase {
  readonly alias: string;
  /** The statistic's `alias:` line. */
  readonly origin: Origin;
  /** Identical specs share a key and are read once per run; never shown (HTTP keys are hashes). */
  readonly key: string;
}

export interface CloudWatchMetricSpec extends MetricSpecBase {
  readonly kind: 'cloudwatch';
  readonly scope: AwsScope;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  /** Seconds. */
  readonly period: number;
  readonly unit?: string;
  readonly statistic: string;
}

export interface HttpRequestSpec {
  /** Requests with the same key are sent once per run (a hash: the URL may hold credentials). */
  readonly key: string;
  /** May carry `user:pass@`: never print it (src/metrics/http.ts displayUrl strips it). */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** JSON body of a POST; null: none. */
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface HttpMetricSpec extends MetricSpecBase {
  readonly kind: 'http';
  readonly request: HttpRequestSpec;
  /** Dot path into the JSON answer (`a.b.0.c`). */
  readonly path: string;
}

export type MetricSpec = CloudWatchMetricSpec | HttpMetricSpec;

export interface MetricPoint {
  /** ISO 8601: the start of the datapoint's period. */
  readonly at: string;
  readonly value: number;
}

export interface MetricValue {
  readonly value: number;
  /** CloudWatch: the start of the datapoint's period (ISO 8601). */
  readonly at?: string;
  /** CloudWatch: the window's complete datapoints, oldest first. */
  readonly series?: readonly MetricPoint[];
}

/** CPU units and MiB. */
export interface Resources {
  readonly cpu: number;
  readonly memory: number;
}

/** What one task reserves: the task definition's task-level sizes, else the sum of its containers'. */
export interface TaskSize extends Resources {
  readonly source: 'task' | 'containers';
}

export interface LiveEcsService {
  readonly name: string;
  readonly arn: string;
  /** ACTIVE, DRAINING (being deleted) or INACTIVE (deleted). */
  readonly status: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly taskDefinition: string;
  /** The {@link LAST_SCALED_TAG} value, when the service carries one. */
  readonly lastScaled?: string;
}

/** A container instance as capacity planning sees it. */
export interface LiveEcsInstance {
  readonly arn: string;
  readonly ec2InstanceId: string;
  /** ACTIVE, DRAINING, REGISTERING, ... */
  readonly status: string;
  readonly runningTasks: number;
  readonly pendingTasks: number;
  readonly registered: Resources;
  readonly remaining: Resources;
}

export interface LiveEcsCluster {
  readonly name: string;
  /** False when AWS answered ClusterNotFoundException. */
  readonly exists: boolean;
  /** Every enabled service the YAML names: the service, null when AWS has none, or unknown. */
  readonly services: ReadonlyMap<string, Known<LiveEcsService | null>>;
  /** By task definition ARN; read only for clusters whose capacity is managed. */
  readonly taskSizes: ReadonlyMap<string, Known<TaskSize>>;
  /** Every status but INACTIVE; read only for clusters whose capacity is managed. */
  readonly instances?: Known<readonly LiveEcsInstance[]>;
}

export interface UpdateServiceOperation {
  readonly kind: 'update_service';
  readonly cluster: string;
  readonly service: string;
  readonly serviceArn: string;
  readonly desired: number;
  /** Written as {@link LAST_SCALED_TAG} once the count is set. */
  readonly scaledAt: string;
}

export interface DrainContainerInstanceOperation {
  readonly kind: 'drain_container_instance';
  readonly cluster: string;
  readonly containerInstance: string;
  readonly instanceId: string;
}

/** TerminateInstanceInAutoScalingGroup, decrementing the group's desired capacity. */
export interface TerminateInstanceOperation {
  readonly kind: 'terminate_instance';
  readonly group: string;
  readonly instanceId: string;
}

/** Why a service's count (or a cluster's instance count) is what the plan says. */
export type DecisionOutcome =
  /** The count changes (a change carries it). */
  | 'scale'
  /** Evaluated: nothing to change. */
  | 'unchanged'
  /** An event would change the count, but the cooldown has not run out. */
  | 'cooldown'
  /** A metric the events read could not be read or evaluated: not scaled this run. */
  | 'no_data'
  /** AWS could not be read for it: not scaled this run. */
  | 'unknown'
  /** AWS has no such service, cluster or group. */
  | 'missing'
  /** `enabled: false`: not managed. */
  | 'disabled';

export interface EventCheck {
  readonly index: number;
  /** The event's `metric:` text. */
  readonly metric: string;
  readonly value: number;
  /** fired: it acts; no_match: the value is outside [min, max]; at_bound: the count is already at the bound its action moves towards. */
  readonly result: 'fired' | 'no_match' | 'at_bound';
  readonly min: number | null;
  readonly max: number | null;
  readonly action: number;
  readonly line?: number;
}

export interface ScalingDecision {
  readonly kind: 'ecs_service' | 'ecs_capacity';
  /** `<cluster>/services/<name>` or `<cluster>/capacity/<group>`: a change with it carries the count. */
  readonly address: string;
  /** The service or the Auto Scaling group. */
  readonly id: string;
  readonly cluster: string;
  readonly file?: string;
  readonly line?: number;
  readonly outcome: DecisionOutcome;
  /** Every alias of the service: its value, or null when it could not be read. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** The events tried, in order, up to the one that fired (first match wins). */
  readonly events: readonly EventCheck[];
  /** Desired tasks (or instances) now and as planned; null when not known. */
  readonly before: number | null;
  readonly after: number | null;
  readonly reason: string;
}

/** One metric behind a change (the shape src/github/decisions.ts charts). */
export interface MetricDecision {
  readonly metric: string;
  readonly value: number | null;
  readonly rule?: { readonly min: number | null; readonly max: number | null; readonly action: number };
  readonly series?: readonly MetricPoint[];
}

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
  /** Every ECS service and cluster capacity the YAML names, and why its count is what it is (issue 4). */
  readonly decisions?: readonly ScalingDecision[];
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
