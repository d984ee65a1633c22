/**
 * Normalises the validated `groups:` of one cluster file into DesiredGroups: defaults applied,
 * `"N%"` parsed, breach_duration turned into evaluation periods, every object pinned to its line.
 */
import type { SourceFile } from '../config/load.ts';
import { locate, type Path } from '../config/positions.ts';
import { parseDuration } from '../config/semantic.ts';
import type {
  GroupConfig,
  ScheduleConfig,
  ThresholdSide,
  ThresholdTrigger,
  Trigger,
} from '../config/types.ts';
import { isTargetTracking } from '../config/types.ts';
import type {
  Adjustment,
  AwsScope,
  DesiredGroup,
  DesiredSchedule,
  DesiredTrigger,
  GroupLaunchSpec,
  HealthCheckSpec,
  Origin,
  ThresholdSideName,
  ThresholdSideSpec,
} from '../model.ts';

/** Defaults of a threshold trigger, as schemas/cluster.schema.json documents them. */
export const TRIGGER_DEFAULTS = Object.freeze({
  namespace: 'AWS/EC2',
  statistic: 'Average',
  /** Five minutes: EC2's basic monitoring publishes no finer data. */
  period: 300,
});

export interface GroupSource {
  readonly file: SourceFile;
  readonly cluster: string;
  readonly scope: AwsScope;
}

export function desiredGroups(
  source: GroupSource,
  groups: Readonly<Record<string, GroupConfig>>,
): DesiredGroup[] {
  return Object.entries(groups).map(([name, config]) => desiredGroup(source, name, config));
}

function desiredGroup(source: GroupSource, name: string, config: GroupConfig): DesiredGroup {
  const at = (...path: Path): Origin => origin(source.file, ['groups', name, ...path]);
  const launch = launchSpec(config);
  return {
    address: `${source.cluster}/groups/${name}`,
    name,
    cluster: source.cluster,
    scope: source.scope,
    origin: at(),
    ...(config.min === undefined ? {} : { min: config.min }),
    ...(config.max === undefined ? {} : { max: config.max }),
    ...(config.desired === undefined ? {} : { desired: config.desired }),
    ...(launch.spec === undefined ? {} : { launch: launch.spec }),
    ...(launch.incomplete === undefined ? {} : { incompleteLaunch: launch.incomplete }),
    targetGroups: config.target_groups ?? [],
    loadBalancers: config.load_balancers ?? [],
    ...healthCheck(config),
    triggers: Object.entries(config.triggers ?? {}).map(([trigger, spec]) =>
      desiredTrigger(name, trigger, spec, (...p) => at('triggers', trigger, ...p)),
    ),
    schedules: Object.entries(config.schedules ?? {}).map(([schedule, spec]) =>
      desiredSchedule(schedule, spec, at('schedules', schedule)),
    ),
  };
}

function launchSpec(config: GroupConfig): { spec?: GroupLaunchSpec; incomplete?: string } {
  const zones = nonEmpty(config.availability_zones);
  const subnets = nonEmpty(config.subnets);
  const template = config.launch_template;
  if (template === undefined) {
    return zones || subnets
      ? { incomplete: 'availability_zones or subnets are set but launch_template is not' }
      : {};
  }
  if (!zones && !subnets)
    return { incomplete: 'launch_template is set but neither availability_zones nor subnets' };
  return {
    spec: {
      launchTemplate: {
        ...(template.name === undefined ? {} : { name: template.name }),
        ...(template.id === undefined ? {} : { id: template.id }),
        ...(template.version === undefined ? {} : { version: template.version }),
      },
      ...(zones ? { availabilityZones: config.availability_zones ?? [] } : {}),
      ...(subnets ? { subnets: config.subnets ?? [] } : {}),
    },
  };
}

