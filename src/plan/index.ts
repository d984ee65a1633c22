/**
 * plan(desired, live, now): every planner's changes in one Plan, with the summary line's counts.
 * Pure, like each planner it calls.
 */
import type { Change, Desired, Live, Plan, PlanSummary } from '../model.ts';
import { planEcs } from './ecs/index.ts';
import { planGroups } from './groups/index.ts';
import { planPrune } from './prune/index.ts';

export function plan(desired: Desired, live: Live, now: Date): Plan {
  const groups = planGroups(desired, live, now);
  // Targets and stale registrations (issue 5): guarded removals come back blocked.
  const prune = planPrune(desired, live, now, groups.attaching);
  // ECS services and cluster capacity (issue 4), with a decision for each.
  const ecs = planEcs(desired, live, now);
  const changes = [...groups.changes, ...prune.changes, ...ecs.changes];
  const blocked: Plan['blocked'] = [...prune.blocked];
  return {
    changes,
    blocked,
    warnings: [...groups.warnings, ...prune.warnings, ...ecs.warnings],
    errors: [...groups.errors, ...prune.errors, ...ecs.errors],
    summary: summarize(changes, blocked.length),
    ...(ecs.decisions.length === 0 ? {} : { decisions: ecs.decisions }),
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
