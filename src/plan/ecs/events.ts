/**
 * ecs-autoscale's event rule, kept as it was (services.py `pretend_scale`), minus its bugs:
 *
 * - events are tried in YAML order and the first that matches acts;
 * - an event matches when its metric lies within [min, max], both inclusive, null unbounded;
 * - its action is added to the count and the result is clamped to the service's [min, max];
 * - an event whose action pushes against a bound the count is already at (a scale-in at min, a
 *   scale-out at max) is skipped and the next event is tried;
 * - action 0 matches and holds the count (later events are not tried).
 *
 * The count it starts from is the service's DESIRED count, and a count outside [min, max] is
 * brought inside before any event is looked at ({@link boundsCorrection}).
 */
import type { DesiredEvent, EventCheck } from '../../model.ts';

export interface Bounds {
  readonly min: number;
  readonly max: number;
}

export interface EventOutcome {
  /** The count the events give (the start when none acts). */
  readonly count: number;
  /** The event that acted, if any. */
  readonly fired?: DesiredEvent;
  /** Each event tried, in order, up to the one that acted. */
  readonly checks: readonly EventCheck[];
  /** An event's metric could not be evaluated before any event acted: nothing may change. */
  readonly error?: string;
}

/**
 * ecs-autoscale started from the RUNNING count and corrected only a running count outside the
 * bounds: during a deployment or with tasks waiting for room, `+1` could lower the desired count,
 * and a desired count above max stayed there. Here: the desired count, corrected first.
 */
export function boundsCorrection(desired: number, bounds: Bounds): number | undefined {
  if (desired < bounds.min) return bounds.min;
  if (desired > bounds.max) return bounds.max;
  return undefined;
}

export function evaluateEvents(
  start: number,
  bounds: Bounds,
  events: readonly DesiredEvent[],
  values: Readonly<Record<string, number>>,
): EventOutcome {
  const checks: EventCheck[] = [];
  for (const event of events) {
    let value: number;
    try {
      value = event.metric.evaluate(values);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { count: start, checks, error: `events[${event.index}] ${event.metric.source}: ${why}` };
    }
    const check = (result: EventCheck['result']): EventCheck => ({
      index: event.index,
      metric: event.metric.source,
      value,
      result,
      min: event.min,
      max: event.max,
      action: event.action,
      line: event.origin.line,
    });
    if ((event.max !== null && value > event.max) || (event.min !== null && value < event.min)) {
      checks.push(check('no_match'));
      continue;
    }
    let target = start + event.action;
    if (target < bounds.min) {
      if (start <= bounds.min) {
        checks.push(check('at_bound'));
        continue;
      }
      target = bounds.min;
    } else if (target > bounds.max) {
      if (start >= bounds.max) {
        checks.push(check('at_bound'));
        continue;
      }
      target = bounds.max;
    }
    checks.push(check('fired'));
    return { count: target, fired: event, checks };
  }
  return { count: start, checks };
}
