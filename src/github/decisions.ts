/**
 * ECS scaling decisions in the plan comment: which metric rule fired, with the metric's value, and
 * (when the planner kept the recent datapoints) a small Mermaid chart of the metric against the
 * rule's bounds, which GitHub renders in comments and job summaries.
 *
 * The hook: a Change may carry `decisions` (see {@link MetricDecision}). The model does not
 * declare that field yet (ECS planning is not built); the ECS planner can add
 * `readonly decisions?: readonly MetricDecision[]` to `Change` in model.ts and fill it, and this
 * module shows it without further changes. Until then every change simply has none, and its
 * `reason` (shown in the table) carries the explanation.
 */
import type { Change } from '../model.ts';
import { cell, code, escapeInline, fence, truncate } from './markdown.ts';

export interface MetricPoint {
  /** ISO 8601 instant. */
  readonly at: string;
  readonly value: number;
}

export interface MetricDecision {
  /** The metric alias or expression as the YAML writes it, e.g. `queue_length` or `max(a, b / 10)`. */
  readonly metric: string;
  /** Its value now; null when it could not be read (then no rule fired on it). */
  readonly value: number | null;
  /** The event rule that matched (first match wins), if any: bounds inclusive, null unbounded. */
  readonly rule?: { readonly min: number | null; readonly max: number | null; readonly action: number };
  /** Recent datapoints, oldest first: the chart is drawn from these. */
  readonly series?: readonly MetricPoint[];
}

/** The decisions a change carries; [] when none or when the data is not of the expected shape. */
export function decisionsOf(change: Change): readonly MetricDecision[] {
  const raw = (change as unknown as { readonly decisions?: unknown }).decisions;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isDecision);
}

function isDecision(value: unknown): value is MetricDecision {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  if (typeof d.metric !== 'string') return false;
  if (d.value !== null && typeof d.value !== 'number') return false;
  if (d.series !== undefined && !Array.isArray(d.series)) return false;
  return true;
}

const MAX_POINTS = 30;

/** `5 ≤ x`, `x ≤ 0.2`, `5 ≤ x ≤ 10`, `any`. */
export function ruleText(rule: NonNullable<MetricDecision['rule']>): string {
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

/** The decisions of one change as Markdown (a small table, and charts where there is a series). */
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

function timeLabel(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at.slice(0, 16) : date.toISOString().slice(11, 16);
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
