/**
 * apply: executes a Plan. Blocked changes never run; the rest run in dependency order (a group
 * before its policies, a policy before the alarm that runs it, an alarm's deletion before its
 * policy's), independent ones in parallel. Every change ends applied, failed or skipped.
 */
import type { RunDeadline } from '../deadline.ts';
import type { ApplyReport, Change, ChangeResult, Operation, OperationKind, Plan } from '../model.ts';
import type { ClientsFor } from '../observe/index.ts';
import { attachToGroup, detachFromGroup } from './attachments.ts';
import { drainContainerInstance, terminateInstance, updateService } from './ecs.ts';
import {
  createGroup,
  deleteAlarm,
  deletePolicy,
  deleteSchedule,
  type ExecContext,
  type ExecOutcome,
  putAlarm,
  putPolicy,
  putSchedule,
  updateGroup,
} from './groups.ts';
import { runInOrder } from './order.ts';
import { pruneContainerInstance } from './prune.ts';
import { deleteRegistryEntry, registerRegistryEntry } from './registries.ts';
import { batchTargetChanges, deregisterTargets, expandBatches, registerTargets } from './targets.ts';

/** Writes in flight at once: AWS's write rates are lower than its read rates. */
export const WRITE_CONCURRENCY = 4;

type Executors = {
  readonly [K in OperationKind]: (
    op: Extract<Operation, { kind: K }>,
    ctx: ExecContext,
  ) => Promise<ExecOutcome>;
};

const EXECUTORS: Executors = {
  create_group: createGroup,
  update_group: updateGroup,
  attach_to_group: attachToGroup,
  detach_from_group: detachFromGroup,
  put_policy: putPolicy,
  delete_policy: deletePolicy,
  put_alarm: putAlarm,
  delete_alarm: deleteAlarm,
  put_schedule: putSchedule,
  delete_schedule: deleteSchedule,
  update_service: updateService,
  drain_container_instance: drainContainerInstance,
  terminate_instance: terminateInstance,
  register_targets: registerTargets,
  deregister_targets: deregisterTargets,
  prune_container_instance: pruneContainerInstance,
  delete_registry_entry: deleteRegistryEntry,
  register_registry_entry: registerRegistryEntry,
};

export interface ApplyOptions {
  readonly concurrency?: number;
  /** Past it no change starts (deadline.ts). */
  readonly deadline?: RunDeadline;
}

export async function applyPlan(
  plan: Plan,
  clientsFor: ClientsFor,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  const arns = new Map<string, string>();
  const blocked = new Set(plan.blocked.map((b) => b.address));
  const runnable = plan.changes.filter((c) => !blocked.has(c.address));
  // One RegisterTargets / DeregisterTargets call per target group batch (issue 5).
  const batched = batchTargetChanges(runnable);
  const results = await runInOrder(
    batched.units,
    blocked,
    options.concurrency ?? WRITE_CONCURRENCY,
    async (change) => {
      const outcome = await execute(change, { clients: clientsFor(change.scope), arnOf: (a) => arns.get(a) });
      if (outcome.arn !== undefined) arns.set(change.address, outcome.arn);
      return outcome.note;
    },
    options.deadline,
  );
  expandBatches(results, batched.members);
  for (const address of blocked) {
    if (plan.changes.some((c) => c.address === address)) {
      results.set(address, { status: 'skipped', why: 'blocked by a guard' });
    }
  }
  const count = (status: ChangeResult['status']): number =>
    [...results.values()].filter((r) => r.status === status).length;
  return { plan, results, applied: count('applied'), failed: count('failed'), skipped: count('skipped') };
}

function execute(change: Change, ctx: ExecContext): Promise<ExecOutcome> {
  const executor = EXECUTORS[change.operation.kind] as (
    op: Operation,
    ctx: ExecContext,
  ) => Promise<ExecOutcome>;
  return executor(change.operation, ctx);
}

/** Exit status 1 material: a change failed or was skipped, or a guard blocked one. */
export function applySucceeded(report: ApplyReport): boolean {
  return report.failed === 0 && report.skipped === 0 && report.plan.blocked.length === 0;
}
