/** Targets and stale registrations: prune settings, what registers instances, their operations. */
import type { AwsScope, Known, Origin } from './basics.ts';

// ─── Targets and stale registrations (issue 5) ─────────────────────────────────────────────────

/** prune.max: a count, or a percent of the kind's entries. */
export type PruneLimit =
  | { readonly kind: 'count'; readonly value: number }
  | { readonly kind: 'percent'; readonly value: number };

/**
 * Where a listing's entries are: one dot path, or several whose entries are merged (Salt keeps
 * accepted and pending keys in `minions` and `minions_pre`).
 */
export type ItemsPath = string | readonly string[];

export type RegistryListSpec =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly items?: ItemsPath;
      readonly id?: string;
      readonly time?: string;
      /** Largest answer read (list `max_bytes`); absent: the registries' default (16 MiB). */
      readonly maxBytes?: number;
    }
  | {
      readonly kind: 'command';
      readonly command: string;
      readonly items?: ItemsPath;
      readonly id?: string;
      /** Largest stdout read (list `max_bytes`); absent: the registries' default (16 MiB). */
      readonly maxBytes?: number;
    };

/** JSON as a payload holds it: written in the YAML, filled per instance (registries/placeholders.ts). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A registry's request for one entry: `register` (add) or `delete` (remove). */
export type RegistryRequestSpec =
  | {
      readonly kind: 'http';
      readonly method: 'DELETE' | 'POST' | 'PUT' | 'PATCH';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      /** Sent as the JSON body, placeholders filled inside its string values. */
      readonly payload?: { readonly [key: string]: JsonValue };
    }
  | { readonly kind: 'command'; readonly command: string };

/** The placeholders of `register` / `delete` / `entry` (registries/placeholders.ts escapes them). */
export type PlaceholderName = 'id' | 'instance' | 'entry' | 'private_ip' | 'public_ip' | 'az' | 'group';

/** One entry's values; a name left out is unknown (a request that needs it does not run). */
export type PlaceholderValues = Readonly<Partial<Record<PlaceholderName, string>>>;

export interface DesiredRegistry {
  readonly name: string;
  /** `<cluster>/prune/registries/<name>`. */
  readonly address: string;
  readonly origin: Origin;
  readonly list: RegistryListSpec;
  /** Absent: entries are only added (e.g. Salt's accepted keys, pruned by another registry). */
  readonly delete?: RegistryRequestSpec;
  /** Present: each InService instance of `forGroups` missing from the listing is added. */
  readonly register?: RegistryRequestSpec;
  /** Regex source matched against the whole entry id (registries/match.ts); group 1 is the instance id. */
  readonly instance: string;
  /**
   * `optional: true`: a listing that fails is a warning. Otherwise it is a plan error, so the run
   * fails (exit 1) after everything else is applied: a broken cleanup must not pass unseen.
   */
  readonly optional: boolean;
  /** The id an instance's entry should have: a template over the placeholders (default `{instance}`). */
  readonly entry: string;
  /** Groups (names in the YAML) whose InService instances should have an entry; membership for the sweep. */
  readonly forGroups: readonly string[];
  /** `sweep: membership`: entries of running instances in none of `forGroups` go too (after grace). */
  readonly sweep: boolean;
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
  /** The `max:` key, or the `prune:` key when max is left to its default: where to raise it. */
  readonly maxOrigin: Origin;
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
  readonly publicIp?: string;
  readonly availabilityZone?: string;
  /** Its `aws:autoscaling:groupName` tag: the group that launched it (kept after it is gone). */
  readonly autoScalingGroup?: string;
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

/**
 * A registry's entries, or why they are unknown. `deferred`: not listed on purpose (a pull
 * request's plan runs no command its YAML names): unknown all the same, but not a failure.
 */
export type RegistryListing =
  | Known<readonly LiveRegistryEntry[]>
  | { readonly known: false; readonly reason: string; readonly deferred: true };

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
  readonly registries: ReadonlyMap<string, RegistryListing>;
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
  readonly delete: RegistryRequestSpec;
  /** What the request's placeholders become (`id` is the entry id). */
  readonly values: PlaceholderValues;
}

export interface RegisterRegistryEntryOperation {
  readonly kind: 'register_registry_entry';
  /** The registry's address (for messages). */
  readonly registry: string;
  /** The entry the request should make (the registry's `entry`, filled). */
  readonly entryId: string;
  readonly register: RegistryRequestSpec;
  readonly values: PlaceholderValues;
}
