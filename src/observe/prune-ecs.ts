/** ECS container instances of a cluster, for pruning: read through the observation's shared reader. */
import type { ContainerInstance } from '@aws-sdk/client-ecs';
import type { LiveContainerInstance } from '../model.ts';
import type { ContainerInstanceReader } from './container-instances.ts';

/** Null when the cluster does not exist. */
export async function readContainerInstances(
  read: ContainerInstanceReader,
  cluster: string,
): Promise<LiveContainerInstance[] | null> {
  try {
    return (await read(cluster)).map(toLiveContainerInstance);
  } catch (error) {
    if (error instanceof Error && error.name === 'ClusterNotFoundException') return null;
    throw error;
  }
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
