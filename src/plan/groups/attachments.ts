/**
 * Attachments: the instance target groups (`target_groups:`) and Classic Load Balancers
 * (`load_balancers:`) of a group, attached to it in AWS. Once attached, AWS registers every
 * instance of the group as it launches and deregisters it as it goes, between our runs; this tool
 * no longer registers instances in them (plan/targets skips what is attached or being attached)
 * but still prunes stale targets (`prune.target_groups`). ip target groups cannot be attached to a
 * group: they keep our own registration by private IP.
 *
 * Ownership: what this tool attaches carries a tag on the group (ATTACHED_TAG_PREFIX, one per
 * attachment; model/groups.ts). An attachment that leaves the YAML is detached only when that tag
 * says we made it; one made by someone else is reported and left alone. A tag whose attachment is
 * gone (detached by hand) is dropped unless the YAML still wants it attached.
 *
 * Existence: a target group is attached only when DescribeTargetGroups returned it as an instance
 * target group. One that is missing or could not be read is not attached; plan/targets reports it
 * as a plan error either way (unknown is not empty: an unread one is not taken as absent), once per
 * target group, at the first group listing it.
 * Classic Load Balancers are not read (that would take another SDK client and call): AWS checks
 * the names when it attaches, and a wrong one fails that change with AWS's ValidationError.
 */
import {
  ATTACHED_TAG_PREFIX,
  type AttachmentKind,
  type DesiredGroup,
  GROUP_TAG_LIMIT,
  type Known,
  type LiveGroup,
  type LiveTargetGroup,
} from '../../model.ts';
import { targetGroupName } from '../prune/common.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';

export type TargetGroupReads = ReadonlyMap<string, Known<LiveTargetGroup | null>>;

/** The ownership tag key of an attachment. */
export function ownershipTag(kind: AttachmentKind, target: string): string {
  if (kind === 'load_balancer') return `${ATTACHED_TAG_PREFIX}loadbalancer/${target}`;
  // `targetgroup/<name>/<id>`: the ARN's unique tail in the group's own account and region.
  const tail = /:(targetgroup\/[^/]+\/[0-9a-f]+)$/.exec(target)?.[1];
  return `${ATTACHED_TAG_PREFIX}${tail ?? target}`;
}

/** The YAML's target groups that can be attached: those AWS described as instance target groups. */
export function attachableTargetGroups(group: DesiredGroup, reads: TargetGroupReads | undefined): string[] {
  return group.targetGroups.filter((arn) => {
    const read = reads?.get(arn);
    return read?.known === true && read.value?.targetType === 'instance';
  });
}

/** What a group created by this plan is created with (CreateAutoScalingGroup takes both lists). */
export interface CreationAttachments {
  readonly targetGroupArns: readonly string[];
  readonly loadBalancerNames: readonly string[];
  readonly attachedTags: readonly string[];
}

export function attachmentsAtCreation(
  group: DesiredGroup,
  reads: TargetGroupReads | undefined,
): CreationAttachments {
  const targetGroupArns = attachableTargetGroups(group, reads);
  const loadBalancerNames = [...group.loadBalancers];
  return {
    targetGroupArns,
    loadBalancerNames,
    attachedTags: [
      ...targetGroupArns.map((arn) => ownershipTag('target_group', arn)),
      ...loadBalancerNames.map((name) => ownershipTag('load_balancer', name)),
    ],
  };
}

interface Wanted {
  readonly kind: AttachmentKind;
  readonly target: string;
}

/**
 * Plans the attach, detach and untag changes of a group that exists. Returns the target groups
 * this plan attaches (plan/targets leaves their registration to AWS).
 */
