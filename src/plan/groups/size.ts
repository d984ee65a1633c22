/**
 * The group itself: created when missing and the YAML says how, else its sizes and health check
 * kept in line.
 */
import type { DesiredGroup, LiveGroup, SizeField, SizeSource } from '../../model.ts';
import { defined, diffFields } from '../fields.ts';
import { describeDiff } from '../format.ts';
import { targetGroupName } from '../prune/common.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';
import type { CreationAttachments } from './attachments.ts';
import { describeSources, type SizesInForce } from './inforce.ts';

/** What the plan wants for each size field; `sources` names the schedule behind a value. */
interface WantedSizes {
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly sources: Partial<Record<SizeField, SizeSource>>;
}

export type GroupOutcome =
  /** The group exists; its objects are planned against what AWS has. */
  | { readonly state: 'exists' }
  /** The plan creates it; its objects are created after it (`dependsOn` this address). */
  | { readonly state: 'creating'; readonly address: string }
  /** It cannot be planned; an error says why and nothing of the group is planned. */
  | { readonly state: 'failed' };

/**
 * `inForce` holds the sizes the YAML and its schedules want at `now`. Where the group's triggers
 * own desired capacity, desired is wanted only to create the group, never planned against AWS.
 */
export function planGroup(
  group: DesiredGroup,
  live: LiveGroup | null,
  inForce: SizesInForce,
  now: Date,
  sink: PlanSink,
  /** What a group this plan creates is created with (attachments.ts). */
  creation: CreationAttachments = { targetGroupArns: [], loadBalancerNames: [], attachedTags: [] },
): GroupOutcome {
  const sizes = wantedSizes(group, inForce, live !== null);
  if (live === null) return planMissingGroup(group, sizes, creation, sink);
  const health = group.healthCheck;
  const wanted = defined({
    min: sizes.min,
    max: sizes.max,
    desired: sizes.desired,
    health_check_type: health?.type,
    health_check_grace: health?.graceSeconds,
  });
  const diff = diffFields(
    {
      min: live.min,
      max: live.max,
      desired: live.desired,
      health_check_type: live.healthCheckType,
      health_check_grace: live.healthCheckGrace,
    },
    wanted,
  );
  if (diff !== null) {
    // Where a changed value comes from, for the fields the YAML alone does not explain.
    const sources: Partial<Record<SizeField, SizeSource>> = Object.fromEntries(
      Object.keys(diff.after).flatMap((f) => {
        const source = sizes.sources[f as SizeField];
        return source === undefined ? [] : [[f, source]];
      }),
    );
    const why = describeSources(sources, now);
    sink.changes.push(
      makeChange({
        address: group.address,
        type: 'autoscaling_group',
        action: 'update',
        id: group.name,
        origin: group.origin,
        before: diff.before,
        after: diff.after,
        reason:
          describeDiff(diff.before, diff.after) +
          (why === undefined ? '' : ` (${why})`) +
          impliedDesired(sizes, live),
        scope: group.scope,
        sources,
        operation: {
          kind: 'update_group',
          group: group.name,
          // Only what differs: an unchanged min sent again could race a schedule changing it.
          ...('min' in diff.after && sizes.min !== undefined ? { min: sizes.min } : {}),
          ...('max' in diff.after && sizes.max !== undefined ? { max: sizes.max } : {}),
          ...('desired' in diff.after && sizes.desired !== undefined ? { desired: sizes.desired } : {}),
          ...('health_check_type' in diff.after && health?.type !== undefined
            ? { healthCheckType: health.type }
            : {}),
          ...('health_check_grace' in diff.after && health?.graceSeconds !== undefined
            ? { healthCheckGrace: health.graceSeconds }
            : {}),
        },
      }),
    );
  }
  return { state: 'exists' };
}

function wantedSizes(group: DesiredGroup, inForce: SizesInForce, exists: boolean): WantedSizes {
  const sources: Partial<Record<SizeField, SizeSource>> = {};
  const take = (field: SizeField): number | undefined => {
    const value = inForce[field];
    if (value !== undefined && value.source.from !== 'yaml') sources[field] = value.source;
    return value?.value;
  };
  const min = take('min');
  const max = take('max');
  const policiesOwnDesired = exists && group.triggers.length > 0;
  const desired = policiesOwnDesired ? undefined : take('desired');
  return {
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
    ...(desired === undefined ? {} : { desired }),
    sources,
  };
}

/** AWS moves the desired capacity into the new [min, max] itself when the YAML leaves it out. */
function impliedDesired(sizes: WantedSizes, live: LiveGroup): string {
  if (sizes.desired !== undefined) return '';
  const min = sizes.min ?? live.min;
  const max = sizes.max ?? live.max;
  const clamped = Math.min(Math.max(live.desired, min), max);
  return clamped === live.desired ? '' : ` (AWS moves desired ${live.desired} → ${clamped} with it)`;
}

function planMissingGroup(
  group: DesiredGroup,
  sizes: WantedSizes,
  creation: CreationAttachments,
  sink: PlanSink,
): GroupOutcome {
  const at = { address: group.address, origin: group.origin };
  if (group.launch === undefined) {
    const why = group.incompleteLaunch ?? 'no launch_template';
    sink.errors.push(
      message(
        `group ${group.name} does not exist in ${group.scope.region} and the YAML cannot create it (${why}): ` +
          'give launch_template and availability_zones or subnets, or create the group',
        at,
      ),
    );
    return { state: 'failed' };
  }
  if (sizes.min === undefined || sizes.max === undefined) {
    sink.errors.push(
      message(
        `group ${group.name} does not exist in ${group.scope.region}: min and max are needed to create it`,
        at,
      ),
    );
    return { state: 'failed' };
  }
  const { launchTemplate, availabilityZones, subnets } = group.launch;
  const after = defined({
    min: sizes.min,
    max: sizes.max,
    desired: sizes.desired,
    launch_template: defined({ ...launchTemplate }),
    availability_zones: availabilityZones,
    subnets,
    target_groups: nonEmpty(creation.targetGroupArns.map(targetGroupName)),
    load_balancers: nonEmpty(creation.loadBalancerNames),
    health_check_type: group.healthCheck?.type,
    health_check_grace: group.healthCheck?.graceSeconds,
  });
  sink.changes.push(
    makeChange({
      address: group.address,
      type: 'autoscaling_group',
      action: 'create',
      id: group.name,
      origin: group.origin,
      before: null,
      after,
      reason: `group ${group.name} does not exist; created from launch template ${launchTemplate.name ?? launchTemplate.id ?? ''}`,
      scope: group.scope,
      operation: {
        kind: 'create_group',
        group: group.name,
        min: sizes.min,
        max: sizes.max,
        ...(sizes.desired === undefined ? {} : { desired: sizes.desired }),
        launch: group.launch,
        ...(creation.attachedTags.length === 0
          ? {}
          : {
              targetGroupArns: creation.targetGroupArns,
              loadBalancerNames: creation.loadBalancerNames,
              attachedTags: creation.attachedTags,
            }),
        ...(group.healthCheck?.type === undefined ? {} : { healthCheckType: group.healthCheck.type }),
        ...(group.healthCheck?.graceSeconds === undefined
          ? {}
          : { healthCheckGrace: group.healthCheck.graceSeconds }),
      },
    }),
  );
  return { state: 'creating', address: group.address };
}

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length === 0 ? undefined : list;
}
