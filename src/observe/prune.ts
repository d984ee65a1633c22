/**
 * The registrations of one scope (issue 5): the target groups its groups list, the container
 * instances, instance alarms and registry entries its prune sections name, then, in one batched
 * read, EC2's view of every instance those entries point at. A read that fails is unknown: its
 * kind is neither registered nor pruned this run. If the instance read fails, nothing is pruned.
 */
import type { AwsClients } from '../aws/clients.ts';
import {
  type DesiredGroup,
  type DesiredPrune,
  type Known,
  known,
  type LiveGroup,
  type LiveInstances,
  type LiveRegistrations,
  type LiveTargetGroup,
  unknown,
} from '../model.ts';
import type { RegistryOptions } from '../registries/index.ts';
import { compilePattern, missingMembers, presentInstances } from '../registries/match.ts';
import { type ContainerInstanceReader, containerInstanceReader } from './container-instances.ts';
import { readInstances } from './instances.ts';
import { readInstanceAlarms } from './prune-alarms.ts';
import { readContainerInstances } from './prune-ecs.ts';
import { readRegistries } from './registries.ts';
import { reasonOf } from './scoped.ts';
import { readTargetGroups } from './targets.ts';

export interface RegistrationNeeds {
  readonly groups: readonly DesiredGroup[];
  readonly prune: readonly DesiredPrune[];
}

/** Undefined when the scope has no target groups and no prune section: nothing is read. */
export async function observeRegistrations(
  clients: AwsClients,
  needs: RegistrationNeeds,
  liveGroups: Promise<ReadonlyMap<string, Known<LiveGroup | null>>>,
  options: RegistryOptions = {},
  readCluster: ContainerInstanceReader = containerInstanceReader(clients),
): Promise<LiveRegistrations | undefined> {
  const arns = [...new Set(needs.groups.flatMap((g) => g.targetGroups))];
  if (arns.length === 0 && needs.prune.length === 0) return undefined;
  const clusters = [...new Set(needs.prune.filter((p) => p.ecsContainerInstances).map((p) => p.cluster))];
  const prefixes = [
    ...new Set(needs.prune.flatMap((p) => (p.instanceAlarms === undefined ? [] : [p.instanceAlarms.prefix]))),
  ];
  const registries = needs.prune.flatMap((p) => p.registries);

  const [targetGroups, containerInstances, instanceAlarms, entries, groups] = await Promise.all([
    readTargetGroups(clients, arns),
    settleEach(clusters, (cluster) => readContainerInstances(readCluster, cluster)),
    settleEach(prefixes, (prefix) => readInstanceAlarms(clients, prefix)),
    readRegistries(registries, options),
    liveGroups,
  ]);

  const ids = new Set<string>();
  const ips = new Set<string>();
  // The targets planner asks EC2 only about a target whose instance is in none of the groups
  // listing its target group (plan/targets, decide): a member is never judged stale. Looking up
  // the members too would read every instance of a large fleet (10 MB of XML for 3,000) for nothing.
  const members = listedMembers(needs.groups, groups);
  for (const [arn, tg] of targetGroups) {
    if (!tg.known || tg.value === null) continue;
    if (tg.value.targetType === 'ip') {
      for (const target of tg.value.targets) ips.add(target.id);
      continue;
    }
    const listed = members.get(arn);
    for (const target of tg.value.targets) if (!listed?.has(target.id)) ids.add(target.id);
  }
  // An ip target group is registered by the group instances' private IPs: read those instances too.
  const ipGroups = new Set(
    needs.groups
      .filter((g) => g.targetGroups.some((arn) => isIpTargetGroup(targetGroups.get(arn))))
      .map((g) => g.name),
  );
  for (const name of ipGroups) {
    const group = groups.get(name);
    if (group?.known && group.value !== null) for (const i of group.value.instances) ids.add(i.id);
  }
  for (const cis of containerInstances.values()) {
    if (cis.known) for (const ci of cis.value ?? []) if (ci.ec2InstanceId) ids.add(ci.ec2InstanceId);
  }
  for (const alarms of instanceAlarms.values()) {
    if (alarms.known) for (const alarm of alarms.value) ids.add(alarm.instanceId);
  }
  for (const registry of registries) {
    const listed = entries.get(registry.address);
    if (!listed?.known) continue;
    const present = presentInstances(compilePattern(registry.instance), listed.value);
    // Only a delete (and the sweep, which deletes) judges an entry by its instance: a registry
    // that only adds (Salt's accepted keys) lists every server, and none of them needs reading.
    if (registry.delete !== undefined) for (const id of present) ids.add(id);
    // An add fills the instance's IPs (and the plan shows its launch time): read the InService
    // members that lack an entry. They go in the same DescribeInstances batches as the rest.
    if (registry.register !== undefined) {
      for (const { member } of missingMembers(registry.forGroups, groups, present).missing)
        ids.add(member.id);
    }
  }

  let instances: Known<LiveInstances>;
  try {
    instances = known(await readInstances(clients, ids, ips));
  } catch (error) {
    instances = unknown(reasonOf(error));
  }
  return { instances, targetGroups, containerInstances, instanceAlarms, registries: entries };
}

/** Per target group ARN: the instances of the groups (as read) that list it. */
function listedMembers(
  groups: readonly DesiredGroup[],
  live: ReadonlyMap<string, Known<LiveGroup | null>>,
): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  for (const group of groups) {
    const read = live.get(group.name);
    if (!read?.known || read.value === null) continue;
    for (const arn of group.targetGroups) {
      const set = members.get(arn) ?? new Set<string>();
      for (const instance of read.value.instances) set.add(instance.id);
      members.set(arn, set);
    }
  }
  return members;
}

function isIpTargetGroup(tg: Known<LiveTargetGroup | null> | undefined): boolean {
  return tg?.known === true && tg.value?.targetType === 'ip';
}

async function settleEach<K, T>(keys: readonly K[], read: (key: K) => Promise<T>): Promise<Map<K, Known<T>>> {
  const settled = await Promise.all(
    keys.map(async (key) => {
      try {
        return [key, known(await read(key))] as const;
      } catch (error) {
        return [key, unknown<T>(reasonOf(error))] as const;
      }
    }),
  );
  return new Map(settled);
}
