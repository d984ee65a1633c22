/**
 * plan(desired, live, now): every planner's changes in one Plan, with the summary line's counts.
 * Pure, like each planner it calls.
 */
import type { Change, Desired, Live, Plan, PlanSummary } from '../model.ts';
import { planGroups } from './groups/index.ts';

export function plan(desired: Desired, live: Live, now: Date): Plan {
  const groups = planGroups(desired, live, now);
  const blocked: Plan['blocked'] = [];
  return {
    changes: groups.changes,
    blocked,
    warnings: groups.warnings,
    errors: groups.errors,
    summary: summarize(groups.changes, blocked.length),
  };
}

export function summarize(changes: readonly Change[], blocked: number): PlanSummary {
  const count = (action: Change['action']): number => changes.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    delete: count('delete'),
    register: count('register'),
    deregister: count('deregister'),
    blocked,
  };
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0 || plan.blocked.length > 0;
}
