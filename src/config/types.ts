/**
 * The shape of one `clusters/*.yml` file as the user writes it (CONTRACT.md), after environment
 * interpolation and JSON Schema validation. schemas/cluster.schema.json is the authority on
 * what is allowed (and on defaults: each property's `default`); these types mirror it for the
 * code that reads validated data. Defaults are not filled in: an optional key may be absent.
 */
import type { JsonValue } from '../model.ts';

export type Nullable<T> = T | null;

export interface ThirdPartyStatistic {
  /** Dot path into the JSON response (`a.b.0.c`). */
  name: string;
  alias: string;
}

export interface ThirdPartySource {
  /** http(s); may carry credentials (`https://user:pass@host/...`): mask it in output. */
  url: string;
  /** Default GET. */
  method?: 'GET' | 'POST';
  /** JSON body sent with POST; default null. */
  payload?: unknown;
  headers?: Record<string, string>;
  /** Seconds, > 0, at most 300; default 10. */
  timeout?: number;
  /** At least one. */
  statistics: ThirdPartyStatistic[];
}

export interface CloudWatchDimension {
  name: string;
  value: string;
}

export interface CloudWatchStatistic {
  /** Average, Sum, Minimum, Maximum, SampleCount, IQM, or a percentile / trimmed statistic (p99, tm90). */
  name: string;
  alias: string;
}

export type CloudWatchUnit =
  | 'Seconds'
  | 'Microseconds'
  | 'Milliseconds'
  | 'Bytes'
  | 'Kilobytes'
  | 'Megabytes'
  | 'Gigabytes'
  | 'Terabytes'
  | 'Bits'
  | 'Kilobits'
  | 'Megabits'
  | 'Gigabits'
  | 'Terabits'
  | 'Percent'
  | 'Count'
  | 'Bytes/Second'
  | 'Kilobytes/Second'
  | 'Megabytes/Second'
  | 'Gigabytes/Second'
  | 'Terabytes/Second'
  | 'Bits/Second'
  | 'Kilobits/Second'
  | 'Megabits/Second'
  | 'Gigabits/Second'
  | 'Terabits/Second'
  | 'Count/Second'
  | 'None';

export interface CloudWatchSource {
  namespace: string;
  metric_name: string;
  /** Default none; at most 30. */
  dimensions?: CloudWatchDimension[];
  /** Seconds: 10, 20, 30 or a multiple of 60; default 300. */
  period?: number;
  /** Default: any unit. */
  unit?: CloudWatchUnit;
  /** At least one. */
  statistics: CloudWatchStatistic[];
}

export interface MetricSources {
  third_party?: ThirdPartySource[];
  cloudwatch?: CloudWatchSource[];
}

export interface ScalingEvent {
  /** An alias, or an arithmetic expression over the service's aliases (validated to compile). */
  metric: string;
  /** Integer change in the task count; 0 holds it (and stops later events). */
  action: number;
  /** Inclusive bounds; absent or null = unbounded. */
  min?: Nullable<number>;
  max?: Nullable<number>;
}

export interface ServiceConfig {
  /** Default true. */
  enabled?: boolean;
  min: number;
  max: number;
  /** Seconds; default 300. */
  cooldown?: number;
  metric_sources?: MetricSources;
  /** First match wins; default none. */
  events?: ScalingEvent[];
}

/** `"10%"`, `"-25%"`: a percent of the current capacity. */
export type PercentText = `${number}%`;

export interface ThresholdSide {
  threshold: number;
  /** A non-zero integer change in capacity (upper > 0, lower < 0), or `"N%"` with the same sign. */
  adjust: number | PercentText;
}

export type AlarmStatistic = 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';

export interface ThresholdTrigger {
  metric: string;
  /** Default AWS/EC2. */
  namespace?: string;
  /** Default Average. */
  statistic?: AlarmStatistic;
  /** Default: any unit. */
  unit?: CloudWatchUnit;
  /** Default { AutoScalingGroupName: <this group> }. */
  dimensions?: Record<string, string>;
  /** Seconds: 10, 20, 30 or a multiple of 60; default 300. */
  period?: number;
  /** Seconds, a multiple of period (validated); default one period. */
  breach_duration?: number;
  /** At least one of upper and lower. */
  upper?: ThresholdSide;
  lower?: ThresholdSide;
}

export type PredefinedMetric =
  | 'ASGAverageCPUUtilization'
  | 'ASGAverageNetworkIn'
  | 'ASGAverageNetworkOut'
  | 'ALBRequestCountPerTarget';

export interface TargetTrackingSpec {
  metric: PredefinedMetric;
  /** > 0; at most 100 for ASGAverageCPUUtilization. */
  target: number;
  /** Default false. */
  disable_scale_in?: boolean;
  /** `app/<lb>/<id>/targetgroup/<tg>/<id>`: present exactly when metric is ALBRequestCountPerTarget. */
  resource_label?: string;
}

