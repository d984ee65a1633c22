/** Scaling policies, owned alarms and scheduled actions of a scope's groups, each with the fewest calls. */
import { DescribePoliciesCommand, DescribeScheduledActionsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import {
  type DesiredGroup,
  type LiveAlarm,
  type LivePolicy,
  type LiveScheduledAction,
  OWNED_PREFIX,
} from '../model.ts';
import { alarmListings } from './alarm-prefixes.ts';
import { toLiveAlarm, toLivePolicy, toLiveScheduledAction } from './convert.ts';
import { READ_CONCURRENCY, readScoped } from './scoped.ts';

/** The most records each of these APIs returns per call. */
export const RECORDS_PER_CALL = 100;

export interface GroupSet {
  /** The YAML's groups in this scope. */
  readonly names: readonly string[];
  /** Those that may exist (not known missing): resolves once the groups are read. */
  readonly mayExist: () => Promise<readonly string[]>;
  /** Owned alarms expected per group (the YAML's, {@link expectedAlarms}): sizes the listings. */
  readonly alarms?: ReadonlyMap<string, number>;
}

/** The owned alarms a group's YAML makes: one per side of each threshold trigger. */
export function expectedAlarms(group: DesiredGroup): number {
  return group.triggers.reduce((n, t) => n + (t.kind === 'threshold' ? t.sides.length : 0), 0);
}

export async function readPolicies(clients: AwsClients, groups: GroupSet): Promise<LivePolicy[]> {
  const wanted = new Set(groups.names);
  const page = async (group: string | undefined, token: string | undefined) => {
    const out = await clients.autoscaling.send(
      new DescribePoliciesCommand({
        ...(group === undefined ? {} : { AutoScalingGroupName: group }),
        MaxRecords: RECORDS_PER_CALL,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: (out.ScalingPolicies ?? []).map(toLivePolicy), nextToken: out.NextToken };
  };
  return readScoped({
    groups: groups.names,
    perGroup: groups.mayExist,
    listAll: (token) => page(undefined, token),
    listGroup: page,
    keep: (p) => wanted.has(p.group),
  });
}

export async function readScheduledActions(
  clients: AwsClients,
  groups: GroupSet,
): Promise<LiveScheduledAction[]> {
  const wanted = new Set(groups.names);
  const page = async (group: string | undefined, token: string | undefined) => {
    const out = await clients.autoscaling.send(
      new DescribeScheduledActionsCommand({
        ...(group === undefined ? {} : { AutoScalingGroupName: group }),
        MaxRecords: RECORDS_PER_CALL,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return {
      items: (out.ScheduledUpdateGroupActions ?? []).map(toLiveScheduledAction),
      nextToken: out.NextToken,
    };
  };
  return readScoped({
    groups: groups.names,
    perGroup: groups.mayExist,
    listAll: (token) => page(undefined, token),
    listGroup: page,
    keep: (a) => wanted.has(a.group),
  });
}

/**
 * The owned alarms of the groups: every alarm under a group's owned prefix (`gitops-<group>-`),
 * whichever group it turns out to belong to (the planner decides). Names of alarms to delete are
 * not known beforehand, so prefix listings it is, not AlarmNames batches; split by prefix
 * (alarm-prefixes.ts) so that the listings run side by side instead of page after page. Each
 * listing keeps readScoped's guard: past as many pages as it has groups it reads them one by one.
 */
export async function readOwnedAlarms(clients: AwsClients, groups: GroupSet): Promise<LiveAlarm[]> {
  const page = async (prefix: string, token: string | undefined) => {
    const out = await clients.cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: prefix,
        AlarmTypes: ['MetricAlarm'],
        MaxRecords: RECORDS_PER_CALL,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: (out.MetricAlarms ?? []).map(toLiveAlarm), nextToken: out.NextToken };
  };
  const listings = alarmListings(
    [...new Set(groups.names)].map((group) => ({
      group,
      prefix: `${OWNED_PREFIX}${group}-`,
      alarms: groups.alarms?.get(group) ?? 0,
    })),
    RECORDS_PER_CALL,
  );
  const settled = await settleWithConcurrency(listings, READ_CONCURRENCY, (listing) => {
    const inListing = new Set(listing.groups);
    return readScoped({
      groups: listing.groups,
      perGroup: async () => (await groups.mayExist()).filter((g) => inListing.has(g)),
      listAll: (token) => page(listing.prefix, token),
      listGroup: (group, token) => page(`${OWNED_PREFIX}${group}-`, token),
      keep: () => true,
    });
  });
  const alarms: LiveAlarm[] = [];
  for (const result of settled) {
    // One listing unread leaves every group's alarms unknown: the caller marks them so.
    if (result.status === 'rejected') throw result.reason;
    alarms.push(...result.value);
  }
  // Per-group prefixes overlap (`gitops-web-` also lists `gitops-web-api-...`): one of each.
  return [...new Map(alarms.map((a) => [a.name, a])).values()];
}
