/**
 * The three entry kinds of `prune:`: ECS container instances, instance alarms, registry entries.
 * A kind that could not be read prunes nothing and is a plan error (the run fails after the rest
 * is applied), except an `optional` registry and one not listed on purpose: those warn.
 */
import type {
  DesiredPrune,
  DesiredRegistry,
  Known,
  LiveContainerInstance,
  LiveGroup,
  LiveInstances,
  LiveRegistrations,
  PlaceholderValues,
  RegistryListing,
  RegistryRequestSpec,
} from '../../model.ts';
import { compilePattern, matchEntry } from '../../registries/match.ts';
import { placeholdersOfRequest } from '../../registries/placeholders.ts';
import { makeChange } from '../sink.ts';
import type { PruneBook } from './book.ts';
import { type Entry, pruneEntries } from './entries.ts';
import { fateOf } from './evidence.ts';
import { instanceValues, missingText } from './registry-values.ts';
import { sweepByMembership } from './sweep.ts';

export interface KindContext {
  readonly prune: DesiredPrune;
  readonly registrations: LiveRegistrations;
  readonly instances: LiveInstances;
  readonly now: Date;
  readonly book: PruneBook;
  /** Scope-wide `kind|id` keys already planned by an earlier file: one change per object. */
  readonly claimed: Set<string>;
  /** The scope's groups as read (registry adds and the membership sweep). */
  readonly groups: ReadonlyMap<string, Known<LiveGroup | null>>;
}

/**
 * ACTIVE container instances whose EC2 instance is gone, deregistered with force (their tasks
 * went with the instance). DRAINING ones are the capacity planner's; ECS Anywhere (`mi-`) and
 * other statuses are left alone.
 */
export function pruneContainerInstances(ctx: KindContext): void {
  const { prune, registrations, book } = ctx;
  const address = `${prune.address}/ecs_container_instances`;
  const read: Known<readonly LiveContainerInstance[] | null> = registrations.containerInstances.get(
    prune.cluster,
  ) ?? { known: false, reason: 'not read' };
  if (!read.known) {
    book.error(
      `container instances of cluster ${prune.cluster} could not be read (${read.reason}); none is deregistered this run`,
      { address, origin: prune.origin },
    );
    return;
  }
  const all = read.value;
  if (all === null) {
    book.warn(`ECS cluster ${prune.cluster} does not exist: no container instance to prune`, {
      address,
      origin: prune.origin,
    });
    return;
  }
  const entries: Entry[] = [];
  for (const ci of all) {
    const instanceId = ci.ec2InstanceId;
    if (ci.status !== 'ACTIVE' || instanceId === undefined || !instanceId.startsWith('i-')) continue;
    if (!claim(ctx, 'ecs', ci.arn)) continue;
    const shortId = ci.arn.split('/').pop() ?? ci.arn;
    const entryAddress = `${address}/${shortId}`;
    const fields = {
      cluster: prune.cluster,
      container_instance: ci.arn,
      status: ci.status,
      registered_at: ci.registeredAt ?? null,
      running_tasks: ci.runningTasks,
      agent_connected: ci.agentConnected ?? null,
    };
    entries.push({
      address: entryAddress,
      id: ci.arn,
      instanceId,
      ...(ci.registeredAt === undefined ? {} : { time: ci.registeredAt }),
      fields,
      label: `container instance ${shortId} (${instanceId})`,
      change: (evidence, before) =>
        makeChange({
          address: entryAddress,
          type: 'ecs_container_instance',
          action: 'deregister',
          id: ci.arn,
          origin: prune.origin,
          before,
          after: null,
          reason: `${evidence}; deregistered with force (its tasks went with it)`,
          scope: prune.scope,
          operation: {
            kind: 'prune_container_instance',
            cluster: prune.cluster,
            containerInstance: ci.arn,
            force: true,
          },
        }),
    });
  }
  const unit = {
    address,
    origin: prune.origin,
    noun: 'ECS container instances',
    limit: prune.max,
    limitOrigin: prune.maxOrigin,
  };
  book.entries(unit, all.length - entries.length);
  pruneEntries(prune, unit, ctx.instances, entries, ctx.now, book);
}

/** Alarms (with the prefix) whose InstanceId dimension names a gone instance. */
export function pruneInstanceAlarms(ctx: KindContext): void {
  const { prune, registrations, book } = ctx;
  if (prune.instanceAlarms === undefined) return;
  const { prefix } = prune.instanceAlarms;
  const address = `${prune.address}/instance_alarms`;
  const read = registrations.instanceAlarms.get(prefix) ?? { known: false as const, reason: 'not read' };
  const named = prefix === '' ? 'alarms' : `alarms named ${prefix}*`;
  if (!read.known) {
    book.error(`${named} could not be read (${read.reason}); none is deleted this run`, {
      address,
      origin: prune.origin,
    });
    return;
  }
  const entries: Entry[] = [];
  for (const alarm of read.value) {
    if (!claim(ctx, 'alarm', alarm.name)) continue;
    const entryAddress = `${address}/${alarm.name}`;
    entries.push({
      address: entryAddress,
      id: alarm.name,
      instanceId: alarm.instanceId,
      ...(alarm.updatedAt === undefined ? {} : { time: alarm.updatedAt }),
      fields: { alarm: alarm.name, updated_at: alarm.updatedAt ?? null },
      label: `alarm ${alarm.name}`,
      change: (evidence, before) =>
        makeChange({
          address: entryAddress,
          type: 'metric_alarm',
          action: 'delete',
          id: alarm.name,
          origin: prune.origin,
          before,
          after: null,
          reason: `its InstanceId dimension names a gone instance: ${evidence}`,
          scope: prune.scope,
          operation: { kind: 'delete_alarm', name: alarm.name },
        }),
    });
  }
  const unit = {
    address,
    origin: prune.origin,
    noun: 'instance alarms',
    limit: prune.max,
    limitOrigin: prune.maxOrigin,
  };
  book.entries(unit, read.value.length - entries.length);
  pruneEntries(prune, unit, ctx.instances, entries, ctx.now, book);
}

