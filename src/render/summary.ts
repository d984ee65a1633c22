/** The one line every rendering starts with (Terraform's, Atlantis'): counts, then what is held back. */
import type { ApplyReport, Plan } from '../model.ts';

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  if (plan.changes.length === 0 && s.blocked === 0) {
    return plan.errors.length === 0
      ? 'No changes.'
      : `No changes planned; ${count(plan.errors.length, 'error')}.`;
  }
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.delete} to delete`];
  if (s.register > 0) parts.push(`${s.register} to register`);
  if (s.deregister > 0) parts.push(`${s.deregister} to deregister`);
  let line = `Plan: ${parts.join(', ')}.`;
  if (s.blocked > 0) line += ` ${s.blocked} blocked.`;
  if (plan.errors.length > 0) line += ` ${count(plan.errors.length, 'error')}.`;
  return line;
}

export function applyLine(report: ApplyReport): string {
  const parts = [`${report.applied} applied`, `${report.failed} failed`, `${report.skipped} skipped`];
  const blocked = report.plan.blocked.length;
  return `Apply: ${parts.join(', ')}${blocked > 0 ? `, ${blocked} blocked` : ''}.`;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `clusters/web.yml:12`, or nothing when the object is not in the YAML. */
export function place(item: { file?: string; line?: number }): string | undefined {
  if (item.file === undefined) return undefined;
  return item.line === undefined ? item.file : `${item.file}:${item.line}`;
}
