import type { ScheduledUpdateGroupAction } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { useMoto } from '../../support/moto.ts';
import { createGroup } from '../../support/seed.ts';
import { actions, schedulesOf, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

const byName = (a: ScheduledUpdateGroupAction, b: ScheduledUpdateGroupAction) =>
  (a.ScheduledActionName ?? '').localeCompare(b.ScheduledActionName ?? '');

const BASE = 'groups:\n  web-asg:\n    min: 1\n    max: 4\n';
const SCHEDULED = `${BASE}    schedules:
      nightly: { recurrence: "0 22 * * *", min: 1, max: 2, desired: 1 }
      weekdays: { recurrence: "30 6 * * 1-5", time_zone: Europe/Berlin, min: 2 }
      launch-day: { start_time: "2031-03-01T06:00:00Z", desired: 4 }
`;

describe('schedules against moto', () => {
  it('are created, then deleted when the YAML drops them, each time converging', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    expect(actions((await run.plan(SCHEDULED)).plan)).toEqual([
      // nightly fired at 22:00 the evening before NOW: its sizes are in force (issue 12).
      ['autoscaling_group', 'update', 'web-asg'],
      ['scheduled_action', 'create', 'gitops-web-asg-nightly'],
      ['scheduled_action', 'create', 'gitops-web-asg-weekdays'],
      ['scheduled_action', 'create', 'gitops-web-asg-launch-day'],
    ]);
    const applied = await run.apply(SCHEDULED);
    expect(applied.report?.failed).toBe(0);
    // Applied in parallel: moto lists them in whatever order they landed.
    const created = (await schedulesOf(moto, 'web-asg')).sort(byName);
    const fields = created.map((s) => [
      s.ScheduledActionName,
      s.Recurrence,
      s.TimeZone,
      s.MinSize,
      s.MaxSize,
      s.DesiredCapacity,
    ]);
    expect(fields).toEqual([
      ['gitops-web-asg-launch-day', undefined, undefined, undefined, undefined, 4],
      ['gitops-web-asg-nightly', '0 22 * * *', undefined, 1, 2, 1],
      ['gitops-web-asg-weekdays', '30 6 * * 1-5', 'Europe/Berlin', 2, undefined, undefined],
    ]);
    expect(created[0]?.StartTime?.toISOString()).toBe('2031-03-01T06:00:00.000Z');
    expect((await run.plan(SCHEDULED)).plan.changes).toEqual([]);

    const fewer = SCHEDULED.replace(/ +weekdays: .*\n/, '');
    expect(actions((await run.plan(fewer)).plan)).toEqual([
      ['scheduled_action', 'delete', 'gitops-web-asg-weekdays'],
    ]);
    await run.apply(fewer);
    expect((await schedulesOf(moto, 'web-asg')).sort(byName).map((s) => s.ScheduledActionName)).toEqual([
      'gitops-web-asg-launch-day',
      'gitops-web-asg-nightly',
    ]);
    expect((await run.plan(fewer)).plan.changes).toEqual([]);
  });

  it('update in place when a recurrence changes', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 1, max: 4, desired: 1 });
    await run.apply(SCHEDULED);
    const later = SCHEDULED.replace('0 22 * * *', '0 23 * * *');
    const plan = await run.plan(later);
    expect(plan.plan.changes.map((c) => [c.action, c.id, c.before, c.after])).toEqual([
      ['update', 'gitops-web-asg-nightly', { recurrence: '0 22 * * *' }, { recurrence: '0 23 * * *' }],
    ]);
    await run.apply(later);
    expect((await run.plan(later)).plan.changes).toEqual([]);
  });
});
