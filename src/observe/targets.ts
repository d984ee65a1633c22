/**
 * The target groups the YAML's groups list: each one's type and port (DescribeTargetGroups, up
 * to 400 ARNs a call) and its registered targets (DescribeTargetHealth, one call per target
 * group: the API takes one). Both run at once. A target group whose read fails is unknown; one
 * AWS does not have is null.
 */
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import { type Known, known, type LiveTarget, type LiveTargetGroup, unknown } from '../model.ts';
import { READ_CONCURRENCY, reasonOf } from './scoped.ts';

export const TARGET_GROUPS_PER_CALL = 400;

export async function readTargetGroups(
  clients: AwsClients,
  arns: readonly string[],
): Promise<Map<string, Known<LiveTargetGroup | null>>> {
  const wanted = [...new Set(arns)];
  const [described, health] = await Promise.all([
    describeTargetGroups(clients, wanted),
    settleWithConcurrency(wanted, READ_CONCURRENCY, (arn) => readTargets(clients, arn)),
  ]);
  return new Map(wanted.map((arn, i) => [arn, combine(arn, described.get(arn), health[i])]));
}

function combine(
  arn: string,
  group: Known<TargetGroup | null> | undefined,
  targets: PromiseSettledResult<LiveTarget[]> | undefined,
): Known<LiveTargetGroup | null> {
  if (group === undefined) return unknown('not read');
  if (!group.known) return unknown(group.reason);
  if (group.value === null) return known(null);
  // The group was described a moment ago: a NotFound now means it was deleted in between.
  if (targets === undefined) return unknown('not read');
  if (targets.status === 'rejected') return unknown(reasonOf(targets.reason));
  const tg = group.value;
  return known({
    arn,
    name: tg.TargetGroupName ?? arn,
    targetType: tg.TargetType ?? 'instance',
    ...(tg.Port === undefined ? {} : { port: tg.Port }),
    targets: targets.value,
  });
}

/** By ARN; a batch that names an unknown ARN fails whole (TargetGroupNotFound): then one by one. */
async function describeTargetGroups(
  clients: AwsClients,
  arns: readonly string[],
): Promise<Map<string, Known<TargetGroup | null>>> {
  const out = new Map<string, Known<TargetGroup | null>>();
  const describe = (batch: readonly string[]) =>
    paginateByToken<TargetGroup>(async (marker) => {
      const page = await clients.elbv2.send(
        new DescribeTargetGroupsCommand({
          TargetGroupArns: [...batch],
          PageSize: TARGET_GROUPS_PER_CALL,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
      return { items: page.TargetGroups, nextToken: page.NextMarker };
    });
  const batches = chunk(arns, TARGET_GROUPS_PER_CALL);
  const settled = await settleWithConcurrency(batches, READ_CONCURRENCY, describe);
  const retry: string[] = [];
  settled.forEach((result, i) => {
    const batch = batches[i] ?? [];
    if (result.status === 'fulfilled') {
      const found = new Map(result.value.map((g) => [g.TargetGroupArn ?? '', g]));
      for (const arn of batch) out.set(arn, known(found.get(arn) ?? null));
    } else if (isNotFound(result.reason) && batch.length > 1) {
      retry.push(...batch);
    } else {
      const reason = reasonOf(result.reason);
      for (const arn of batch) out.set(arn, isNotFound(result.reason) ? known(null) : unknown(reason));
    }
  });
  const single = await settleWithConcurrency(retry, READ_CONCURRENCY, (arn) => describe([arn]));
  single.forEach((result, i) => {
    const arn = retry[i] ?? '';
    if (result.status === 'fulfilled') out.set(arn, known(result.value[0] ?? null));
    else out.set(arn, isNotFound(result.reason) ? known(null) : unknown(reasonOf(result.reason)));
  });
  return out;
}

async function readTargets(clients: AwsClients, arn: string): Promise<LiveTarget[]> {
  const out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return (out.TargetHealthDescriptions ?? []).flatMap((d) =>
    d.Target?.Id === undefined
      ? []
      : [
          {
            id: d.Target.Id,
            ...(d.Target.Port === undefined ? {} : { port: d.Target.Port }),
            ...(d.TargetHealth?.State === undefined ? {} : { health: d.TargetHealth.State }),
          },
        ],
  );
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'TargetGroupNotFoundException';
}
