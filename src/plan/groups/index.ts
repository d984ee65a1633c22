/**
 * planGroups: the Auto Scaling groups of the YAML against the Live snapshot. Pure: the same
 * inputs give the same plan, with no I/O and no clock but `now`.
 */
import {
  type Desired,
  type DesiredGroup,
  type Known,
  type Live,
  type LiveScope,
  scopeKey,
} from '../../model.ts';
import { message, newSink, type PlanSink } from '../sink.ts';
import { assignAlarms } from './alarms.ts';
import { attachmentsAtCreation, planAttachments } from './attachments.ts';
import { type SizesInForce, sizesInForce } from './inforce.ts';
import { type OwnedObjects, ownedObjects } from './owned.ts';
import { planSchedules } from './schedules.ts';
import { planGroup } from './size.ts';
import { planTriggers } from './triggers.ts';

export interface GroupsPlan extends PlanSink {
  /** Target groups this plan attaches to a group, as {@link attachmentKey}s (plan/targets reads it). */
  readonly attaching: ReadonlySet<string>;
}

/** One attachment of a target group to a group in a scope. */
export function attachmentKey(scope: string, group: string, targetGroupArn: string): string {
  return `${scope}\u0000${group}\u0000${targetGroupArn}`;
}

export function planGroups(desired: Desired, live: Live, now: Date): GroupsPlan {
  const sink = newSink();
  const attaching = new Set<string>();
  const byScope = new Map<string, DesiredGroup[]>();
  for (const group of desired.groups) {
    const key = scopeKey(group.scope);
    byScope.set(key, [...(byScope.get(key) ?? []), group]);
  }
  for (const [key, groups] of byScope) {
    const scope = live.scopes.get(key);
    if (scope === undefined) {
      for (const g of groups) sink.errors.push(message(`group ${g.name} was not read from AWS`, at(g)));
      continue;
    }
    planScope(groups, scope, now, sink, attaching);
  }
  return { ...sink, attaching };
}

function planScope(
  groups: readonly DesiredGroup[],
  live: LiveScope,
  now: Date,
  sink: PlanSink,
  attaching: Set<string>,
): void {
  const where = live.scope.region + (live.scope.roleArn === undefined ? '' : ` as ${live.scope.roleArn}`);
  reportUnknown(live.policies, `scaling policies in ${where}`, 'no trigger there is planned', sink);
  reportUnknown(live.alarms, `alarms in ${where}`, 'no trigger there is planned', sink);
  reportUnknown(live.scheduledActions, `scheduled actions in ${where}`, 'no schedule there is planned', sink);

  const owned = new Map<DesiredGroup, OwnedObjects>(groups.map((g) => [g, ownedObjects(g)]));
  const { owners: wantedAlarmOwner, shared } = alarmOwners(owned);
  const alarms = live.alarms.known
    ? assignAlarms(live.alarms.value, new Set(groups.map((g) => g.name)), wantedAlarmOwner)
    : undefined;
  const policiesByGroup = live.policies.known ? byGroup(live.policies.value) : undefined;
  const actionsByGroup = live.scheduledActions.known ? byGroup(live.scheduledActions.value) : undefined;

  for (const group of groups) {
    const liveGroup = live.groups.get(group.name) ?? { known: false, reason: 'not read' };
    if (!liveGroup.known) {
      sink.errors.push(
        message(`group ${group.name} could not be read (${liveGroup.reason}); not planned`, at(group)),
      );
      continue;
    }
    const objects = owned.get(group);
    if (objects === undefined) continue;
    let inForce: SizesInForce;
    try {
      inForce = sizesInForce(group, objects.schedules, now);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      sink.errors.push(
        message(
          `group ${group.name}: the sizes its schedules set cannot be worked out (${why}); not planned`,
          at(group),
        ),
      );
      continue;
    }
    const targetGroups = live.registrations?.targetGroups;
    const outcome = planGroup(
      group,
      liveGroup.value,
      inForce,
      now,
      sink,
      attachmentsAtCreation(group, targetGroups),
    );
    if (outcome.state === 'failed') continue;
    if (liveGroup.value !== null) {
      for (const arn of planAttachments(group, liveGroup.value, targetGroups, sink))
        attaching.add(attachmentKey(scopeKey(live.scope), group.name, arn));
    }
    const collisions = [
      ...objects.collisions,
      ...objects.alarms.map((a) => a.name).filter((n) => shared.has(n)),
    ];
    if (collisions.length > 0) {
      sink.errors.push(
        message(
          `group ${group.name}: two triggers or schedules would own the same name (${collisions.join(', ')}); rename one`,
          at(group),
        ),
      );
      continue;
    }
    const creating = outcome.state === 'creating' ? outcome.address : undefined;
    if (policiesByGroup !== undefined && alarms !== undefined) {
      planTriggers(
        {
          group,
          creating,
          owned: objects,
          policies: policiesByGroup.get(group.name) ?? [],
          alarms: alarms.get(group.name) ?? [],
        },
        sink,
      );
    }
    if (actionsByGroup !== undefined) {
      planSchedules(
        {
          group,
          creating,
          wanted: objects.schedules,
          live: actionsByGroup.get(group.name) ?? [],
          now,
        },
        sink,
      );
    }
  }
}

/**
 * Which group wants each alarm name. Alarm names are unique per account and region, and group
 * and trigger names may both contain `-`: `web` + `api-cpu` and `web-api` + `cpu` want the same
 * alarm. Such names are `shared`, and neither group's triggers can be planned.
 */
function alarmOwners(owned: ReadonlyMap<DesiredGroup, OwnedObjects>): {
  owners: Map<string, string>;
  shared: Set<string>;
} {
  const owners = new Map<string, string>();
  const shared = new Set<string>();
  for (const [group, objects] of owned) {
    for (const alarm of objects.alarms) {
      const first = owners.get(alarm.name);
      if (first !== undefined && first !== group.name) shared.add(alarm.name);
      else owners.set(alarm.name, group.name);
    }
  }
  return { owners, shared };
}

/** By group name, each list sorted by name so that the plan's order does not depend on AWS's. */
function byGroup<T extends { readonly group: string; readonly name: string }>(
  items: readonly T[],
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const list = out.get(item.group);
    if (list === undefined) out.set(item.group, [item]);
    else list.push(item);
  }
  return out;
}

function reportUnknown(value: Known<unknown>, what: string, consequence: string, sink: PlanSink): void {
  if (!value.known) sink.errors.push(message(`${what} could not be read (${value.reason}); ${consequence}`));
}

function at(group: DesiredGroup): { address: string; origin: DesiredGroup['origin'] } {
  return { address: group.address, origin: group.origin };
}
