/** Scaling policies, owned alarms and scheduled actions of a scope's groups, each with the fewest calls. */
import { DescribePoliciesCommand, DescribeScheduledActionsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../aws/clients.ts';
import { type LiveAlarm, type LivePolicy, type LiveScheduledAction, OWNED_PREFIX } from '../model.ts';
import { toLiveAlarm, toLivePolicy, toLiveScheduledAction } from './convert.ts';
import { readScoped } from './scoped.ts';

/** The most records each of these APIs returns per call. */
export const RECORDS_PER_CALL = 100;

export interface GroupSet {
  /** The YAML's groups in this scope. */
  readonly names: readonly string[];
  /** Those that may exist (not known missing): resolves once the groups are read. */
  readonly mayExist: () => Promise<readonly string[]>;
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
 * Alarms with the owned prefix (whichever group they belong to: the planner decides). Names of
 * alarms to delete are not known beforehand, so a prefix listing it is, not AlarmNames batches.
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
  const alarms = await readScoped({
    groups: groups.names,
    perGroup: groups.mayExist,
    listAll: (token) => page(OWNED_PREFIX, token),
    listGroup: (group, token) => page(`${OWNED_PREFIX}${group}-`, token),
    keep: () => true,
  });
  // Per-group prefixes overlap (`gitops-web-` also lists `gitops-web-api-...`): one of each.
  return [...new Map(alarms.map((a) => [a.name, a])).values()];
}
