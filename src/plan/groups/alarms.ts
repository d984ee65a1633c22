/**
 * Which group each owned alarm belongs to. Alarm names cannot be split back into group and
 * trigger (both may contain `-`), so the evidence is, in order: the name is one a managed group
 * wants; the alarm runs a policy of a managed group (the ARN names the group); its
 * AutoScalingGroupName dimension is a managed group whose prefix the name carries. An alarm with
 * no such evidence is left alone: it may belong to a group managed from another config.
 */
import type { LiveAlarm } from '../../model.ts';
import { groupOfPolicyArn, groupPrefix } from './names.ts';

export function assignAlarms(
  alarms: readonly LiveAlarm[],
  managedGroups: ReadonlySet<string>,
  wantedBy: ReadonlyMap<string, string>,
): Map<string, LiveAlarm[]> {
  const byGroup = new Map<string, LiveAlarm[]>();
  const sorted = [...alarms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const alarm of sorted) {
    const group = ownerOf(alarm, managedGroups, wantedBy);
    if (group === undefined) continue;
    const list = byGroup.get(group);
    if (list === undefined) byGroup.set(group, [alarm]);
    else list.push(alarm);
  }
  return byGroup;
}

function ownerOf(
  alarm: LiveAlarm,
  managedGroups: ReadonlySet<string>,
  wantedBy: ReadonlyMap<string, string>,
): string | undefined {
  const wanted = wantedBy.get(alarm.name);
  if (wanted !== undefined) return wanted;
  for (const action of alarm.actions) {
    const group = groupOfPolicyArn(action);
    if (group !== undefined) return managedGroups.has(group) ? group : undefined;
  }
  const dimension = alarm.dimensions.AutoScalingGroupName;
  if (
    dimension !== undefined &&
    managedGroups.has(dimension) &&
    alarm.name.startsWith(groupPrefix(dimension))
  ) {
    return dimension;
  }
  return undefined;
}
