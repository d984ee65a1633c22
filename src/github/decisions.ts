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

const MAX_POINTS = 30;

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

/** The metrics behind one change as Markdown (a small table, and charts where there is a series). */
export function decisionsMarkdown(change: Change): string {
  const decisions = decisionsOf(change);
  if (decisions.length === 0) return '';
  const rows = decisions.map((d) => {
    const value = d.value === null ? 'unknown' : formatNumber(d.value);
    const rule = d.rule === undefined ? 'no rule matched' : ruleText(d.rule);
    return `| ${code(truncate(d.metric, 200))} | ${value} | ${cell(rule)} |`;
  });
  const charts = decisions.map(chart).filter((c) => c !== '');
  return [
    `**${escapeInline(change.id)}**: why`,
    '',
    '| Metric | Value | Rule |',
    '|---|---|---|',
    ...rows,
    ...charts.flatMap((c) => ['', c]),
  ].join('\n');
}

/** A Mermaid xychart of the metric with the rule's bounds as flat lines; '' without a series. */
export function chart(decision: MetricDecision): string {
  const points = (decision.series ?? []).filter((p) => Number.isFinite(p.value)).slice(-MAX_POINTS);
  if (points.length < 2) return '';
  const labels = points.map((p) => JSON.stringify(timeLabel(p.at)));
  const values = points.map((p) => formatNumber(p.value));
  const lines = [`    line [${values.join(', ')}]`];
  for (const bound of [decision.rule?.min, decision.rule?.max]) {
    if (typeof bound === 'number' && Number.isFinite(bound)) {
      lines.push(`    line [${points.map(() => formatNumber(bound)).join(', ')}]`);
    }
  }
  const title = truncate(decision.metric, 60).replace(/["`\\]/g, "'");
  const body = [
    'xychart-beta',
    `    title "${title}"`,
    `    x-axis [${labels.join(', ')}]`,
    `    y-axis "${title}"`,
    ...lines,
  ].join('\n');
  return fence(body, 'mermaid');
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

/** The decision's word for the table (`scale` says which way). */
export function outcomeText(decision: ScalingDecision): string {
  if (decision.outcome === 'scale' && decision.before !== null && decision.after !== null) {
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

/** `queue_length = 12, cpu_usage = 40.5`; an unread metric shows as `unknown`. */
export function metricsText(decision: ScalingDecision): string {
  const entries = Object.entries(decision.metrics);
  if (entries.length === 0) return '';
  return entries
    .map(([name, value]) => `${name} = ${value === null ? 'unknown' : formatNumber(value)}`)
    .join(', ');
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
