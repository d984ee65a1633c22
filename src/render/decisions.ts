/**
 * The ECS decisions of a plan (issue 4): for every service and cluster capacity the YAML names,
 * its count before → after and why (metric values, the event that fired, cooldown, no data), in
 * text, Markdown and JSON. The decisions are data on the Plan; these only lay them out.
 */
import type { DecisionOutcome, Plan, ScalingDecision } from '../model.ts';
import { place } from './summary.ts';

const OUTCOME_TEXT: Readonly<Record<DecisionOutcome, string>> = {
  scale: 'scale',
  unchanged: 'unchanged',
  cooldown: 'cooldown',
  no_data: 'no data',
  unknown: 'not read',
  missing: 'missing',
  disabled: 'disabled',
};

/** `2 → 3`, `2`, or `-` when not known. */
export function countText(d: ScalingDecision): string {
  if (d.before === null && d.after === null) return '-';
  if (d.before === null) return `→ ${d.after}`;
  if (d.after === null || d.after === d.before) return String(d.before);
  return `${d.before} → ${d.after}`;
}

/** `queue_length = 12, cpu_usage = ?`; '' when the decision reads no metrics. */
export function metricsText(d: ScalingDecision): string {
  return Object.entries(d.metrics)
    .map(([alias, value]) => `${alias} = ${value === null ? '?' : formatNumber(value)}`)
    .join(', ');
}

export function outcomeText(outcome: DecisionOutcome): string {
  return OUTCOME_TEXT[outcome];
}

/** Lines for the text rendering's `ECS decisions:` section ([] when there are none). */
export function decisionLines(plan: Plan): string[] {
  const decisions = plan.decisions ?? [];
  if (decisions.length === 0) return [];
  const out = ['', 'ECS decisions:'];
  for (const d of decisions) {
    const where = place(d);
    out.push(
      `  ${d.address}: ${countText(d)} [${outcomeText(d.outcome)}]${where === undefined ? '' : `  (${where})`}`,
    );
    const metrics = metricsText(d);
    if (metrics !== '') out.push(`      metrics: ${metrics}`);
    out.push(`      # ${d.reason}`);
  }
  return out;
}

/** The decisions as the JSON plan carries them (`decisions`, present when there are any). */
export function decisionsDocument(plan: Plan): Record<string, unknown> {
  const decisions = plan.decisions ?? [];
  if (decisions.length === 0) return {};
  return {
    decisions: decisions.map((d) => ({
      kind: d.kind,
      address: d.address,
      id: d.id,
      cluster: d.cluster,
      file: d.file ?? null,
      line: d.line ?? null,
      outcome: d.outcome,
      metrics: d.metrics,
      events: d.events.map((e) => ({
        index: e.index,
        metric: e.metric,
        value: e.value,
        min: e.min,
        max: e.max,
        action: e.action,
        result: e.result,
      })),
      before: d.before,
      after: d.after,
      reason: d.reason,
    })),
  };
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
