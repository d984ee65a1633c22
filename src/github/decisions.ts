/**
 * ECS scaling decisions in the plan comment and the summary:
 *
 * - per cluster, a table of every service (and the cluster's capacity) the YAML names, from
 *   `Plan.decisions`: what was decided (scale, unchanged, cooldown, no data, ...), the task count
 *   now and planned, every metric alias with its value, and the event rule that fired;
 * - under a change, `Change.decisions` (the metrics behind it) with a small Mermaid chart of the
 *   metric against the rule's bounds when the planner kept recent datapoints; GitHub renders
 *   Mermaid in comments and job summaries.
 */
import type { Change, EventCheck, MetricDecision, ScalingDecision } from '../model.ts';
import { cell, code, escapeInline, fence, truncate } from './markdown.ts';

export type { MetricDecision } from '../model.ts';

/** The decisions a change carries ([] when none). */
export function decisionsOf(change: Change): readonly MetricDecision[] {
  return (change.decisions ?? []).filter((d) => typeof d.metric === 'string');
}

/**
 * The most recent points charted: one x-axis label each, and xychart has no way to thin its
 * labels; at 12 they stay readable in a comment's width (an hour at CloudWatch's 5-minute period).
 */
const MAX_POINTS = 12;

/** `x ≥ 5 → +1 task`, `x ≤ 0.2 → -1 task`, `5 ≤ x ≤ 10 → +2 tasks`. */
export function ruleText(rule: {
  readonly min: number | null;
  readonly max: number | null;
  readonly action: number;
}): string {
  const { min, max } = rule;
  const range =
    min !== null && max !== null
      ? `${min} ≤ x ≤ ${max}`
      : min !== null
        ? `x ≥ ${min}`
        : max !== null
          ? `x ≤ ${max}`
          : 'any x';
  const action = rule.action > 0 ? `+${rule.action}` : String(rule.action);
  return `${range} → ${action} task${Math.abs(rule.action) === 1 ? '' : 's'}`;
}

/** The metrics behind one change as Markdown (a small table, and a chart per metric with a series). */
export function decisionsMarkdown(change: Change): string {
  const decisions = decisionsOf(change);
  if (decisions.length === 0) return '';
  const rows = decisions.map((d) => {
    const value = d.value === null ? 'unknown' : formatNumber(d.value);
    const rule = d.rule === undefined ? 'no rule matched' : ruleText(d.rule);
    return `| ${code(truncate(d.metric, 200))} | ${value} | ${cell(rule)} |`;
  });
  const byMetric = new Map<string, MetricDecision[]>();
  for (const d of decisions) byMetric.set(d.metric, [...(byMetric.get(d.metric) ?? []), d]);
  const charts = [...byMetric.values()].map(chart).filter((c) => c !== '');
  return [
    `**${escapeInline(displayName(change))}**: why`,
    '',
    '| Metric | Value | Rule |',
    '|---|---|---|',
    ...rows,
    ...charts.flatMap((c) => ['', c]),
  ].join('\n');
}

function displayName(change: Change): string {
  return change.type === 'ecs_container_instance' && change.id.startsWith('arn:')
    ? change.id.slice(change.id.lastIndexOf('/') + 1)
    : change.id;
}

/**
 * Line colours, first the metric's, then each bound's: mid-tone hues (from GitHub's Primer
 * palettes) that keep their contrast on the white of the light theme and on the near-black of the
 * dark one (checked with scripts/screenshot-comment.ts); Mermaid's default palette draws the first
 * line in a pale colour that vanishes on light.
 */
export const CHART_COLOURS: readonly { readonly hex: string; readonly square: string }[] = [
  { hex: '#2f81f7', square: '🟦' },
  { hex: '#e5534b', square: '🟥' },
  { hex: '#2da44e', square: '🟩' },
  { hex: '#a371f7', square: '🟪' },
  { hex: '#db6d28', square: '🟧' },
  { hex: '#bf8700', square: '🟨' },
];

/**
 * A Mermaid xychart of one metric (an alias or an expression's computed value) with the bound of
 * every rule that reads it as a flat line, and a legend under it: xychart has no legend or line
 * labels of its own, so each line's colour is set (init directive) and named with a matching
 * coloured square. '' without a series of at least two points.
 */
