/** Auto Scaling groups by name: batches of 100 (the API's maximum) read in parallel. */
import { type AutoScalingGroup, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { chunk, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import { type Known, known, type LiveGroup, unknown } from '../model.ts';
import { toLiveGroup } from './convert.ts';
import { READ_CONCURRENCY, reasonOf } from './scoped.ts';

export const GROUP_NAMES_PER_CALL = 100;

/** Every name gets an answer: the group, null when AWS has none, or unknown when its batch failed. */
export async function readGroups(
  clients: AwsClients,
  names: readonly string[],
): Promise<Map<string, Known<LiveGroup | null>>> {
  const batches = chunk([...new Set(names)], GROUP_NAMES_PER_CALL);
  const settled = await settleWithConcurrency(batches, READ_CONCURRENCY, (batch) =>
    // MaxRecords 100: the default (50) would take two calls per batch.
    paginateByToken<AutoScalingGroup>(async (token) => {
      const page = await clients.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({
          AutoScalingGroupNames: batch,
          MaxRecords: GROUP_NAMES_PER_CALL,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      return { items: page.AutoScalingGroups, nextToken: page.NextToken };
    }),
  );
  const out = new Map<string, Known<LiveGroup | null>>();
  settled.forEach((result, i) => {
    const batch = batches[i] ?? [];
    if (result.status === 'rejected') {
      const reason = reasonOf(result.reason);
      for (const name of batch) out.set(name, unknown(reason));
      return;
    }
    const found = new Map(result.value.map((g) => [g.AutoScalingGroupName ?? '', g]));
    for (const name of batch) {
      const group = found.get(name);
      out.set(name, known(group === undefined ? null : toLiveGroup(group)));
    }
  });
  return out;
}
