/**
 * The plan for a terminal, like Terraform's: the summary line, then each change with its fields
 * (`~ min: 1 → 2`) and reason, then what was blocked, warnings and errors.
 */
import type { ApplyReport, Plan, PlanMessage } from '../model.ts';
import { decisionLines } from './decisions.ts';
import { decisionFor, fieldLines, headline, resultText } from './lines.ts';
import { applyLine, place, summaryLine } from './summary.ts';

export function renderText(plan: Plan, report?: ApplyReport): string {
  const out: string[] = [
    report === undefined ? summaryLine(plan) : `${summaryLine(plan)}\n${applyLine(report)}`,
  ];
  for (const change of plan.changes) {
    const where = place(change);
    out.push('');
    out.push(`  ${headline(change, decisionFor(plan, change))}${where === undefined ? '' : `  (${where})`}`);
    out.push(`      # ${change.address}: ${change.reason}`);
    for (const line of fieldLines(change)) out.push(`      ${line.sign} ${line.key}: ${line.text}`);
    const result = report?.results.get(change.address);
    if (result !== undefined) out.push(`      => ${resultText(result)}`);
  }
  out.push(...decisionLines(plan));
  section(
    out,
    'Blocked',
    plan.blocked.map(
      (b) => `${b.address}: ${b.reason}${b.change === undefined ? '' : ` (${b.change.reason})`}`,
    ),
  );
  section(out, 'Warnings', plan.warnings.map(messageText));
  section(out, 'Errors', plan.errors.map(messageText));
  return `${out.join('\n')}\n`;
}

export function messageText(m: PlanMessage): string {
  const where = place(m);
  return where === undefined ? m.message : `${where}: ${m.message}`;
}

function section(out: string[], title: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  out.push('', `${title}:`);
  for (const line of lines) out.push(`  ${line}`);
}
