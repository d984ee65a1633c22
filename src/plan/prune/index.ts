/**
 * planPrune: targets (register what is live, deregister what is gone) and the `prune:` kinds
 * (ECS container instances, instance alarms, registry entries: deleted when stale, added when
 * missing), each kind of each prune section
 * under its own prune.max guard. Pure.
 *
 * Fail closed: a kind whose entries could not be read prunes nothing, and when the instances
 * could not be read nothing at all is pruned in that scope. Either is a plan error (unknown is
 * never empty, and never quiet): apply still applies everything else, then exits 1.
 */
import {
  type BlockedChange,
  type Change,
  type Desired,
  type Live,
  type PlanMessage,
  scopeKey,
} from '../../model.ts';
import { planTargets } from '../targets/index.ts';
import { addRegistryEntries } from './adds.ts';
import { PruneBook } from './book.ts';
import { where } from './common.ts';
import { type KindContext, pruneContainerInstances, pruneInstanceAlarms, pruneRegistry } from './kinds.ts';

export interface PruneResult {
  readonly changes: Change[];
  readonly blocked: BlockedChange[];
  readonly warnings: PlanMessage[];
  readonly errors: PlanMessage[];
}

export function planPrune(
  desired: Desired,
  live: Live,
  now: Date,
  /** Target groups the plan attaches to groups (plan/groups): AWS registers their instances. */
  attaching: ReadonlySet<string> = new Set(),
): PruneResult {
  const book = new PruneBook();
  planTargets(desired, live, now, book, attaching);
  const claimed = new Map<string, Set<string>>();
  for (const prune of desired.prune ?? []) {
    const at = { address: prune.address, origin: prune.origin };
    const enabled =
      prune.ecsContainerInstances || prune.instanceAlarms !== undefined || prune.registries.length > 0;
    if (!enabled) continue;
    const key = scopeKey(prune.scope);
    const registrations = live.scopes.get(key)?.registrations;
    if (registrations === undefined) {
      book.error(`prune of cluster ${prune.cluster} was not read from AWS`, at);
      continue;
    }
    if (!registrations.instances.known) {
      const text = `instances in ${where(prune.scope)} could not be read (${registrations.instances.reason}); nothing of cluster ${prune.cluster} is pruned this run`;
      // Only optional registries depend on it: as quiet as their own failure would be.
      const onlyOptional =
        !prune.ecsContainerInstances &&
        prune.instanceAlarms === undefined &&
        prune.registries.every((r) => r.optional);
      if (onlyOptional) book.warn(text, at);
      else book.error(text, at);
      continue;
    }
    const scopeClaims = claimed.get(key) ?? new Set<string>();
    claimed.set(key, scopeClaims);
    const ctx: KindContext = {
      prune,
      registrations,
      instances: registrations.instances.value,
      now,
      book,
      claimed: scopeClaims,
      groups: live.scopes.get(key)?.groups ?? new Map(),
    };
    if (prune.ecsContainerInstances) pruneContainerInstances(ctx);
    pruneInstanceAlarms(ctx);
    for (const registry of prune.registries) {
      pruneRegistry(ctx, registry);
      addRegistryEntries(ctx, registry);
    }
  }
  const blocked = book.settle();
  return { changes: book.changes, blocked, warnings: book.warnings, errors: book.errors };
}
