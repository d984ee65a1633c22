/**
 * Issue 12 on moto: the sizes a window puts in force, at fixed `now` values. moto keeps scheduled
 * actions but never runs them, so a schedule "fires" here by setting the group's sizes by hand.
 */
import {
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { type MotoHandle, useMoto } from '../../support/moto.ts';
import { createGroup } from '../../support/seed.ts';
import { actions, schedulesOf, useHarness } from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

/** Smaller from 22:00 to 06:00 Berlin time, every night. */
const NIGHTLY = `groups:
  web-asg:
    min: 2
    max: 6
    desired: 2
    schedules:
      nightly:
        recurrence: "0 22 * * *"
        until: "0 6 * * *"
        time_zone: Europe/Berlin
        min: 1
        max: 3
        desired: 1
`;

// Monday 2030-06-03, Berlin is UTC+2.
const INSIDE = new Date('2030-06-03T21:00:00Z'); // 23:00 Berlin
const OUTSIDE = new Date('2030-06-03T12:00:00Z'); // 14:00 Berlin

async function sizesOf(handle: MotoHandle, name: string): Promise<(number | undefined)[]> {
  const out = await handle
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const g = out.AutoScalingGroups?.[0];
  return [g?.MinSize, g?.MaxSize, g?.DesiredCapacity];
}

/** What the scheduled action would do at its time, had moto run it. */
async function fire(handle: MotoHandle, name: string, min: number, max: number, desired: number) {
  await handle.clients().autoscaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: min,
      MaxSize: max,
      DesiredCapacity: desired,
    }),
  );
}

describe('a nightly window against moto', () => {
  it('inside the window: the window sizes are planned and applied, and a second plan is quiet', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 2, max: 6, desired: 2 });
    const first = (await run.plan(NIGHTLY, { now: INSIDE })).plan;
    expect(actions(first)).toEqual([
      ['autoscaling_group', 'update', 'web-asg'],
      ['scheduled_action', 'create', 'gitops-web-asg-nightly'],
      ['scheduled_action', 'create', 'gitops-web-asg-nightly-end'],
    ]);
    expect(first.changes[0]).toMatchObject({
      before: { min: 2, max: 6, desired: 2 },
      after: { min: 1, max: 3, desired: 1 },
      reason:
        'min 2 → 1, max 6 → 3, desired 2 → 1 (window nightly, fired Mon 22:00 Europe/Berlin; YAML min 2, max 6, desired 2)',
    });
    const applied = await run.apply(NIGHTLY, { now: INSIDE });
    expect(applied.report?.failed).toBe(0);
    expect(await sizesOf(moto, 'web-asg')).toEqual([1, 3, 1]);
    const end = (await schedulesOf(moto, 'web-asg')).find((s) => s.ScheduledActionName?.endsWith('-end'));
    expect([end?.Recurrence, end?.TimeZone, end?.MinSize, end?.MaxSize, end?.DesiredCapacity]).toEqual([
      '0 6 * * *',
      'Europe/Berlin',
      2,
      6,
      2,
    ]);
    expect((await run.plan(NIGHTLY, { now: INSIDE })).plan.changes).toEqual([]);
  });

  it('outside the window: the YAML sizes, and only the scheduled actions are created', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 2, max: 6, desired: 2 });
    expect(actions((await run.plan(NIGHTLY, { now: OUTSIDE })).plan)).toEqual([
      ['scheduled_action', 'create', 'gitops-web-asg-nightly'],
      ['scheduled_action', 'create', 'gitops-web-asg-nightly-end'],
    ]);
    await run.apply(NIGHTLY, { now: OUTSIDE });
    expect(await sizesOf(moto, 'web-asg')).toEqual([2, 6, 2]);
    expect((await run.plan(NIGHTLY, { now: OUTSIDE })).plan.changes).toEqual([]);
  });

  it('a window that fired is not undone, and its end is not undone either', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 2, max: 6, desired: 2 });
    await run.apply(NIGHTLY, { now: OUTSIDE });
    // 22:00 Berlin: AWS runs gitops-web-asg-nightly.
    await fire(moto, 'web-asg', 1, 3, 1);
    expect((await run.plan(NIGHTLY, { now: INSIDE })).plan.changes).toEqual([]);
    // Run at 14:00 while the group still has the night's sizes: the end did not run, so they go back.
    const missed = (await run.plan(NIGHTLY, { now: new Date('2030-06-04T12:00:00Z') })).plan;
    expect(missed.changes.map((c) => [c.id, c.after])).toEqual([['web-asg', { min: 2, max: 6, desired: 2 }]]);
    // 06:00 Berlin: AWS runs gitops-web-asg-nightly-end.
    await fire(moto, 'web-asg', 2, 6, 2);
    expect((await run.plan(NIGHTLY, { now: new Date('2030-06-04T04:00:00Z') })).plan.changes).toEqual([]);
  });

  it('across DST changes: the window keeps Berlin hours', async () => {
    await createGroup(moto.clients(), 'web-asg', { min: 2, max: 6, desired: 2 });
    await run.apply(NIGHTLY, { now: OUTSIDE });
    // 2030-03-31 04:30 UTC is 06:30 CEST, after the spring change: the window ended at 06:00.
    // (Read as CET, 05:30, it would still be inside.)
    expect((await run.plan(NIGHTLY, { now: new Date('2030-03-31T04:30:00Z') })).plan.changes).toEqual([]);
    // 2030-10-27 04:30 UTC is 05:30 CET, after the autumn change: still inside the window.
    const autumn = (await run.plan(NIGHTLY, { now: new Date('2030-10-27T04:30:00Z') })).plan;
    expect(autumn.changes.map((c) => [c.id, c.after])).toEqual([['web-asg', { min: 1, max: 3, desired: 1 }]]);
    await run.apply(NIGHTLY, { now: new Date('2030-10-27T04:30:00Z') });
    expect(await sizesOf(moto, 'web-asg')).toEqual([1, 3, 1]);
    // 06:00 CET is 05:00 UTC: the window's end.
    const after = (await run.plan(NIGHTLY, { now: new Date('2030-10-27T05:00:00Z') })).plan;
    expect(after.changes.map((c) => [c.id, c.after])).toEqual([['web-asg', { min: 2, max: 6, desired: 2 }]]);
  });
});
