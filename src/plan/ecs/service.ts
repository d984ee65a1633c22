/**
 * One ECS service's desired count: bounds first, then the events on this run's metric values,
 * within the cooldown. Pure: the same Desired, Live and `now` give the same decision.
 *
 * - A desired count outside [min, max] is brought inside at once, whatever the metrics say and
 *   even within the cooldown: the bounds are the YAML's, not a reading.
 * - A metric any event reads that could not be read (or an event whose arithmetic fails before
 *   one acts): the service is not scaled this run, and the plan says why. Never a scale-in (or
 *   a scale-out) on missing data.
 * - Cooldown: the {@link LAST_SCALED_TAG} tag the tool writes with each change it makes; while
 *   `now` is less than `cooldown` seconds after it, events do not change the count (the plan
 *   shows what they would do).
 */
import {
  type Change,
  type DesiredCluster,
  type DesiredService,
  type EventCheck,
  type Known,
  LAST_SCALED_TAG,
  type LiveEcsService,
  type MetricDecision,
  type MetricPoint,
  type MetricValue,
  type ScalingDecision,
} from '../../model.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';
import { boundsCorrection, evaluateEvents } from './events.ts';
import { actionText, checkText, durationText, num, valuesText } from './text.ts';

/** What capacity planning needs to know of a service after its own planning. */
export interface ServicePlan {
  readonly service: DesiredService;
  readonly live?: LiveEcsService;
  /** The desired count once the plan is applied. */
  readonly after?: number;
}

export interface ServiceInput {
  readonly cluster: DesiredCluster;
  readonly service: DesiredService;
  readonly live: Known<LiveEcsService | null>;
  readonly metrics: ReadonlyMap<string, Known<MetricValue>>;
  readonly now: Date;
}

export function planService(input: ServiceInput, sink: PlanSink, decisions: ScalingDecision[]): ServicePlan {
  const { cluster, service, live, now } = input;
  const at = { address: service.address, origin: service.origin };
  const values = metricValues(input);
  const decide = (
    outcome: ScalingDecision['outcome'],
    before: number | null,
    after: number | null,
    reason: string,
    events: readonly EventCheck[] = [],
  ): void => {
    const series: Record<string, readonly MetricPoint[]> = {};
    for (const check of events) {
      const points = series[check.metric] === undefined ? eventSeries(input, check) : undefined;
      if (points !== undefined) series[check.metric] = points;
    }
    decisions.push({
      kind: 'ecs_service',
      address: service.address,
      id: service.name,
      cluster: cluster.name,
      file: service.origin.file,
      line: service.origin.line,
      outcome,
      metrics: values.shown,
      events,
      before,
      after,
      reason,
      ...(Object.keys(series).length === 0 ? {} : { series }),
    });
  };

  if (!service.enabled) {
    decide('disabled', null, null, 'enabled: false: this service is not managed');
    return { service };
  }
  if (!live.known) {
    sink.errors.push(
      message(
        `service ${service.name} of cluster ${cluster.name} could not be read (${live.reason}); not scaled`,
        at,
      ),
    );
    decide('unknown', null, null, `could not be read from AWS (${live.reason}): not scaled this run`);
    return { service };
  }
  if (live.value === null || live.value.status !== 'ACTIVE') {
    const what =
      live.value === null
        ? `service ${service.name} does not exist in cluster ${cluster.name}`
        : `service ${service.name} of cluster ${cluster.name} is ${live.value.status}`;
    sink.errors.push(message(`${what} (${cluster.scope.region}); not scaled`, at));
    decide('missing', null, null, `${what}: not scaled`);
    return { service };
  }

  const current = live.value;
  const start = current.desired;
  const bounds = { min: service.min, max: service.max };
  const corrected = boundsCorrection(start, bounds);
  if (corrected !== undefined) {
    const side = corrected < start ? `above max ${service.max}` : `below min ${service.min}`;
    const reason = `desired ${start} is ${side}: set to ${corrected} (bounds apply whatever the metrics say)`;
    sink.changes.push(serviceChange(input, current, corrected, reason, []));
    decide('scale', start, corrected, reason);
    return { service, live: current, after: corrected };
  }

  const unreadable = readsUnreadable(service, values.reasons);
  if (unreadable.length > 0) {
    const why = unreadable.map(([alias, reason]) => `${alias}: ${reason}`).join('; ');
    sink.warnings.push(message(`service ${service.name}: metric not read, not scaled this run (${why})`, at));
    decide('no_data', start, start, `not scaled this run: ${why}`);
    return { service, live: current, after: start };
  }

  const outcome = evaluateEvents(start, bounds, service.events, values.known);
  if (outcome.error !== undefined) {
    sink.warnings.push(message(`service ${service.name}: not scaled this run (${outcome.error})`, at));
    decide('no_data', start, start, `not scaled this run: ${outcome.error}`, outcome.checks);
    return { service, live: current, after: start };
  }
  const fired = outcome.checks.find((c) => c.result === 'fired');
  if (outcome.count === start) {
    decide('unchanged', start, start, unchangedReason(start, outcome.checks, values.shown), outcome.checks);
    return { service, live: current, after: start };
  }

  const scaledBy = fired === undefined ? '' : `${checkText(fired)}: `;
  const move = `desired ${start} → ${outcome.count}${clampNote(start, fired, outcome.count)}`;
  const cooldown = cooldownLeft(current, service.cooldown, now);
  if (cooldown !== undefined) {
    const reason =
      `${scaledBy}would set ${move}, but the count was last set ${durationText(cooldown.elapsed)} ago ` +
      `(${cooldown.since}); cooldown ${service.cooldown} s, ${durationText(cooldown.left)} left`;
    decide('cooldown', start, start, reason, outcome.checks);
    return { service, live: current, after: start };
  }
  const reason = `${scaledBy}${move}`;
  sink.changes.push(serviceChange(input, current, outcome.count, reason, outcome.checks));
  decide('scale', start, outcome.count, reason, outcome.checks);
  return { service, live: current, after: outcome.count };
}

