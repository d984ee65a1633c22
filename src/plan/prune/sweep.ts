/**
 * `sweep: membership`: a registry's entries whose instance is running but in none of the
 * registry's `for_groups`, for longer than grace. A stopped, stopping or pending instance is left
 * alone: it may be a member on its way in or a server stopped for a while, and its entry is
 * pruned (if at all) once it is gone. AWS does not record
 * when an instance left a group, and this tool keeps no state between runs, so how long it has
 * been outside is bounded by what is known: its launch time. The rule (the same as for targets
 * of detached instances, plan/targets): outside every listed group now, and launched longer ago
 * than grace. An instance detached a minute ago from a group it joined last week goes in this
 * run; a just-launched one that is not in a group yet (a bootstrap that registers itself before
 * Auto Scaling lists it) stays. Nothing is swept while any listed group is unknown or missing.
 * Pure.
 */
import type { DesiredRegistry, Fields } from '../../model.ts';
import type { GuardUnit } from './book.ts';
import { protectedId, where } from './common.ts';
import type { Entry } from './entries.ts';
import { ageSeconds, fateOf, formatAge } from './evidence.ts';
import type { KindContext } from './kinds.ts';

export function sweepByMembership(
  ctx: KindContext,
  registry: DesiredRegistry,
  entries: readonly Entry[],
  unit: GuardUnit,
): void {
  const { prune, book } = ctx;
  if (!registry.sweep || entries.length === 0) return;
  const at = { address: registry.address, origin: registry.origin };
  const members = new Set<string>();
  for (const name of registry.forGroups) {
    const group = ctx.groups.get(name);
    if (group === undefined || !group.known || group.value === null) {
      const why =
        group === undefined || !group.known ? 'could not be read' : `does not exist in ${where(prune.scope)}`;
      book.warn(
        `group ${name} ${why}: its members are unknown, so no entry of registry ${registry.name} is swept by membership this run`,
        at,
      );
      return;
    }
    for (const member of group.value.instances) members.add(member.id);
  }
  const groups = registry.forGroups.join(', ');
  const grace = formatAge(prune.graceSeconds);
  for (const entry of entries) {
    const fate = fateOf(ctx.instances, entry.instanceId);
    if (fate === undefined || fate.gone || members.has(entry.instanceId)) continue;
    if (fate.instance.state !== 'running') continue;
    const entryAt = { address: entry.address, origin: registry.origin };
    const subject = `instance ${entry.instanceId} is ${fate.instance.state} but in none of ${groups}`;
    const launched = fate.instance.launchTime;
    if (launched === undefined) {
      book.warn(`${entry.label}: ${subject}; its launch time is not known, so it is kept`, entryAt);
      continue;
    }
    const age = ageSeconds(new Date(launched), ctx.now);
    if (age < prune.graceSeconds) {
      book.warn(
        `${entry.label}: ${subject}, launched ${formatAge(age)} ago: kept until grace (${grace}) has passed`,
        entryAt,
      );
      continue;
    }
    const guarded = protectedId(prune, entry.instanceId, entry.id);
    if (guarded !== undefined) {
      book.warn(`${guarded} is protected (prune.protect): ${entry.label} is kept`, entryAt);
      continue;
    }
    const fields: Fields = {
      ...entry.fields,
      instance: entry.instanceId,
      instance_state: fate.instance.state,
      launched,
    };
    book.remove(
      unit,
      entry.change(
        `${subject} (sweep: membership); launched ${formatAge(age)} ago, grace ${grace} (AWS does not record when it left a group, so its launch time bounds how long it has been outside)`,
        fields,
      ),
    );
  }
}
