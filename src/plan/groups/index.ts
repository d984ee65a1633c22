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
import { type OwnedObjects, ownedObjects } from './owned.ts';
import { planSchedules } from './schedules.ts';
import { planGroup } from './size.ts';
import { planTriggers } from './triggers.ts';

export function planGroups(desired: Desired, live: Live, now: Date): PlanSink {
  const sink = newSink();
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
    planScope(groups, scope, now, sink);
  }
  return sink;
}

function planScope(groups: readonly DesiredGroup[], live: LiveScope, now: Date, sink: PlanSink): void {
  const where = live.scope.region + (live.scope.roleArn === undefined ? '' : ` as ${live.scope.roleArn}`);
  reportUnknown(live.policies, `scaling policies in ${where}`, 'no trigger there is planned', sink);
  reportUnknown(live.alarms, `alarms in ${where}`, 'no trigger there is planned', sink);
  reportUnknown(live.scheduledActions, `scheduled actions in ${where}`, 'no schedule there is planned', sink);

  const owned = new Map<DesiredGroup, OwnedObjects>(groups.map((g) => [g, ownedObjects(g)]));
  const wantedAlarmOwner = new Map<string, string>();
  for (const [group, objects] of owned)
    for (const alarm of objects.alarms) wantedAlarmOwner.set(alarm.name, group.name);
  const alarms = live.alarms.known
    ? assignAlarms(live.alarms.value, new Set(groups.map((g) => g.name)), wantedAlarmOwner)
    : undefined;

  for (const group of groups) {
    const liveGroup = live.groups.get(group.name) ?? { known: false, reason: 'not read' };
    if (!liveGroup.known) {
      sink.errors.push(
        message(`group ${group.name} could not be read (${liveGroup.reason}); not planned`, at(group)),
      );
      continue;
    }
    const outcome = planGroup(group, liveGroup.value, sink);
    if (outcome.state === 'failed') continue;
    const objects = owned.get(group);
    if (objects === undefined) continue;
    if (objects.collisions.length > 0) {
      sink.errors.push(
        message(
          `group ${group.name}: two triggers or schedules would own the same name (${objects.collisions.join(', ')}); rename one`,
          at(group),
        ),
      );
      continue;
    }
    const creating = outcome.state === 'creating' ? outcome.address : undefined;
    if (live.policies.known && alarms !== undefined) {
      planTriggers(
        {
          group,
          creating,
          owned: objects,
          policies: live.policies.value.filter((p) => p.group === group.name),
          alarms: alarms.get(group.name) ?? [],
        },
        sink,
      );
    }
    if (live.scheduledActions.known) {
      planSchedules(
        {
          group,
          creating,
          wanted: objects.schedules,
          live: live.scheduledActions.value.filter((a) => a.group === group.name),
          now,
        },
        sink,
      );
    }
  }
}

function reportUnknown(value: Known<unknown>, what: string, consequence: string, sink: PlanSink): void {
  if (!value.known) sink.errors.push(message(`${what} could not be read (${value.reason}); ${consequence}`));
}

function at(group: DesiredGroup): { address: string; origin: DesiredGroup['origin'] } {
  return { address: group.address, origin: group.origin };
}