interface Values {
  /** Every alias: its value, or null. */
  readonly shown: Record<string, number | null>;
  /** The readable ones. */
  readonly known: Record<string, number>;
  /** Why each unreadable one is. */
  readonly reasons: Map<string, string>;
}

function metricValues(input: ServiceInput): Values {
  const shown: Record<string, number | null> = {};
  const knownValues: Record<string, number> = {};
  const reasons = new Map<string, string>();
  for (const spec of input.service.metrics) {
    const reading = input.metrics.get(spec.key);
    if (reading?.known) {
      shown[spec.alias] = reading.value.value;
      knownValues[spec.alias] = reading.value.value;
    } else {
      shown[spec.alias] = null;
      reasons.set(spec.alias, reading === undefined ? 'not read' : reading.reason);
    }
  }
  return { shown, known: knownValues, reasons };
}

/** The aliases the events read that have no value, with why. */
function readsUnreadable(service: DesiredService, reasons: ReadonlyMap<string, string>): [string, string][] {
  const read = new Set(service.events.flatMap((e) => e.metric.variables));
  return [...reasons].filter(([alias]) => read.has(alias));
}

function unchangedReason(
  start: number,
  checks: readonly EventCheck[],
  values: Readonly<Record<string, number | null>>,
): string {
  const fired = checks.find((c) => c.result === 'fired');
  if (fired !== undefined) return `${checkText(fired)} holds desired at ${start}`;
  const atBound = checks.filter((c) => c.result === 'at_bound');
  if (atBound.length > 0) {
    const skipped = atBound.map((c) => `${checkText(c)} skipped: already at the bound`).join('; ');
    return `${skipped}; no other event matched: desired stays ${start}`;
  }
  if (checks.length === 0) return `no events: desired stays ${start}`;
  return `no event matched (${computedText(checks, values)}${valuesText(values)}): desired stays ${start}`;
}

/**
 * `max([cpu, mem]) = 40; ` for the events whose metric is an expression: the value each rule
 * compared, which the inputs alone do not show. '' when every event reads a bare alias.
 */
