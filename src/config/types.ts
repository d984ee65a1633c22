/**
 * The shape of one `clusters/*.yml` file as the user writes it (CONTRACT.md), after environment
 * interpolation and JSON Schema validation. schemas/cluster.schema.json is the authority on
 * what is allowed; these types mirror it for the code that reads validated data.
 */

export type Nullable<T> = T | null;

export interface ThirdPartyStatistic {
  /** Dot path into the JSON response (`a.b.0.c`). */
  name: string;
  alias: string;
}

export interface ThirdPartySource {
  url: string;
  method?: 'GET' | 'POST';
  payload?: unknown;
  headers?: Record<string, string>;
  /** Seconds; default 10. */
  timeout?: number;
  statistics: ThirdPartyStatistic[];
}

export interface CloudWatchDimension {
  name: string;
  value: string;
}

export interface CloudWatchStatistic {
  /** Average, Sum, Minimum, Maximum, SampleCount, or a percentile such as p99. */
  name: string;
  alias: string;
}

export interface CloudWatchSource {
  namespace: string;
  metric_name: string;
  dimensions?: CloudWatchDimension[];
  /** Seconds; default 300. */
  period?: number;
  unit?: string;
  statistics: CloudWatchStatistic[];
}

export interface MetricSources {
  third_party?: ThirdPartySource[];
  cloudwatch?: CloudWatchSource[];
}

export interface ScalingEvent {
  /** An alias, or an arithmetic expression over the service's aliases. */
  metric: string;
  action: number;
  min: Nullable<number>;
  max: Nullable<number>;
}

export interface ServiceConfig {
  enabled?: boolean;
  min: number;
  max: number;
  cooldown?: number;
  metric_sources?: MetricSources;
  events?: ScalingEvent[];
}

export interface ThresholdSide {
  threshold: number;
  /** An integer change in capacity, or `"N%"` for a percent change. */
  adjust: number | string;
}

export interface ThresholdTrigger {
  metric: string;
  namespace?: string;
  statistic?: 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';
  unit?: string;
  dimensions?: Record<string, string>;
  period?: number;
  breach_duration?: number;
  upper?: ThresholdSide;
  lower?: ThresholdSide;
}

export interface TargetTrackingSpec {
  metric: string;
  target: number;
  disable_scale_in?: boolean;
}

export interface TargetTrackingTrigger {
  target_tracking: TargetTrackingSpec;
}

export type Trigger = ThresholdTrigger | TargetTrackingTrigger;

export interface ScheduleConfig {
  recurrence?: string;
  start_time?: string;
  end_time?: string;
  time_zone?: string;
  min?: number;
  max?: number;
  desired?: number;
}

export interface LaunchTemplateRef {
  name?: string;
  id?: string;
  version?: string;
}

export interface GroupConfig {
  min?: number;
  max?: number;
  desired?: number;
  launch_template?: LaunchTemplateRef;
  availability_zones?: string[];
  subnets?: string[];
  target_groups?: string[];
  triggers?: Record<string, Trigger>;
  schedules?: Record<string, ScheduleConfig>;
}

export interface HttpRegistryList {
  url: string;
  items?: string;
  id: string;
  headers?: Record<string, string>;
  /** Dot path to a timestamp of when the entry was last seen / created. */
  time?: string;
}

export interface HttpRegistryDelete {
  method?: 'DELETE' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
}

export interface CommandRegistryList {
  command: string;
  items?: string;
  id?: string;
}

export interface CommandRegistryDelete {
  command: string;
}

export interface RegistryConfig {
  list: HttpRegistryList | CommandRegistryList;
  delete: HttpRegistryDelete | CommandRegistryDelete;
  instance: string;
}

export interface PruneConfig {
  grace?: string | number;
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
