/** ECS container instances of a cluster: ListContainerInstances pages, then 100 described per call. */
import {
  type ContainerInstance,
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { chunk, paginateByToken, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import type { LiveContainerInstance } from '../model.ts';
import { READ_CONCURRENCY } from './scoped.ts';

export const CONTAINER_INSTANCES_PER_CALL = 100;

/** Null when the cluster does not exist. */
export async function readContainerInstances(
  clients: AwsClients,
  cluster: string,
): Promise<LiveContainerInstance[] | null> {
  let arns: string[];
  try {
    arns = await paginateByToken<string>(async (token) => {
      const page = await clients.ecs.send(
        new ListContainerInstancesCommand({
          cluster,
          maxResults: CONTAINER_INSTANCES_PER_CALL,
          ...(token === undefined ? {} : { nextToken: token }),
        }),
      );
      return { items: page.containerInstanceArns, nextToken: page.nextToken };
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'ClusterNotFoundException') return null;
    throw error;
  }
  const batches = chunk(arns, CONTAINER_INSTANCES_PER_CALL);
  const settled = await settleWithConcurrency(batches, READ_CONCURRENCY, async (batch) => {
    const out = await clients.ecs.send(
      new DescribeContainerInstancesCommand({ cluster, containerInstances: batch }),
    );
    // An instance listed a moment ago and MISSING now was deregistered in between: nothing to do.
    return out.containerInstances ?? [];
  });
  const found: ContainerInstance[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason;
    found.push(...result.value);
  }
  return found.map(toLiveContainerInstance);
}

function toLiveContainerInstance(ci: ContainerInstance): LiveContainerInstance {
  return {
    arn: ci.containerInstanceArn ?? '',
    ...(ci.ec2InstanceId ? { ec2InstanceId: ci.ec2InstanceId } : {}),
    status: ci.status ?? 'UNKNOWN',
    ...(ci.registeredAt === undefined ? {} : { registeredAt: ci.registeredAt.toISOString() }),
    runningTasks: ci.runningTasksCount ?? 0,
    ...(ci.agentConnected === undefined ? {} : { agentConnected: ci.agentConnected }),
  };
}