export function planAttachments(
  group: DesiredGroup,
  live: LiveGroup,
  reads: TargetGroupReads | undefined,
  sink: PlanSink,
): string[] {
  const at = { address: group.address, origin: group.origin };
  const wanted: Wanted[] = [
    ...attachableTargetGroups(group, reads).map((target) => ({ kind: 'target_group' as const, target })),
    ...group.loadBalancers.map((target) => ({ kind: 'load_balancer' as const, target })),
  ];
  const attachedNow = new Set([...live.targetGroupArns, ...live.loadBalancerNames]);
  const owned = new Set(Object.keys(live.tags).filter((k) => k.startsWith(ATTACHED_TAG_PREFIX)));
  let tagsLeft = GROUP_TAG_LIMIT - Object.keys(live.tags).filter((k) => !k.startsWith('aws:')).length;

  const attaching: string[] = [];
  const attachChanges: string[] = [];
  for (const { kind, target } of wanted) {
    if (attachedNow.has(target)) continue;
    const tag = ownershipTag(kind, target);
    const name = displayName(kind, target);
    if (!owned.has(tag)) {
      if (tagsLeft <= 0) {
        sink.errors.push(
          message(
            `group ${group.name}: ${noun(kind)} ${name} is not attached: its ownership tag would pass AWS's ${GROUP_TAG_LIMIT} tags per group (free a tag, or attach it by hand)`,
            at,
          ),
        );
        continue;
      }
      tagsLeft--;
    }
    const address = attachmentAddress(group, kind, name);
    attachChanges.push(address);
    sink.changes.push(
      makeChange({
        address,
        type: 'autoscaling_group',
        action: 'update',
        id: group.name,
        origin: group.origin,
        before: { [kind]: null },
        after: { [kind]: name },
        reason:
          `attach ${noun(kind)} ${name}: AWS registers the group's instances in it, each new one as it launches ` +
          `(the tag ${tag} records that this tool attached it)`,
        scope: group.scope,
        operation: { kind: 'attach_to_group', group: group.name, attachment: kind, target, ownerTag: tag },
      }),
    );
    if (kind === 'target_group') attaching.push(target);
  }

  // Attached now but no longer in the YAML: ours are detached, anyone else's are left alone.
  // Capacity first: a detach waits for the group's attaches (a target group or load balancer
  // replaced in the YAML takes traffic before the old one stops), and does not run if one failed.
  const listed = new Set([...group.targetGroups, ...group.loadBalancers]);
  const current: Wanted[] = [
    ...live.targetGroupArns.map((target) => ({ kind: 'target_group' as const, target })),
    ...live.loadBalancerNames.map((target) => ({ kind: 'load_balancer' as const, target })),
  ];
  for (const { kind, target } of current) {
    if (listed.has(target)) continue;
    const tag = ownershipTag(kind, target);
    const name = displayName(kind, target);
    if (!owned.has(tag)) {
      sink.warnings.push(
        message(
          `group ${group.name}: ${noun(kind)} ${name} is attached but not in the YAML, and not by this tool (no ${tag} tag): left attached`,
          at,
        ),
      );
      continue;
    }
    sink.changes.push(
      makeChange({
        address: attachmentAddress(group, kind, name),
        type: 'autoscaling_group',
        action: 'update',
        id: group.name,
        origin: group.origin,
        before: { [kind]: name },
        after: { [kind]: null },
        reason: `${noun(kind)} ${name} left the YAML and this tool attached it (tag ${tag}): detached, and AWS deregisters the group's instances from it`,
        scope: group.scope,
        dependsOn: attachChanges,
        operation: {
          kind: 'detach_from_group',
          group: group.name,
          attachment: kind,
          target,
          ownerTag: tag,
          attached: true,
        },
      }),
    );
  }

  // Ownership tags whose attachment is gone and not wanted back: dropped.
  const stillMeant = new Set([
    ...current.map((c) => ownershipTag(c.kind, c.target)),
    ...wanted.map((w) => ownershipTag(w.kind, w.target)),
    // Listed but not attachable this run (unread, missing): its claim waits for a run that knows.
    ...group.targetGroups.map((arn) => ownershipTag('target_group', arn)),
  ]);
  for (const tag of [...owned].sort()) {
    if (stillMeant.has(tag)) continue;
    const kind: AttachmentKind = tag.startsWith(`${ATTACHED_TAG_PREFIX}loadbalancer/`)
      ? 'load_balancer'
      : 'target_group';
    const name = tagName(tag);
    sink.changes.push(
      makeChange({
        address: attachmentAddress(group, kind, name),
        type: 'autoscaling_group',
        action: 'update',
        id: group.name,
        origin: group.origin,
        before: { ownership_tag: tag },
        after: { ownership_tag: null },
        reason: `${noun(kind)} ${name} is no longer attached (detached outside this tool) nor in the YAML: its ownership tag is dropped, so that a later attachment by someone else is never taken for ours`,
        scope: group.scope,
        operation: {
          kind: 'detach_from_group',
          group: group.name,
          attachment: kind,
          target: name,
          ownerTag: tag,
          attached: false,
        },
      }),
    );
  }
  return attaching;
}

/** `<group address>/target_groups/<name>` or `…/load_balancers/<name>`; plan/targets' changes sit below. */
export function attachmentAddress(group: DesiredGroup, kind: AttachmentKind, name: string): string {
  return `${group.address}/${kind === 'target_group' ? 'target_groups' : 'load_balancers'}/${name}`;
}

function displayName(kind: AttachmentKind, target: string): string {
  return kind === 'target_group' ? targetGroupName(target) : target;
}

/** `…:targetgroup/web/0123…` → `web`; `…:loadbalancer/classic` → `classic`. */
function tagName(tag: string): string {
  const tail = tag.slice(ATTACHED_TAG_PREFIX.length);
  return tail.split('/')[1] ?? tail;
}

function noun(kind: AttachmentKind): string {
  return kind === 'target_group' ? 'target group' : 'load balancer';
}
