/** Executor of a stale ECS container instance: one DeregisterContainerInstance. */
import { DeregisterContainerInstanceCommand } from '@aws-sdk/client-ecs';
import type { PruneContainerInstanceOperation } from '../model.ts';
import type { ExecContext, ExecOutcome } from './groups.ts';

export async function pruneContainerInstance(
  op: PruneContainerInstanceOperation,
  { clients }: ExecContext,
): Promise<ExecOutcome> {
  await clients.ecs.send(
    new DeregisterContainerInstanceCommand({
      cluster: op.cluster,
      containerInstance: op.containerInstance,
      force: op.force,
    }),
  );
  return {};
}
