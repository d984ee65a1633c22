/**
 * Executors of the ECS operations (issue 4): a service's desired count (then the tag its cooldown
 * runs from), draining a container instance, terminating a drained instance in its group.
 */
import { TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  type Failure,
  TagResourceCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  type DrainContainerInstanceOperation,
  LAST_SCALED_TAG,
  type TerminateInstanceOperation,
  type UpdateServiceOperation,
} from '../model.ts';
import { reasonOf } from '../observe/scoped.ts';
import type { ExecContext, ExecOutcome } from './groups.ts';

/**
 * UpdateService, then TagResource with the plan's time: the next runs read the tag back with
 * DescribeServices (include TAGS) and hold metric-driven changes until the cooldown has run out.
 * The count is set first, so a tag that cannot be written never stands for a change not made;
 * the change then fails with both facts in its error.
 */
export async function updateService(
  op: UpdateServiceOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  await clients.ecs.send(
    new UpdateServiceCommand({ cluster: op.cluster, service: op.service, desiredCount: op.desired }),
  );
  try {
    await clients.ecs.send(
      new TagResourceCommand({
        resourceArn: op.serviceArn,
        tags: [{ key: LAST_SCALED_TAG, value: op.scaledAt }],
      }),
    );
  } catch (error) {
    throw new Error(
      `desired count set to ${op.desired}, but the ${LAST_SCALED_TAG} tag could not be written (${reasonOf(error)}): ` +
        'the cooldown cannot start from this change',
    );
  }
  return {};
}

export async function drainContainerInstance(
  op: DrainContainerInstanceOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  const out = await clients.ecs.send(
    new UpdateContainerInstancesStateCommand({
      cluster: op.cluster,
      containerInstances: [op.containerInstance],
      status: 'DRAINING',
    }),
  );
  throwOnFailures(out.failures, `container instance of ${op.instanceId}`);
  return {};
}

export async function terminateInstance(
  op: TerminateInstanceOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  await clients.autoscaling.send(
    new TerminateInstanceInAutoScalingGroupCommand({
      InstanceId: op.instanceId,
      ShouldDecrementDesiredCapacity: true,
    }),
  );
  return {};
}

function throwOnFailures(failures: readonly Failure[] | undefined, what: string): void {
  const failure = failures?.[0];
  if (failure === undefined) return;
  const detail = [failure.reason, failure.detail].filter((s) => s !== undefined && s !== '').join(': ');
  throw new Error(`${what}: ${detail || 'failed'}`);
}