function healthCheck(config: GroupConfig): { healthCheck?: HealthCheckSpec } {
  const spec = config.health_check;
  if (spec === undefined) return {};
  // The schema's duration pattern is what parseDuration reads; AWS takes whole seconds.
  const grace = spec.grace === undefined ? undefined : parseDuration(spec.grace);
  const healthCheck: HealthCheckSpec = {
    ...(spec.type === undefined ? {} : { type: spec.type }),
    ...(grace === undefined ? {} : { graceSeconds: Math.round(grace) }),
  };
  return Object.keys(healthCheck).length === 0 ? {} : { healthCheck };
}

function nonEmpty(list: readonly string[] | undefined): boolean {
  return list !== undefined && list.length > 0;
}

function desiredTrigger(
  group: string,
  name: string,
  trigger: Trigger,
  at: (...path: Path) => Origin,
): DesiredTrigger {
  if (isTargetTracking(trigger)) {
    const spec = trigger.target_tracking;
    return {
      kind: 'target_tracking',
      name,
      origin: at(),
      metric: spec.metric,
      ...(spec.resource_label === undefined ? {} : { resourceLabel: spec.resource_label }),
      target: spec.target,
      disableScaleIn: spec.disable_scale_in ?? false,
    };
  }
  return thresholdTrigger(group, name, trigger, at);
}

function thresholdTrigger(
  group: string,
  name: string,
  trigger: ThresholdTrigger,
  at: (...path: Path) => Origin,
): DesiredTrigger {
  const period = trigger.period ?? TRIGGER_DEFAULTS.period;
  // Validation makes breach_duration a multiple of period; round anyway so a stray value still plans.
  const evaluationPeriods = Math.max(1, Math.round((trigger.breach_duration ?? period) / period));
  const sides: ThresholdSideSpec[] = [];
  const sideSpec = (side: ThresholdSideName, spec: ThresholdSide | undefined): void => {
    if (spec === undefined) return;
    sides.push({
      side,
      threshold: spec.threshold,
      adjustment: parseAdjustment(spec.adjust),
      origin: at(side),
    });
  };
  sideSpec('upper', trigger.upper);
  sideSpec('lower', trigger.lower);
  return {
    kind: 'threshold',
    name,
    origin: at(),
    metric: trigger.metric,
    namespace: trigger.namespace ?? TRIGGER_DEFAULTS.namespace,
    statistic: trigger.statistic ?? TRIGGER_DEFAULTS.statistic,
    ...(trigger.unit === undefined ? {} : { unit: trigger.unit }),
    dimensions: trigger.dimensions ?? { AutoScalingGroupName: group },
    period,
    evaluationPeriods,
    sides,
  };
}

/** `10` or `-5` change the capacity by instances; `"20%"` or `"-10%"` by percent. */
export function parseAdjustment(adjust: number | string): Adjustment {
  if (typeof adjust === 'number') return { type: 'ChangeInCapacity', value: adjust };
  const text = adjust.trim();
  if (text.endsWith('%')) return { type: 'PercentChangeInCapacity', value: Number(text.slice(0, -1).trim()) };
  return { type: 'ChangeInCapacity', value: Number(text) };
}

function desiredSchedule(name: string, spec: ScheduleConfig, at: Origin): DesiredSchedule {
  const startTime = isoInstant(spec.start_time);
  const endTime = isoInstant(spec.end_time);
  return {
    name,
    origin: at,
    ...(spec.recurrence === undefined ? {} : { recurrence: spec.recurrence }),
    ...(startTime === undefined ? {} : { startTime }),
    ...(endTime === undefined ? {} : { endTime }),
    ...(spec.time_zone === undefined ? {} : { timeZone: spec.time_zone }),
    ...(spec.until === undefined ? {} : { until: spec.until }),
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ...(spec.desired === undefined ? {} : { desired: spec.desired }),
  };
}

/** One spelling per instant, so a plan compares AWS's echo with the YAML exactly. */
function isoInstant(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** The line of the object's key (`web-asg:`), where a reader looks for it. */
function origin(file: SourceFile, path: Path): Origin {
  const { line } = locate(file, path, { key: true });
  return { file: file.path, line };
}