function computedText(
  checks: readonly EventCheck[],
  values: Readonly<Record<string, number | null>>,
): string {
  const computed = new Map<string, number>();
  for (const c of checks) {
    const metric = c.metric.trim();
    if (!(metric in values)) computed.set(metric, c.value);
  }
  if (computed.size === 0) return '';
  return `${[...computed].map(([metric, value]) => `${metric} = ${num(value)}`).join(', ')}; `;
}

/** ` (clamped to max 3)` when the action went past a bound. */
function clampNote(start: number, fired: EventCheck | undefined, count: number): string {
  if (fired === undefined || start + fired.action === count) return '';
  return ` (${actionText(fired.action)} clamped to ${fired.action > 0 ? 'max' : 'min'} ${count})`;
}

function cooldownLeft(
  live: LiveEcsService,
  cooldown: number,
  now: Date,
): { elapsed: number; left: number; since: string } | undefined {
  if (live.lastScaled === undefined || cooldown <= 0) return undefined;
  const last = Date.parse(live.lastScaled);
  if (Number.isNaN(last)) return undefined;
  const elapsed = (now.getTime() - last) / 1000;
  if (elapsed >= cooldown) return undefined;
  // A time in the future (clock skew) counts as just now.
  const since = `${LAST_SCALED_TAG} ${live.lastScaled}`;
  return { elapsed: Math.max(0, elapsed), left: cooldown - Math.max(0, elapsed), since };
}

function serviceChange(
  input: ServiceInput,
  live: LiveEcsService,
  desired: number,
  reason: string,
  checks: readonly EventCheck[],
): Change {
  const { cluster, service, now } = input;
  const change = makeChange({
    address: service.address,
    type: 'ecs_service',
    action: 'update',
    id: service.name,
    origin: service.origin,
    before: { desired: live.desired },
    after: { desired },
    reason: `${reason} (running ${live.running}${live.pending > 0 ? `, pending ${live.pending}` : ''})`,
    scope: cluster.scope,
    operation: {
      kind: 'update_service',
      cluster: cluster.name,
      service: service.name,
      serviceArn: live.arn,
      desired,
      scaledAt: now.toISOString(),
    },
  });
  const metricDecisions = checks.map((check): MetricDecision => {
    const series = eventSeries(input, check);
    return {
      metric: check.metric,
      value: check.value,
      rule: { min: check.min, max: check.max, action: check.action },
      ...(series === undefined ? {} : { series }),
    };
  });
  return metricDecisions.length === 0 ? change : { ...change, decisions: metricDecisions };
}

/**
 * The event's metric over time, for its chart: a bare alias is its series; an expression
 * (`max([cpu, mem])`) is evaluated at every time all its inputs have a datapoint. Undefined when
 * an input has no series or the times never meet.
 */
function eventSeries(input: ServiceInput, check: EventCheck): readonly MetricPoint[] | undefined {
  const event = input.service.events.find((e) => e.index === check.index);
  if (event === undefined) return undefined;
  const byAlias = new Map<string, Map<string, number>>();
  for (const alias of event.metric.variables) {
    const spec = input.service.metrics.find((m) => m.alias === alias);
    const reading = spec === undefined ? undefined : input.metrics.get(spec.key);
    const series = reading?.known ? reading.value.series : undefined;
    if (series === undefined) return undefined;
    byAlias.set(alias, new Map(series.map((p) => [p.at, p.value])));
  }
  const [first, ...rest] = [...byAlias.values()];
  if (first === undefined) return undefined;
  const points: MetricPoint[] = [];
  for (const at of [...first.keys()].sort()) {
    if (!rest.every((s) => s.has(at))) continue;
    const values = Object.fromEntries([...byAlias].map(([alias, s]) => [alias, s.get(at) as number]));
    try {
      points.push({ at, value: event.metric.evaluate(values) });
    } catch {
      // A datapoint the expression cannot take (e.g. a division by zero) is left out of the chart.
    }
  }
  return points.length === 0 ? undefined : points;
}
