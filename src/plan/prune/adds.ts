/**
 * Registry adds (`register`): each InService instance of the registry's `for_groups` that has no
 * entry gets one. Present means a listed entry names the instance through `instance` (so a
 * registry listing full paths, like LineRate, still finds `as_web_i-…`) or is exactly the id
 * `entry` spells. Nothing is added from what is unknown: a listing or a group that could not be
 * read adds nothing of its own. prune.max guards adds too, counted apart from the registry's
 * deletes, out of the instances that should have an entry. Pure.
 */
import type { DesiredRegistry } from '../../model.ts';
import { compilePattern, missingMembers, presentInstances } from '../../registries/match.ts';
import { makeChange } from '../sink.ts';
import { where } from './common.ts';
import { ageSeconds, formatAge } from './evidence.ts';
import type { KindContext } from './kinds.ts';
import { instanceValues, missingText, valueFields } from './registry-values.ts';

export function addRegistryEntries(ctx: KindContext, registry: DesiredRegistry): void {
  const { prune, registrations, book } = ctx;
  const register = registry.register;
  if (register === undefined) return;
  const at = { address: registry.address, origin: registry.origin };
  const read = registrations.registries.get(registry.address);
  // An unreadable listing: pruneRegistry has said so; nothing is added from it.
  if (read === undefined || !read.known) return;

  const listedIds = new Set(read.value.map((e) => e.id));
  const present = presentInstances(compilePattern(registry.instance), read.value);
  const { missing: wanted, inService } = missingMembers(registry.forGroups, ctx.groups, present);
  for (const name of registry.forGroups) {
    const group = ctx.groups.get(name);
    if (group === undefined || !group.known) {
      book.warn(
        `group ${name} could not be read${group === undefined ? '' : ` (${group.reason})`}; none of its instances is added to registry ${registry.name} this run`,
        at,
      );
      continue;
    }
    if (group.value === null) {
      book.warn(
        `group ${name} does not exist in ${where(prune.scope)}: no instance of it is added to registry ${registry.name}`,
        at,
      );
    }
  }

  const unit = {
    address: `${registry.address}#register`,
    origin: registry.origin,
    noun: `${registry.name} entries for ${registry.forGroups.join(', ')}`,
    limit: prune.max,
    limitOrigin: prune.maxOrigin,
    verb: 'add',
  };
  book.entries(unit, inService);
  for (const { member, group } of wanted) {
    const instance = ctx.instances.byId.get(member.id);
    const values = instanceValues(
      { instanceId: member.id, instance, group, availabilityZone: member.availabilityZone },
      registry,
    );
    const missing = missingText(register, values, registry);
    if (missing !== undefined || values.entry === undefined) {
      book.warn(
        `${member.id} is InService in ${group} but not added to registry ${registry.name}: ${missing ?? '{entry}'} is not known for it`,
        { address: `${registry.address}/${member.id}`, origin: registry.origin },
      );
      continue;
    }
    const entry = values.entry;
    // The entry is listed under the id entry spells but the pattern does not read it: validation
    // stops such pairs, so this is a registry answering oddly. Not added twice.
    if (listedIds.has(entry)) continue;
    const launched = instance?.launchTime;
    const age = launched === undefined ? undefined : ageSeconds(new Date(launched), ctx.now);
    const since =
      launched === undefined || age === undefined
        ? 'its launch time is not known'
        : `launched ${launched}, ${formatAge(age)} ago`;
    const address = `${registry.address}/${entry}`;
    book.remove(
      unit,
      makeChange({
        address,
        type: 'registry_entry',
        action: 'create',
        id: entry,
        origin: registry.origin,
        before: null,
        after: {
          registry: registry.name,
          entry,
          instance: member.id,
          lifecycle: 'InService',
          launched: launched ?? null,
          ...valueFields(values),
        },
        reason: `${member.id} is InService in ${group} (${since}; AWS does not record since when it is InService) and ${registry.name} has no entry for it`,
        scope: prune.scope,
        operation: {
          kind: 'register_registry_entry',
          registry: registry.address,
          entryId: entry,
          register,
          values,
        },
      }),
    );
  }
}
