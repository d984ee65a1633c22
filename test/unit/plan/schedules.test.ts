import { describe, expect, it } from 'vitest';
import type { LiveScheduledAction } from '../../../src/model.ts';
import { plan } from '../../../src/plan/index.ts';
import { desiredFrom, group, liveOf, NOW } from './fixtures.ts';

function yaml(schedules: string): string {
  return `groups:\n  web-asg:\n    schedules:\n${schedules}`;
}

const NIGHTLY = yaml('      nightly: { recurrence: "0 22 * * *", min: 1, max: 2, desired: 1 }\n');

function action(name: string, fields: Partial<LiveScheduledAction> = {}): LiveScheduledAction {
  return {
    group: 'web-asg',
    name,
    recurrence: '0 22 * * *',
    // AWS sets a start time on every action; the YAML usually does not.
    startTime: '2030-01-01T00:00:00.000Z',
    min: 1,
    max: 2,
    desired: 1,
    ...fields,
  };
}

/** By default the group has the sizes `nightly` (fired 2030-05-31 22:00) put in force. */
function liveWith(schedules: LiveScheduledAction[], sizes = { min: 1, max: 2, desired: 1 }) {
  return liveOf({ groups: { 'web-asg': group('web-asg', sizes) }, schedules });
}

describe('schedules', () => {
  it('create a scheduled action', () => {
    const result = plan(desiredFrom(NIGHTLY), liveWith([]), NOW);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      address: 'web/groups/web-asg/schedules/gitops-web-asg-nightly',
      type: 'scheduled_action',
      action: 'create',
      id: 'gitops-web-asg-nightly',
      line: 4,
      before: null,
      after: { recurrence: '0 22 * * *', min: 1, max: 2, desired: 1 },
    });
    expect(result.changes[0]?.operation).toEqual({
      kind: 'put_schedule',
      group: 'web-asg',
      name: 'gitops-web-asg-nightly',
      schedule: { recurrence: '0 22 * * *', min: 1, max: 2, desired: 1 },
    });
  });

  it('are quiet when in line, whatever start time AWS filled in', () => {
    expect(plan(desiredFrom(NIGHTLY), liveWith([action('gitops-web-asg-nightly')]), NOW).changes).toEqual([]);
  });

  it('update a changed recurrence and a size the YAML dropped', () => {
    const desired = desiredFrom(yaml('      nightly: { recurrence: "0 23 * * *", min: 1, max: 2 }\n'));
    const result = plan(desired, liveWith([action('gitops-web-asg-nightly')]), NOW);
    expect(result.changes[0]).toMatchObject({
      action: 'update',
      before: { recurrence: '0 22 * * *', desired: 1 },
      after: { recurrence: '0 23 * * *', desired: null },
    });
  });

  it('treat UTC as no time zone but update another one', () => {
    const utc = desiredFrom(
      yaml('      nightly: { recurrence: "0 22 * * *", min: 1, max: 2, desired: 1, time_zone: UTC }\n'),
    );
    expect(plan(utc, liveWith([action('gitops-web-asg-nightly')]), NOW).changes).toEqual([]);
    const paris = desiredFrom(
      yaml(
        '      nightly: { recurrence: "0 22 * * *", min: 1, max: 2, desired: 1, time_zone: Europe/Paris }\n',
      ),
    );
    expect(plan(paris, liveWith([action('gitops-web-asg-nightly')]), NOW).changes[0]).toMatchObject({
      before: { time_zone: null },
      after: { time_zone: 'Europe/Paris' },
    });
  });

  it('compare a start time the YAML sets, whatever its spelling', () => {
    const desired = desiredFrom(
      yaml('      launch: { start_time: "2031-01-01T01:00:00+01:00", desired: 3 }\n'),
    );
    const live: LiveScheduledAction = {
      group: 'web-asg',
      name: 'gitops-web-asg-launch',
      startTime: '2031-01-01T00:00:00.000Z',
      desired: 3,
    };
    expect(plan(desired, liveWith([live]), NOW).changes).toEqual([]);
  });

  it('delete an owned action the YAML no longer names, and leave others alone', () => {
    const result = plan(
      desiredFrom('groups:\n  web-asg:\n    min: 1\n'),
      liveWith([action('gitops-web-asg-nightly'), action('weekend-by-hand')]),
      NOW,
    );
    expect(result.changes.map((c) => [c.type, c.action, c.id])).toEqual([
      ['scheduled_action', 'delete', 'gitops-web-asg-nightly'],
    ]);
    expect(result.changes[0]?.operation).toEqual({
      kind: 'delete_schedule',
      group: 'web-asg',
      name: 'gitops-web-asg-nightly',
    });
    expect(result.warnings.map((w) => w.message)).toEqual([
      'group web-asg also has scheduled action weekend-by-hand, not managed here (left as is)',
    ]);
  });

  it('do not create a one-off action whose time has passed (AWS would refuse it)', () => {
    const desired = desiredFrom(yaml('      launch: { start_time: "2030-05-01T00:00:00Z", desired: 3 }\n'));
    const result = plan(desired, liveWith([], { min: 1, max: 4, desired: 3 }), NOW);
    expect(result.changes).toEqual([]);
    expect(result.warnings[0]?.message).toMatch(/one-off start_time 2030-05-01T00:00:00.000Z has passed/);
  });

  it('create a one-off action still to come', () => {
    const desired = desiredFrom(yaml('      launch: { start_time: "2030-07-01T00:00:00Z", desired: 3 }\n'));
    expect(plan(desired, liveWith([]), NOW).changes.map((c) => c.action)).toEqual(['create']);
  });
});