/**
 * Registry entries whose id maps (through `instance`) to a gone instance, or with `sweep:
 * membership` to a running one outside `for_groups` (sweep.ts); the rest are not ours. Adds are
 * adds.ts's. A registry without `delete` prunes nothing.
 */
export function pruneRegistry(ctx: KindContext, registry: DesiredRegistry): void {
  const { prune, registrations, book } = ctx;
  const at = { address: registry.address, origin: registry.origin };
  const read: RegistryListing = registrations.registries.get(registry.address) ?? {
    known: false,
    reason: 'not read',
  };
  if (!read.known) {
    const none = [registry.delete && 'deleted', registry.register && 'added'].filter(Boolean).join(' or ');
    const text = `registry ${registry.name} could not be listed (${read.reason}); none of its entries is ${none} this run`;
    // Loud unless the YAML says the registry may be away, or it was not listed on purpose.
    if ('deferred' in read) book.warn(text, at);
    else if (registry.optional) book.warn(`${text} (optional: not an error)`, at);
    else book.error(text, at);
    return;
  }
  const remove = registry.delete;
  if (remove === undefined) return;
  const pattern = compilePattern(registry.instance);
  const entries: Entry[] = [];
  let notOurs = 0;
  let unfillable = 0;
  for (const entry of read.value) {
    const match = matchEntry(pattern, entry.id);
    if (!match.ours) {
      notOurs++;
      continue;
    }
    const entryAddress = `${registry.address}/${entry.id}`;
    const instance = ctx.instances.byId.get(match.instanceId);
    const values = { ...instanceValues({ instanceId: match.instanceId, instance }, registry), id: entry.id };
    const missing = missingText(remove, values, registry);
    const elsewhere = missing === undefined ? deleteMisses(remove, values, entry.id) : undefined;
    if (missing !== undefined || elsewhere !== undefined) {
      // Counted for the guard, never deleted with a hole in its request or at another entry.
      unfillable++;
      if (fateOf(ctx.instances, match.instanceId)?.gone === true) {
        book.warn(
          `${registry.name} entry ${entry.id}: its instance is gone, but ${elsewhere ?? `delete needs ${missing}, which is not known for it`}: not deleted`,
          { address: entryAddress, origin: registry.origin },
        );
      }
      continue;
    }
    entries.push({
      address: entryAddress,
      id: entry.id,
      instanceId: match.instanceId,
      ...(entry.time === undefined ? {} : { time: entry.time }),
      fields: { registry: registry.name, entry: entry.id, entry_time: entry.time ?? null },
      label: `${registry.name} entry ${entry.id}`,
      change: (evidence, before) =>
        makeChange({
          address: entryAddress,
          type: 'registry_entry',
          action: 'delete',
          id: entry.id,
          origin: registry.origin,
          before,
          after: null,
          reason: evidence,
          scope: prune.scope,
          operation: {
            kind: 'delete_registry_entry',
            registry: registry.address,
            entryId: entry.id,
            delete: remove,
            values,
          },
        }),
    });
  }
  if (notOurs > 0) {
    // The total a prune.max guard names is the other entries: say so, or "3 of 9" beside "2 of
    // 11" reads as two countings of the same registry.
    book.warn(
      `registry ${registry.name}: ${notOurs} of ${read.value.length} entries do not name an instance through ${registry.instance}: not ours, never touched; prune.max counts the other ${read.value.length - notOurs}`,
      at,
    );
  }
  const unit = {
    address: registry.address,
    origin: registry.origin,
    noun: `${registry.name} entries`,
    limit: prune.max,
    limitOrigin: prune.maxOrigin,
  };
  book.entries(unit, unfillable);
  pruneEntries(prune, unit, ctx.instances, entries, ctx.now, book);
  sweepByMembership(ctx, registry, entries, unit);
}

/**
 * Why a delete filled with `{entry}` would not reach the listed entry, or undefined when it does.
 * `{entry}` is the id the instance *should* have; `instance` may accept more than that (an old
 * prefix, say), and a DELETE of the other id would answer 404, count as done and leave the listed
 * entry there for good. A listed id that is the entry, or a path ending in it (LineRate lists
 * `/config/…/base/rs_i-…`), is reached.
 */
function deleteMisses(
  remove: RegistryRequestSpec,
  values: PlaceholderValues,
  listed: string,
): string | undefined {
  const spelled = values.entry;
  if (spelled === undefined || !placeholdersOfRequest(remove).has('entry')) return undefined;
  if (listed === spelled || listed.endsWith(`/${spelled}`)) return undefined;
  return `delete uses {entry}, which is ${spelled} for it, not this entry (use {id} to delete a listed entry by its own id)`;
}

function claim(ctx: KindContext, kind: string, id: string): boolean {
  const key = `${kind}|${id}`;
  if (ctx.claimed.has(key)) return false;
  ctx.claimed.add(key);
  return true;
}
