/** Schedules → scheduled actions; owned actions the YAML no longer names are deleted. */
import type { DesiredGroup, LiveScheduledAction } from '../../model.ts';
import { defined, diffFields } from '../fields.ts';
import { describeDiff } from '../format.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';
import { liveScheduleFields, scheduleFields } from './display.ts';
import { isOwnedName } from './names.ts';
import type { WantedSchedule } from './owned.ts';

export interface ScheduleInputs {
  readonly group: DesiredGroup;
  readonly creating: string | undefined;
  readonly wanted: readonly WantedSchedule[];
  /** The group's scheduled actions (owned or not). */
  readonly live: readonly LiveScheduledAction[];
  readonly now: Date;
}

export function scheduleAddress(group: DesiredGroup, name: string): string {
  return `${group.address}/schedules/${name}`;
}

export function planSchedules(inputs: ScheduleInputs, sink: PlanSink): void {
  const { group } = inputs;
  const live = new Map(inputs.live.map((a) => [a.name, a]));
  for (const wanted of inputs.wanted) {
    const existing = live.get(wanted.name);
    const after = scheduleFields(wanted.spec);
    const address = scheduleAddress(group, wanted.name);
    const operation = {
      kind: 'put_schedule',
      group: group.name,
      name: wanted.name,
      schedule: wanted.spec,
    } as const;
    if (existing === undefined) {
      const expired = expiry(wanted, inputs.now);
      if (expired !== undefined) {
        sink.warnings.push(
          message(`${wanted.label} of ${group.name}: ${expired}; nothing to create`, {
            address,
            origin: wanted.origin,
          }),
        );
        continue;
      }
      sink.changes.push(
        makeChange({
          address,
          type: 'scheduled_action',
          action: 'create',
          id: wanted.name,
          origin: wanted.origin,
          before: null,
          after: defined(after),
          reason: `${wanted.label} of ${group.name} has no scheduled action yet`,
          scope: group.scope,
          dependsOn: [inputs.creating],
          operation,
        }),
      );
      continue;
    }
    const diff = diffFields(liveScheduleFields(existing), after);
    if (diff === null) continue;
    sink.changes.push(
      makeChange({
        address,
        type: 'scheduled_action',
        action: 'update',
        id: wanted.name,
        origin: wanted.origin,
        before: diff.before,
        after: diff.after,
        reason: `${wanted.label}: ${describeDiff(diff.before, diff.after)}`,
        scope: group.scope,
        operation,
      }),
    );
  }
  const wantedNames = new Set(inputs.wanted.map((w) => w.name));
  for (const action of inputs.live) {
    if (wantedNames.has(action.name)) continue;
    if (!isOwnedName(action.name)) {
      sink.warnings.push(
        message(
          `group ${group.name} also has scheduled action ${action.name}, not managed here (left as is)`,
          {
            address: group.address,
            origin: group.origin,
          },
        ),
      );
      continue;
    }
    sink.changes.push(
      makeChange({
        address: scheduleAddress(group, action.name),
        type: 'scheduled_action',
        action: 'delete',
        id: action.name,
        origin: group.origin,
        before: defined(liveScheduleFields(action)),
        after: null,
        reason: `scheduled action ${action.name} is owned and no schedule of ${group.name} wants it`,
        scope: group.scope,
        operation: { kind: 'delete_schedule', group: group.name, name: action.name },
      }),
    );
  }
}

/**
 * AWS refuses a scheduled action whose time is past, and deletes a one-off action once it has
 * run: creating it again would fail on every run.
 */
function expiry(wanted: WantedSchedule, now: Date): string | undefined {
  const { recurrence, startTime, endTime } = wanted.spec;
  if (endTime !== undefined && Date.parse(endTime) <= now.getTime()) return `end_time ${endTime} has passed`;
  if (recurrence === undefined && startTime !== undefined && Date.parse(startTime) <= now.getTime()) {
    return `the one-off start_time ${startTime} has passed`;
  }
  return undefined;
}
