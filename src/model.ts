/**
 * The types every stage of the pipeline shares (DESIGN.md):
 *
 *   Desired (from YAML) + Live (from AWS) ──plan──▶ Plan (changes) ──apply──▶ ApplyReport
 *
 * Desired and Live are plain readonly data; the planners are pure functions over them. This file
 * ties the shapes together (Desired, Live, Change, Operation, Plan, ApplyReport); each capability
 * keeps its own types in src/model/ (groups, ECS, targets and pruning) and adds its part to
 * Desired and LiveScope, its operations to the Operation union, and nothing else. Everything is
 * re-exported here: the rest of the code imports from this file only.
 */
import type { AwsScope, Known } from './model/basics.ts';
import type {
  DesiredCluster,
  DrainContainerInstanceOperation,
  LiveEcsCluster,
  MetricDecision,
  MetricValue,
  ScalingDecision,
  TerminateInstanceOperation,
  UpdateServiceOperation,
} from './model/ecs.ts';
import type {
  AttachOperation,
  CreateGroupOperation,
  DeleteAlarmOperation,
  DeletePolicyOperation,
  DeleteScheduleOperation,
  DesiredGroup,
  DetachOperation,
  LiveAlarm,
  LiveGroup,
  LivePolicy,
  LiveScheduledAction,
  PutAlarmOperation,
  PutPolicyOperation,
  PutScheduleOperation,
  SizeSource,
  UpdateGroupOperation,
} from './model/groups.ts';
import type {
  DeleteRegistryEntryOperation,
  DeregisterTargetsOperation,
  DesiredPrune,
  LiveRegistrations,
  PruneContainerInstanceOperation,
  RegisterRegistryEntryOperation,
  RegisterTargetsOperation,
} from './model/prune.ts';

export * from './model/basics.ts';
export * from './model/ecs.ts';
export * from './model/groups.ts';
export * from './model/prune.ts';

// ─── Desired: the YAML, normalised, defaults applied ───────────────────────────────────────────

export interface Desired {
  readonly groups: readonly DesiredGroup[];
  /** One per file with a `prune:` section (issue 5); absent or empty: nothing is pruned. */
  readonly prune?: readonly DesiredPrune[];
  /** ECS clusters: services scaled from metrics, capacity from tasks (issue 4). */
  readonly clusters?: readonly DesiredCluster[];
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
  /**
   * Alarms under the owned prefixes of the YAML's groups (`gitops-<group>-`; listings by shorter
   * prefixes may bring more with the owned prefix); which group each belongs to is the planner's call.
   */
  readonly alarms: Known<readonly LiveAlarm[]>;
  /** Targets, stale-registration sources and the EC2 instances they name (issue 5). */
  readonly registrations?: LiveRegistrations;
  /** ECS clusters the YAML names in this scope, by name (issue 4). */
  readonly ecs?: ReadonlyMap<string, LiveEcsCluster>;
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
  /** Why each size field of a group change has its wanted value (issue 12). */
  readonly sources?: Readonly<Record<string, SizeSource>>;
}

/** Everything apply can execute; later capabilities add their operations to this union. */
export type Operation =
  | CreateGroupOperation
  | UpdateGroupOperation
  | AttachOperation
  | DetachOperation
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
  | RegisterRegistryEntryOperation
  | UpdateServiceOperation
  | DrainContainerInstanceOperation
  | TerminateInstanceOperation;

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
  /** The YAML key whose limit held it back, and where it is: what a reviewer raises to let it through. */
  readonly guard?: { readonly key: string; readonly file: string; readonly line: number };
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
  | {
      readonly status: 'applied';
      /** What the report should say beside "applied" (a delete answered 404: already gone). */
      readonly note?: string;
    }
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