export function chart(decisions: readonly MetricDecision[]): string {
  const first = decisions.find((d) => (d.series ?? []).length >= 2);
  if (first === undefined) return '';
  const points = (first.series ?? []).filter((p) => Number.isFinite(p.value)).slice(-MAX_POINTS);
  if (points.length < 2) return '';
  const lines: { values: string; label: string }[] = [
    { values: points.map((p) => formatNumber(p.value)).join(', '), label: first.metric },
  ];
  const seen = new Set<string>();
  for (const d of decisions) {
    if (d.rule === undefined) continue;
    const action = `${d.rule.action > 0 ? '+' : ''}${d.rule.action}`;
    for (const [bound, word] of [
      [d.rule.min, '≥'],
      [d.rule.max, '≤'],
    ] as const) {
      if (typeof bound !== 'number' || !Number.isFinite(bound)) continue;
      const label = `${word} ${formatNumber(bound)} → ${action}`;
      if (seen.has(label) || lines.length >= CHART_COLOURS.length) continue;
      seen.add(label);
      lines.push({ values: points.map(() => formatNumber(bound)).join(', '), label });
    }
  }
  const palette = lines.map((_, i) => CHART_COLOURS[i]?.hex).join(', ');
  const title = truncate(first.metric, 60).replace(/["`\\]/g, "'");
  const body = [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `    title "${title}"`,
    `    x-axis [${points.map((p) => JSON.stringify(timeLabel(p.at))).join(', ')}]`,
    `    y-axis "${title}"`,
    ...lines.map((l) => `    line [${l.values}]`),
  ].join('\n');
  const legend = lines
    .map(
      (l, i) =>
        `${CHART_COLOURS[i]?.square ?? ''} ${i === 0 ? code(truncate(l.label, 60)) : escapeInline(l.label)}`,
    )
    .join(' · ');
  return `${fence(body, 'mermaid')}\n\nLines: ${legend} (times in UTC)`;
}

const OUTCOME_TEXT: Readonly<Record<ScalingDecision['outcome'], string>> = {
  scale: '⬆️⬇️ scale',
  unchanged: 'unchanged',
  cooldown: '⏳ cooldown',
  no_data: '⚠️ no data',
  unknown: '⚠️ unknown',
  missing: '❌ missing',
  disabled: 'disabled',
};

/**
 * The charts of a decision's event metrics (one per metric, every rule reading it drawn), with a
 * bold name over them; '' when the planner kept no series.
 */
export function decisionCharts(decision: ScalingDecision): string {
  const charts = Object.entries(decision.series ?? {}).map(([metric, series]) =>
    chart(
      decision.events
        .filter((e) => e.metric === metric)
        .map((e) => ({ metric, value: e.value, rule: { min: e.min, max: e.max, action: e.action }, series })),
    ),
  );
  const drawn = charts.filter((c) => c !== '');
  if (drawn.length === 0) return '';
  return [`**${escapeInline(decision.id)}**: ${escapeInline(outcomeText(decision))}`, ...drawn].join('\n\n');
}

/**
 * The decision's word for the table, named for what happens: a scale says which way; a capacity
 * "scaled" with its count unchanged is a drain (the instance goes on a later run); a service moved
 * with no event fired was brought back inside its bounds, whatever its metrics say.
 */
export function outcomeText(decision: ScalingDecision): string {
  if (decision.outcome === 'scale' && decision.before !== null && decision.after !== null) {
    if (decision.after === decision.before) return decision.kind === 'ecs_capacity' ? '🔻 drain' : 'scale';
    if (decision.kind === 'ecs_service' && !decision.events.some((e) => e.result === 'fired'))
      return '↕️ bound correction';
    return decision.after > decision.before ? '⬆️ scale out' : '⬇️ scale in';
  }
  return OUTCOME_TEXT[decision.outcome];
}

/** `2 → 3`, `2`, `?`. */
export function countText(decision: ScalingDecision): string {
  const show = (n: number | null) => (n === null ? '?' : String(n));
  return decision.before === decision.after
    ? show(decision.before)
    : `${show(decision.before)} → ${show(decision.after)}`;
}

/**
 * `cpu = 15, mem = 40 → max([cpu, mem]) = 40`: the inputs, then the value each expression event
 * computed from them (the number its rule compared). An unread metric shows as `unknown`.
 */
export function metricsText(decision: ScalingDecision): string {
  const entries = Object.entries(decision.metrics);
  const inputs = entries
    .map(([name, value]) => `${name} = ${value === null ? 'unknown' : formatNumber(value)}`)
    .join(', ');
  const computed = new Map<string, number>();
  for (const e of decision.events) {
    const metric = e.metric.trim();
    if (!(metric in decision.metrics)) computed.set(metric, e.value);
  }
  if (computed.size === 0) return inputs;
  const values = [...computed].map(([metric, value]) => `${metric} = ${formatNumber(value)}`).join(', ');
  return inputs === '' ? values : `${inputs} → ${values}`;
}

/** The event that decided (fired, or would have but the count is at its bound), as text. */
export function firedText(decision: ScalingDecision): string {
  const decisive = decision.events.find((e) => e.result !== 'no_match');
  if (decisive === undefined) return decision.events.length === 0 ? '' : 'no event matched';
  return eventText(decisive);
}

function eventText(event: EventCheck): string {
  const at = event.line === undefined ? '' : ` (line ${event.line})`;
  const bound = event.result === 'at_bound' ? ', already at the bound' : '';
  return `${event.metric} = ${formatNumber(event.value)}: ${ruleText(event)}${bound}${at}`;
}

/** One table row per decision. */
export function decisionRow(decision: ScalingDecision): string {
  const cells = [
    code(truncate(decision.id, 200)),
    decision.kind === 'ecs_capacity' ? 'capacity' : 'service',
    cell(outcomeText(decision)),
    cell(countText(decision)),
    cell(truncate(metricsText(decision), 400)),
    cell(truncate(firedText(decision), 400)),
    cell(truncate(decision.reason, 400)),
  ];
  return `| ${cells.join(' | ')} |`;
}

export const DECISION_HEADER =
  '| Name | Kind | Decision | Count | Metrics | Rule | Why |\n|---|---|---|---|---|---|---|';

function timeLabel(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at.slice(0, 16) : date.toISOString().slice(11, 16);
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
