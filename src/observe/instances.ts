/**
 * EC2's view of the instances the registrations name, with the fewest DescribeInstances calls.
 *
 * By id, one unknown id fails the whole call (InvalidInstanceID.NotFound), and the entries we
 * check are exactly the ones that may name gone instances: so ids go in `instance-id` filters,
 * which simply leave unknown ids out. A call takes at most 200 filter values, so N ids and M IPs
 * (ip target groups, `private-ip-address`) cost F = ⌈N/200⌉ + ⌈M/200⌉ calls. Listing every
 * instance of the region instead costs ⌈T/1000⌉ pages, T unknown beforehand. As in scoped.ts:
 * with F ≥ 2, walk the unfiltered pages while they cost fewer than F calls, and switch to the
 * filters when there are more to come. Never more than 2F - 1 calls; with one batch, one call.
 */
import { DescribeInstancesCommand, type Filter, type Instance } from '@aws-sdk/client-ec2';
import { chunk, type Page, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import type { LiveInstance, LiveInstances } from '../model.ts';
import { READ_CONCURRENCY } from './scoped.ts';

/** EC2's limit on filter values in one call. */
export const FILTER_VALUES_PER_CALL = 200;
/** DescribeInstances' largest page. */
export const INSTANCES_PER_PAGE = 1000;

/** Well-formed instance ids only: anything else is not an instance EC2 could know. */
export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export async function readInstances(
  clients: AwsClients,
  ids: Iterable<string>,
  ips: Iterable<string> = [],
): Promise<LiveInstances> {
  const wantedIds = [...new Set(ids)].filter((id) => INSTANCE_ID.test(id)).sort();
  const wantedIps = [...new Set(ips)].sort();
  const filters: Filter[] = [
    ...chunk(wantedIds, FILTER_VALUES_PER_CALL).map((Values) => ({ Name: 'instance-id', Values })),
    ...chunk(wantedIps, FILTER_VALUES_PER_CALL).map((Values) => ({ Name: 'private-ip-address', Values })),
  ];
  const page = async (filter: Filter | undefined, token: string | undefined): Promise<Page<Instance>> => {
    const out = await clients.ec2.send(
      new DescribeInstancesCommand({
        ...(filter === undefined ? {} : { Filters: [filter] }),
        MaxResults: INSTANCES_PER_PAGE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: (out.Reservations ?? []).flatMap((r) => r.Instances ?? []), nextToken: out.NextToken };
  };
  const found = await (async (): Promise<Instance[]> => {
    if (filters.length === 0) return [];
    const all: Instance[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < filters.length - 1; pages++) {
      const next = await page(undefined, token);
      all.push(...(next.items ?? []));
      token = next.nextToken || undefined;
      if (token === undefined) return all;
    }
    const settled = await settleWithConcurrency(filters, READ_CONCURRENCY, (filter) =>
      paginateByToken((t) => page(filter, t)),
    );
    const out: Instance[] = [];
    for (const result of settled) {
      if (result.status === 'rejected') throw result.reason;
      out.push(...result.value);
    }
    return out;
  })();
  return indexInstances(found.map(toLiveInstance), wantedIds, wantedIps);
}

export function indexInstances(
  instances: readonly LiveInstance[],
  ids: readonly string[],
  ips: readonly string[],
): LiveInstances {
  const seen = new Map(instances.map((i) => [i.id, i]));
  const byId = new Map<string, LiveInstance | null>(ids.map((id) => [id, seen.get(id) ?? null]));
  const byIp = new Map<string, string[]>(ips.map((ip) => [ip, []]));
  for (const instance of seen.values()) {
    // Every instance read is kept: an unfiltered walk brings more than asked, which costs nothing.
    if (!byId.has(instance.id)) byId.set(instance.id, instance);
    if (instance.privateIp === undefined) continue;
    const holders = byIp.get(instance.privateIp);
    if (holders !== undefined) holders.push(instance.id);
    else byIp.set(instance.privateIp, [instance.id]);
  }
  return { byId, byIp };
}

export function toLiveInstance(instance: Instance): LiveInstance {
  // Auto Scaling tags what it launches with its group; the tag stays after the instance is gone.
  const group = instance.Tags?.find((t) => t.Key === 'aws:autoscaling:groupName')?.Value || undefined;
  return {
    id: instance.InstanceId ?? '',
    state: instance.State?.Name ?? 'unknown',
    ...(instance.StateTransitionReason ? { stateTransitionReason: instance.StateTransitionReason } : {}),
    ...(instance.LaunchTime === undefined ? {} : { launchTime: instance.LaunchTime.toISOString() }),
    ...(instance.PrivateIpAddress ? { privateIp: instance.PrivateIpAddress } : {}),
    ...(instance.PublicIpAddress ? { publicIp: instance.PublicIpAddress } : {}),
    ...(instance.Placement?.AvailabilityZone
      ? { availabilityZone: instance.Placement.AvailabilityZone }
      : {}),
    ...(group === undefined ? {} : { autoScalingGroup: group }),
  };
}
