/** A change as field lines and a headline, shared by the text and Markdown renderings. */
import type { Change, ChangeAction, ChangeResult, Plan, ScalingDecision } from '../model.ts';
import { formatValue } from '../plan/format.ts';
import { targetGroupName } from '../plan/prune/common.ts';

export const ACTION_SIGN: Readonly<Record<ChangeAction, string>> = {
  create: '+',
  update: '~',
  delete: '-',
  register: '+',
  deregister: '-',
};

export interface FieldLine {
  readonly sign: '+' | '-' | '~' | ' ';
  readonly key: string;
  readonly text: string;
}

/**
 * Created fields as `+`, deleted as `-`, updated as `~ key: old → new`. A field the same on both
 * sides is left out: it is context the planner kept (the instance a drain acts on), not a change,
 * and `~ instance: i-20e… → i-20e…` reads as one.
 */
export function fieldLines(change: Change): FieldLine[] {
  const { before, after } = change;
  if (before === null && after === null) return [];
  if (before === null)
    return Object.entries(after ?? {}).map(([k, v]) => ({ sign: '+', key: k, text: formatValue(v) }));
  if (after === null)
    return Object.entries(before).map(([k, v]) => ({ sign: '-', key: k, text: formatValue(v) }));
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys
    .filter((k) => formatValue(before[k]) !== formatValue(after[k]))
    .map((k) => ({ sign: '~', key: k, text: `${formatValue(before[k])} → ${formatValue(after[k])}` }));
}

/**
 * What the object is called for a reader: a container instance by its EC2 instance id (its ARN
 * is 90 characters and widens every table it is in), an attachment by its group and what is
 * attached; everything else by its AWS name.
 */
export function displayId(change: Change): string {
  const op = change.operation;
  if (op.kind === 'drain_container_instance') return op.instanceId;
  // Several attachments of one group read apart: `web-asg (target group web)`.
  if (op.kind === 'attach_to_group' || op.kind === 'detach_from_group') {
    const name = op.target.startsWith('arn:') ? targetGroupName(op.target) : op.target;
    return `${op.group} (${op.attachment === 'target_group' ? 'target group' : 'load balancer'} ${name})`;
  }
  // A pruned one may have no EC2 instance left: the container instance's own id, the ARN's tail.
  if (change.type === 'ecs_container_instance' && change.id.startsWith('arn:'))
    return change.id.slice(change.id.lastIndexOf('/') + 1);
  return change.id;
}

/**
 * The action named for what happens to the object, not for the API verb: a service scaled out or
 * in (or brought back inside its bounds, which is not a metric's doing), an instance drained or
 * terminated, a registry entry pruned. `decision` is the service's, when the plan has one.
 */
export function changeVerb(change: Change, decision?: ScalingDecision): string {
  const op = change.operation;
  switch (op.kind) {
    case 'update_service': {
      const from = Number(change.before?.desired);
      const to = Number(change.after?.desired);
      const fired = decision?.events.some((e) => e.result === 'fired') ?? true;
      if (!fired) return 'bound correction';
      return to > from ? 'scale out' : to < from ? 'scale in' : 'update';
    }
    case 'drain_container_instance':
      return 'drain';
    case 'terminate_instance':
      return 'terminate';
    case 'delete_registry_entry':
      return 'prune';
    case 'register_registry_entry':
      return 'add';
    case 'attach_to_group':
      return 'attach';
    case 'detach_from_group':
      return op.attached ? 'detach' : 'untag';
    default:
      return change.action;
  }
}

/** The ECS decision behind a change (same address), when the plan has one. */
export function decisionFor(plan: Plan, change: Change): ScalingDecision | undefined {
  return plan.decisions?.find((d) => d.address === change.address);
}

/** `~ scale out ecs_service web`, `- terminate instance i-0abc`. */
export function headline(change: Change, decision?: ScalingDecision): string {
  return `${ACTION_SIGN[change.action]} ${changeVerb(change, decision)} ${change.type} ${displayId(change)}`;
}

export function resultText(result: ChangeResult): string {
  switch (result.status) {
    case 'applied':
      return result.note === undefined ? 'applied' : `applied (${result.note})`;
    case 'failed':
      return `FAILED: ${result.error}`;
    case 'skipped':
      return `skipped: ${result.why}`;
  }
}
