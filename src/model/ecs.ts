/** ECS services and cluster capacity: desired services, metrics, live clusters, decisions, operations. */

import type { CompiledExpression } from '../expr/index.ts';
import type { AwsScope, Known, Origin } from './basics.ts';

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
  /**
   * Whether ECS hears from the instance's agent. An instance whose EC2 instance is gone (or whose
   * agent stopped) stays ACTIVE for a while with this false: ECS places nothing on it.
   */
  readonly agentConnected: boolean;
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
  /**
   * By task definition ARN; read only for clusters whose capacity is managed, and there (in a
   * run of the pipeline) only for the services with tasks waiting for room: the sizes the
   * capacity plan looks up (plan/ecs/room.ts).
   */
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
  /**
   * Each event metric's recent values (an alias's datapoints, an expression computed at each
   * time), by the event's `metric:` text, for the comment's charts; not in the JSON plan.
   */
  readonly series?: Readonly<Record<string, readonly MetricPoint[]>>;
}

/** One metric behind a change (the shape src/github/decisions.ts charts). */
export interface MetricDecision {
  readonly metric: string;
  readonly value: number | null;
  readonly rule?: { readonly min: number | null; readonly max: number | null; readonly action: number };
  readonly series?: readonly MetricPoint[];
}
