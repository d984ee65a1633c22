/**
 * One cluster's container instances as ECS describes them: ListContainerInstances pages, then
 * DescribeContainerInstances 100 at a time. Capacity planning and pruning both need them, so one
 * observation reads each cluster once through a shared reader.
 */
import {
  type ContainerInstance,
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { chunk, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import { READ_CONCURRENCY } from './scoped.ts';

export const CONTAINER_INSTANCES_PER_CALL = 100;

/** Reads a cluster's container instances; rejects (ClusterNotFoundException included) on failure. */
export type ContainerInstanceReader = (cluster: string) => Promise<readonly ContainerInstance[]>;

/** A reader that calls AWS once per cluster however often it is asked: make one per observation. */
export function containerInstanceReader(clients: AwsClients): ContainerInstanceReader {
  const reads = new Map<string, Promise<readonly ContainerInstance[]>>();
  return (cluster) => {
    let read = reads.get(cluster);
    if (read === undefined) {
      read = describeClusterInstances(clients, cluster);
      reads.set(cluster, read);
    }
    return read;
  };
}

async function describeClusterInstances(clients: AwsClients, cluster: string): Promise<ContainerInstance[]> {
  const arns = await paginateByToken<string>(async (token) => {
    const page = await clients.ecs.send(
      new ListContainerInstancesCommand({
        cluster,
        maxResults: CONTAINER_INSTANCES_PER_CALL,
        ...(token === undefined ? {} : { nextToken: token }),
      }),
    );
    return { items: page.containerInstanceArns, nextToken: page.nextToken };
  });
  const described = await settleWithConcurrency(
    chunk(arns, CONTAINER_INSTANCES_PER_CALL),
    READ_CONCURRENCY,
    (batch) =>
      clients.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: batch })),
  );
  const found: ContainerInstance[] = [];
  for (const result of described) {
    // Part of a cluster is not the cluster: all or nothing. An instance listed a moment ago and
    // MISSING now (in `failures`) was deregistered in between: nothing to do for it.
    if (result.status === 'rejected') throw result.reason;
    found.push(...(result.value.containerInstances ?? []));
  }
  return found;
}