export interface TargetTrackingTrigger {
  target_tracking: TargetTrackingSpec;
}

export type Trigger = ThresholdTrigger | TargetTrackingTrigger;

/** At least one of min, max, desired; at least one of recurrence, start_time. */
export interface ScheduleConfig {
  /** Unix cron, five fields (validated). */
  recurrence?: string;
  /** ISO 8601 date-times. */
  start_time?: string;
  end_time?: string;
  /** IANA name; default Etc/UTC. */
  time_zone?: string;
  /** A window's end: Unix cron, five fields (validated); needs recurrence. */
  until?: string;
  min?: number;
  max?: number;
  desired?: number;
}

/** Exactly one of name and id. */
export interface LaunchTemplateRef {
  name?: string;
  id?: string;
  /**
   * `$Latest`, `$Default` or a number as text; default `$Default`. YAML's `version: 3` is a
   * number in the file; loadConfig hands it over as "3".
   */
  version?: string;
}

export interface GroupConfig {
  min?: number;
  max?: number;
  desired?: number;
  /** With it, min and max are required (to create the group). */
  launch_template?: LaunchTemplateRef;
  /** Not both. */
  availability_zones?: string[];
  subnets?: string[];
  /** Target group ARNs; default none. */
  target_groups?: string[];
  /** Classic Load Balancer names, attached to the group; default none. */
  load_balancers?: string[];
  /** At least one of the two; what is left out is left as AWS has it. */
  health_check?: { type?: 'EC2' | 'ELB'; grace?: string | number };
  triggers?: Record<string, Trigger>;
  schedules?: Record<string, ScheduleConfig>;
}

export interface HttpRegistryList {
  url: string;
  /** Dot path to the entries in the answer, or several whose entries are merged; default: the answer is the list. */
  items?: string | string[];
  /** Dot path to the id in each entry; default: each entry is the id. */
  id?: string;
  headers?: Record<string, string>;
  /** Dot path to a timestamp of when the entry was last seen / created. */
  time?: string;
  /** Largest answer read, in bytes; default 16 MiB. */
  max_bytes?: number;
}

export interface HttpRegistryDelete {
  /** Default DELETE (register: POST). */
  method?: 'DELETE' | 'POST' | 'PUT' | 'PATCH';
  /** Placeholders ({id}, {entry}, ...) are replaced URL-encoded (registries/placeholders.ts). */
  url: string;
  headers?: Record<string, string>;
  /** JSON body; placeholders in its string values. */
  payload?: Record<string, JsonValue>;
}

export interface CommandRegistryList {
  /** Prints JSON on stdout. */
  command: string;
  items?: string | string[];
  id?: string;
  /** Largest stdout read, in bytes; default 16 MiB. */
  max_bytes?: number;
}

export interface CommandRegistryDelete {
  /** Placeholders become shell-quoted words, never raw (ids come from outside). */
  command: string;
}

export interface RegistryConfig {
  list: HttpRegistryList | CommandRegistryList;
  /** delete, register or both (registry-checks.ts). */
  delete?: HttpRegistryDelete | CommandRegistryDelete;
  register?: HttpRegistryDelete | CommandRegistryDelete;
  /** Regex matched against the whole entry id; group 1 is the instance id. Default `^(i-[0-9a-f]{8,17})$`. */
  instance?: string;
  /** A listing that fails is a warning, not an error that fails the run. Default false. */
  optional?: boolean;
  /** The id an instance's entry should have; default `{instance}`. */
  entry?: string;
  /** Groups of this file whose InService instances should have an entry. */
  for_groups?: string[];
  sweep?: 'membership';
}

export interface PruneConfig {
  /** `90s`, `10m`, `1h30m`, `2d`, digits, or seconds (parseDuration in semantic.ts); default "10m". */
  grace?: string | number;
  /** A count, or `"N%"` from 0% to 100%; default "25%". */
  max?: string | number;
  ecs_container_instances?: boolean;
  target_groups?: boolean;
  instance_alarms?: boolean | { prefix: string };
  protect?: string[];
  registries?: Record<string, RegistryConfig>;
}

export interface ClusterFile {
  region?: string;
  role_arn?: string;
  cluster?: string;
  enabled?: boolean;
  autoscale_group?: string;
  cpu_buffer?: number;
  mem_buffer?: number;
  min?: number;
  max?: number;
  services?: Record<string, ServiceConfig>;
  groups?: Record<string, GroupConfig>;
  prune?: PruneConfig;
}

export function isTargetTracking(trigger: Trigger): trigger is TargetTrackingTrigger {
  return 'target_tracking' in trigger;
}

export function isCommandList(list: RegistryConfig['list']): list is CommandRegistryList {
  return 'command' in list;
}

export function isCommandDelete(
  del: HttpRegistryDelete | CommandRegistryDelete,
): del is CommandRegistryDelete {
  return 'command' in del;
}
