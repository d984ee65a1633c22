/** The group itself: created when missing and the YAML says how, else its sizes kept in line. */
import type { DesiredGroup, Fields, LiveGroup } from '../../model.ts';
import { defined, diffFields } from '../fields.ts';
import { describeDiff } from '../format.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';

export type GroupOutcome =
  /** The group exists; its objects are planned against what AWS has. */
  | { readonly state: 'exists' }
  /** The plan creates it; its objects are created after it (`dependsOn` this address). */
  | { readonly state: 'creating'; readonly address: string }
  /** It cannot be planned; an error says why and nothing of the group is planned. */
  | { readonly state: 'failed' };

export function planGroup(group: DesiredGroup, live: LiveGroup | null, sink: PlanSink): GroupOutcome {
  if (live === null) return planMissingGroup(group, sink);
  const wanted: Fields = defined({ min: group.min, max: group.max, desired: group.desired });
  const diff = diffFields({ min: live.min, max: live.max, desired: live.desired }, wanted);
  if (diff !== null) {
    sink.changes.push(
      makeChange({
        address: group.address,
        type: 'autoscaling_group',
        action: 'update',
        id: group.name,
        origin: group.origin,
        before: diff.before,
        after: diff.after,
        reason: describeDiff(diff.before, diff.after) + impliedDesired(group, live),
        scope: group.scope,
        operation: {
          kind: 'update_group',
          group: group.name,
          // Only what differs: an unchanged min sent again could race a schedule changing it.
          ...('min' in diff.after && group.min !== undefined ? { min: group.min } : {}),
          ...('max' in diff.after && group.max !== undefined ? { max: group.max } : {}),
          ...('desired' in diff.after && group.desired !== undefined ? { desired: group.desired } : {}),
        },
      }),
    );
  }
  return { state: 'exists' };
}

/** AWS moves the desired capacity into the new [min, max] itself when the YAML leaves it out. */
function impliedDesired(group: DesiredGroup, live: LiveGroup): string {
  if (group.desired !== undefined) return '';
  const min = group.min ?? live.min;
  const max = group.max ?? live.max;
  const clamped = Math.min(Math.max(live.desired, min), max);
  return clamped === live.desired ? '' : ` (AWS moves desired ${live.desired} → ${clamped} with it)`;
}

function planMissingGroup(group: DesiredGroup, sink: PlanSink): GroupOutcome {
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
  if (group.min === undefined || group.max === undefined) {
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
    min: group.min,
    max: group.max,
    desired: group.desired,
    launch_template: defined({ ...launchTemplate }),
    availability_zones: availabilityZones,
    subnets,
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
        min: group.min,
        max: group.max,
        ...(group.desired === undefined ? {} : { desired: group.desired }),
        launch: group.launch,
      },
    }),
  );
  return { state: 'creating', address: group.address };
}
