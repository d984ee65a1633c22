/**
 * What one desired group should own in AWS: its triggers and schedules expanded into scaling
 * policies, alarms and scheduled actions with their deterministic names.
 */
import type {
  AlarmSpec,
  DesiredGroup,
  DesiredSchedule,
  DesiredThresholdTrigger,
  Origin,
  PolicySpec,
  ScheduleSpec,
  ThresholdSideSpec,
} from '../../model.ts';
import { scheduleName, targetTrackingName, thresholdName } from './names.ts';

export interface WantedPolicy {
  readonly name: string;
  readonly origin: Origin;
  /** e.g. `trigger cpu (upper)`: how reasons name it. */
  readonly label: string;
  readonly spec: PolicySpec;
}

export interface WantedAlarm {
  readonly name: string;
  readonly origin: Origin;
  readonly label: string;
  readonly spec: AlarmSpec;
  /** The policy this alarm runs: always one of the group's wanted policies. */
  readonly policy: string;
}

export interface WantedSchedule {
  readonly name: string;
  readonly origin: Origin;
  readonly label: string;
  readonly spec: ScheduleSpec;
}

export interface OwnedObjects {
  readonly policies: readonly WantedPolicy[];
  readonly alarms: readonly WantedAlarm[];
  readonly schedules: readonly WantedSchedule[];
  /** Names two entries of the YAML would both produce: the group cannot be planned. */
  readonly collisions: readonly string[];
}

export function ownedObjects(group: DesiredGroup): OwnedObjects {
  const policies: WantedPolicy[] = [];
  const alarms: WantedAlarm[] = [];
  for (const trigger of group.triggers) {
    if (trigger.kind === 'target_tracking') {
      policies.push({
        name: targetTrackingName(group.name, trigger.name),
        origin: trigger.origin,
        label: `trigger ${trigger.name}`,
        spec: {
          type: 'TargetTrackingScaling',
          predefinedMetric: trigger.metric,
          ...(trigger.resourceLabel === undefined ? {} : { resourceLabel: trigger.resourceLabel }),
          targetValue: trigger.target,
          disableScaleIn: trigger.disableScaleIn,
        },
      });
      continue;
    }
    for (const side of trigger.sides) {
      const name = thresholdName(group.name, trigger.name, side.side);
      const label = `trigger ${trigger.name} (${side.side})`;
      policies.push({
        name,
        origin: side.origin,
        label,
        spec: {
          type: 'StepScaling',
          adjustmentType: side.adjustment.type,
          scalingAdjustment: side.adjustment.value,
          breach: side.side === 'upper' ? 'above' : 'below',
        },
      });
      alarms.push({ name, origin: side.origin, label, spec: alarmSpec(trigger, side), policy: name });
    }
  }
  const schedules = group.schedules.flatMap((s) => wantedSchedules(group, s));
  const collisions = [
    ...duplicates(policies.map((p) => p.name)),
    ...duplicates(schedules.map((s) => s.name)),
  ];
  return { policies, alarms, schedules, collisions };
}

function alarmSpec(trigger: DesiredThresholdTrigger, side: ThresholdSideSpec): AlarmSpec {
  return {
    metric: trigger.metric,
    namespace: trigger.namespace,
    statistic: trigger.statistic,
    ...(trigger.unit === undefined ? {} : { unit: trigger.unit }),
    dimensions: trigger.dimensions,
    period: trigger.period,
    evaluationPeriods: trigger.evaluationPeriods,
    threshold: side.threshold,
    // The schema's words: upper acts "at or above", lower "at or below" the threshold.
    comparison: side.side === 'upper' ? 'GreaterThanOrEqualToThreshold' : 'LessThanOrEqualToThreshold',
  };
}

/**
 * A schedule is one scheduled action; a window (`until:`) is two: its sizes at `recurrence`, and
 * at `until` the YAML's own values of the same fields (`<name>-end`).
 */
function wantedSchedules(group: DesiredGroup, schedule: DesiredSchedule): WantedSchedule[] {
  const { name, origin, until, ...spec } = schedule;
  if (until === undefined) {
    return [{ name: scheduleName(group.name, name), origin, label: `schedule ${name}`, spec }];
  }
  const { min, max, desired, ...timing } = spec;
  // The group's own value of each field the window sets (validation makes sure there is one).
  const end: ScheduleSpec = {
    ...timing,
    recurrence: until,
    ...(min === undefined || group.min === undefined ? {} : { min: group.min }),
    ...(max === undefined || group.max === undefined ? {} : { max: group.max }),
    ...(desired === undefined || group.desired === undefined ? {} : { desired: group.desired }),
  };
  return [
    { name: scheduleName(group.name, name), origin, label: `window ${name}`, spec },
    { name: scheduleName(group.name, `${name}-end`), origin, label: `end of window ${name}`, spec: end },
  ];
}

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const n of names) (seen.has(n) ? twice : seen).add(n);
  return [...twice];
}
