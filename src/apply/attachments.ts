/**
 * Executors of attachments (plan/groups/attachments.ts). Each is two calls in a fixed order, so
 * that a failure in between never leaves something of ours looking like someone else's:
 *
 * - attach: the ownership tag first, then the attachment. If the attach fails, the tag claims an
 *   attachment that is not there; the next run attaches it again (still in the YAML) or drops
 *   the tag (no longer in the YAML).
 * - detach: the attachment first, then the tag. If dropping the tag fails, the next run finds a
 *   tag without its attachment and drops it.
 *
 * (The other order would leave an attachment of ours without its tag: reported as someone
 * else's and never detached.)
 */
import {
  AttachLoadBalancersCommand,
  AttachLoadBalancerTargetGroupsCommand,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DetachLoadBalancersCommand,
  DetachLoadBalancerTargetGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { chunk } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import { type AttachOperation, type DetachOperation, OWNER_TAG } from '../model.ts';
import type { ExecContext, ExecOutcome } from './groups.ts';

export async function attachToGroup(op: AttachOperation, { clients }: ExecContext): Promise<ExecOutcome> {
  await attach(clients, op.group, {
    ownerTags: [op.ownerTag],
    targetGroupArns: op.attachment === 'target_group' ? [op.target] : [],
    loadBalancerNames: op.attachment === 'load_balancer' ? [op.target] : [],
  });
  return {};
}

/** What one attach gives a group: its target groups and load balancers, with their ownership tags. */
export interface Attachments {
  readonly ownerTags: readonly string[];
  readonly targetGroupArns: readonly string[];
  readonly loadBalancerNames: readonly string[];
}

/**
 * Attaches to a group, tags first (see above). Used by an attach change and by a created group
 * that is adopted (apply/groups.ts), so both go through the same order and the same chunking.
 */
export async function attach(clients: AwsClients, group: string, attachments: Attachments): Promise<void> {
  await tagOwnership(clients, group, attachments.ownerTags);
  for (const batch of chunk(attachments.targetGroupArns, ATTACHMENTS_PER_CALL)) {
    await clients.autoscaling.send(
      new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group, TargetGroupARNs: batch }),
    );
  }
  for (const batch of chunk(attachments.loadBalancerNames, ATTACHMENTS_PER_CALL)) {
    await clients.autoscaling.send(
      new AttachLoadBalancersCommand({ AutoScalingGroupName: group, LoadBalancerNames: batch }),
    );
  }
}

/** AttachLoadBalancerTargetGroups and AttachLoadBalancers take at most 10 a call. */
const ATTACHMENTS_PER_CALL = 10;

export async function detachFromGroup(op: DetachOperation, { clients }: ExecContext): Promise<ExecOutcome> {
  if (op.attached && op.attachment === 'target_group') {
    await clients.autoscaling
      .send(
        new DetachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: op.group,
          TargetGroupARNs: [op.target],
        }),
      )
      .catch(unlessNotAttached);
  } else if (op.attached) {
    await clients.autoscaling
      .send(
        new DetachLoadBalancersCommand({ AutoScalingGroupName: op.group, LoadBalancerNames: [op.target] }),
      )
      .catch(unlessNotAttached);
  }
  await clients.autoscaling.send(
    new DeleteTagsCommand({
      Tags: [{ ResourceId: op.group, ResourceType: 'auto-scaling-group', Key: op.ownerTag }],
    }),
  );
  return {};
}

/** Ownership tags on a group: never propagated to its instances. */
async function tagOwnership(clients: AwsClients, group: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await clients.autoscaling.send(
    new CreateOrUpdateTagsCommand({
      Tags: keys.map((Key) => ({
        ResourceId: group,
        ResourceType: 'auto-scaling-group',
        Key,
        Value: OWNER_TAG.value,
        PropagateAtLaunch: false,
      })),
    }),
  );
}

/**
 * A detach that finds nothing attached has done its job (a retry after a lost answer, or someone
 * detached it meanwhile): AWS says `ValidationError: Trying to remove ... that are not part of the
 * group`.
 */
function unlessNotAttached(error: unknown): void {
  if (
    error instanceof Error &&
    error.name === 'ValidationError' &&
    /not part of the group/i.test(error.message)
  )
    return;
  throw error;
}
