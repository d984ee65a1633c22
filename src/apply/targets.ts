/**
 * Target registration in as few calls as possible. The plan has one change per target (so the
 * reader and the report see each one); before running, apply merges the register (and the
 * deregister) changes of one target group into batches of TARGETS_PER_CALL, each run as one
 * RegisterTargets / DeregisterTargets call whose outcome is every member's outcome. Changes that
 * depended on a member depend on its batch.
 */
import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk } from '../aws/batch.ts';
import {
  type Change,
  type ChangeResult,
  type DeregisterTargetsOperation,
  type RegisterTargetsOperation,
  scopeKey,
  type TargetSpec,
} from '../model.ts';
import type { ExecContext, ExecOutcome } from './groups.ts';

/**
 * ELBv2 documents no per-call maximum for RegisterTargets / DeregisterTargets; 100 is the
 * largest batch other AWS target APIs take (VPC Lattice) and well under the 1,000 targets a
 * target group holds.
 */
export const TARGETS_PER_CALL = 100;

const BATCH_PREFIX = 'batch:';

export async function registerTargets(
  op: RegisterTargetsOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  await clients.elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: op.targetGroupArn, Targets: targets(op.targets) }),
  );
  return {};
}

export async function deregisterTargets(
  op: DeregisterTargetsOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  try {
    await clients.elbv2.send(
      new DeregisterTargetsCommand({ TargetGroupArn: op.targetGroupArn, Targets: targets(op.targets) }),
    );
  } catch (error) {
    // A retry after a lost answer (or another run) finds the targets already deregistered, and
    // ELBv2 answers InvalidTarget: done if none of them is registered any more.
    if (!(error instanceof Error && error.name === 'InvalidTargetException')) throw error;
    const health = await clients.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: op.targetGroupArn }),
    );
    const registered = health.TargetHealthDescriptions ?? [];
    const still = (t: TargetSpec) =>
      registered.some((d) => d.Target?.Id === t.id && (t.port === undefined || d.Target.Port === t.port));
    if (op.targets.some(still)) throw error;
  }
  return {};
}

function targets(list: readonly TargetSpec[]) {
  return list.map((t) => ({ Id: t.id, ...(t.port === undefined ? {} : { Port: t.port }) }));
}

export interface Batched {
  /** What to run: the changes that are not targets, and one change per batch of targets. */
  readonly units: Change[];
  /** Batch address → the addresses of its members. */
  readonly members: ReadonlyMap<string, readonly string[]>;
}

export function batchTargetChanges(changes: readonly Change[], size: number = TARGETS_PER_CALL): Batched {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const op = change.operation;
    if (op.kind !== 'register_targets' && op.kind !== 'deregister_targets') continue;
    const key = `${op.kind}\u0000${scopeKey(change.scope)}\u0000${op.targetGroupArn}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  const batchOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  const firstOf = new Map<string, Change>();
  let n = 0;
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    for (const part of chunk(list, size)) {
      const first = part[0] as Change;
      const op = first.operation as RegisterTargetsOperation | DeregisterTargetsOperation;
      const address = `${BATCH_PREFIX}${n++}:${op.kind}:${op.targetGroupArn}`;
      const batch: Change = {
        ...first,
        address,
        id: `${part.length} targets`,
        dependsOn: [...new Set(part.flatMap((c) => c.dependsOn))],
        operation: { ...op, targets: part.flatMap((c) => (c.operation as typeof op).targets) },
      };
      members.set(
        address,
        part.map((c) => c.address),
      );
      firstOf.set(first.address, batch);
      for (const c of part) batchOf.set(c.address, address);
    }
  }
  if (members.size === 0) return { units: [...changes], members };
  const units: Change[] = [];
  for (const change of changes) {
    const batchAddress = batchOf.get(change.address);
    const unit = batchAddress === undefined ? change : firstOf.get(change.address);
    if (unit === undefined) continue;
    const dependsOn = [
      ...new Set(unit.dependsOn.map((d) => batchOf.get(d) ?? d).filter((d) => d !== unit.address)),
    ];
    units.push({ ...unit, dependsOn });
  }
  return { units, members };
}

/** Gives every member its batch's result and drops the batches' own entries. */
export function expandBatches(
  results: Map<string, ChangeResult>,
  members: ReadonlyMap<string, readonly string[]>,
): Map<string, ChangeResult> {
  for (const [batch, addresses] of members) {
    const result = results.get(batch);
    results.delete(batch);
    if (result === undefined) continue;
    for (const address of addresses) results.set(address, result);
  }
  return results;
}
