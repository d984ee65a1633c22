/**
 * The fields a reader sees for each owned object, with the same keys for the YAML's side and
 * AWS's side so that they compare key by key.
 */
import type {
  AlarmSpec,
  Fields,
  LiveAlarm,
  LivePolicy,
  LiveScheduledAction,
  PolicySpec,
  ScheduleSpec,
} from '../../model.ts';

const ABOVE = 'at or above threshold';
const BELOW = 'at or below threshold';

export function policyFields(spec: PolicySpec): Fields {
  if (spec.type === 'StepScaling') {
    return {
      policy_type: spec.type,
      adjustment_type: spec.adjustmentType,
      scaling_adjustment: spec.scalingAdjustment,
      step: spec.breach === 'above' ? ABOVE : BELOW,
    };
  }
  return {
    policy_type: spec.type,
    metric: spec.predefinedMetric,
    resource_label: spec.resourceLabel,
    target: spec.targetValue,
    disable_scale_in: spec.disableScaleIn,
  };
}

export function livePolicyFields(policy: LivePolicy): Fields {
  const tracking = policy.targetTracking;
  const steps = policy.steps ?? [];
  const [only] = steps;
  return {
    policy_type: policy.type,
    adjustment_type: policy.adjustmentType,
    // One step is what this tool writes; several are shown as such and never equal ours.
    scaling_adjustment: steps.length === 1 ? only?.adjustment : policy.scalingAdjustment,
    step:
      steps.length === 0
        ? undefined
        : steps.length === 1 && only
          ? stepInterval(only)
          : `${steps.length} steps`,
    metric:
      tracking === undefined
        ? undefined
        : tracking.customMetric
          ? '(custom metric)'
          : tracking.predefinedMetric,
    resource_label: tracking?.resourceLabel,
    target: tracking?.targetValue,
    disable_scale_in: tracking?.disableScaleIn,
  };
}

function stepInterval(step: { lower?: number; upper?: number }): string {
  if (step.lower === 0 && step.upper === undefined) return ABOVE;
  if (step.upper === 0 && step.lower === undefined) return BELOW;
  return `threshold ${step.lower === undefined ? '-∞' : `+ ${step.lower}`} to ${step.upper === undefined ? '+∞' : `+ ${step.upper}`}`;
}

/** `unit` stays as a key even when unset: the alarm is ours entirely, so a removed unit is a change. */
export function alarmFields(spec: AlarmSpec, actions: readonly string[]): Fields {
  return {
    metric: spec.metric,
    namespace: spec.namespace,
    statistic: spec.statistic,
    unit: spec.unit,
    dimensions: spec.dimensions,
    period: spec.period,
    evaluation_periods: spec.evaluationPeriods,
    threshold: spec.threshold,
    comparison: spec.comparison,
    actions,
  };
}

export function liveAlarmFields(alarm: LiveAlarm): Fields {
  return {
    metric: alarm.metric,
    namespace: alarm.namespace,
    statistic: alarm.statistic,
    unit: alarm.unit,
    dimensions: alarm.dimensions,
    period: alarm.period,
    evaluation_periods: alarm.evaluationPeriods,
    threshold: alarm.threshold,
    comparison: alarm.comparison,
    actions: alarm.actions,
  };
}

/**
 * start_time is compared only when the YAML sets it (AWS fills in the creation time otherwise);
 * a time zone of UTC is the same as none.
 */
export function scheduleFields(spec: ScheduleSpec): Fields {
  return {
    recurrence: spec.recurrence,
    ...(spec.startTime === undefined ? {} : { start_time: spec.startTime }),
    end_time: spec.endTime,
    time_zone: normalTimeZone(spec.timeZone),
    min: spec.min,
    max: spec.max,
    desired: spec.desired,
  };
}

export function liveScheduleFields(action: LiveScheduledAction): Fields {
  return {
    recurrence: action.recurrence,
    start_time: action.startTime,
    end_time: action.endTime,
    time_zone: normalTimeZone(action.timeZone),
    min: action.min,
    max: action.max,
    desired: action.desired,
  };
}

function normalTimeZone(zone: string | undefined): string | undefined {
  return zone === undefined || zone === 'UTC' || zone === 'Etc/UTC' ? undefined : zone;
}
