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

describe('sizes schedules put in force (issue 12)', () => {
  const WINDOW = `groups:
  web-asg:
    min: 2
    max: 6
    schedules:
      weeknights: { recurrence: "0 21 * * MON-FRI", until: "0 7 * * TUE-SAT", time_zone: Europe/Berlin, max: 4 }
`;
  const live = (name: string, recurrence: string, max: number): LiveScheduledAction => ({
    group: 'web-asg',
    name,
    recurrence,
    startTime: '2030-01-01T00:00:00.000Z',
    timeZone: 'Europe/Berlin',
    max,
  });
  const actions = [
    live('gitops-web-asg-weeknights', '0 21 * * MON-FRI', 4),
    live('gitops-web-asg-weeknights-end', '0 7 * * TUE-SAT', 6),
  ];

  it('a window is two scheduled actions, the end one back to the YAML sizes', () => {
    const result = plan(desiredFrom(WINDOW), liveWith([], { min: 2, max: 6, desired: 2 }), NOW);
    expect(result.changes.map((c) => [c.action, c.id, c.after])).toEqual([
      [
        'create',
        'gitops-web-asg-weeknights',
        { recurrence: '0 21 * * MON-FRI', time_zone: 'Europe/Berlin', max: 4 },
      ],
      [
        'create',
        'gitops-web-asg-weeknights-end',
        { recurrence: '0 7 * * TUE-SAT', time_zone: 'Europe/Berlin', max: 6 },
      ],
    ]);
  });

  it('inside the window the plan wants its sizes, and says why in the reason and the source', () => {
    // Monday 2030-06-03 22:00 Berlin.
    const monday = new Date('2030-06-03T20:00:00Z');
    const result = plan(desiredFrom(WINDOW), liveWith(actions, { min: 2, max: 6, desired: 2 }), monday);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      type: 'autoscaling_group',
      before: { max: 6 },
      after: { max: 4 },
      reason: 'max 6 → 4 (window weeknights, fired Mon 21:00 Europe/Berlin; YAML max 6)',
      sources: {
        max: {
          from: 'schedule',
          action: 'gitops-web-asg-weeknights',
          fired: '2030-06-03T19:00:00.000Z',
          timeZone: 'Europe/Berlin',
          yaml: 6,
        },
      },
    });
    expect(result.changes[0]?.operation).toEqual({ kind: 'update_group', group: 'web-asg', max: 4 });
  });

  it('does not undo a schedule that fired: quiet when AWS has the sizes in force', () => {
    const monday = new Date('2030-06-03T20:00:00Z');
    expect(
      plan(desiredFrom(WINDOW), liveWith(actions, { min: 2, max: 4, desired: 2 }), monday).changes,
    ).toEqual([]);
    // After the window the YAML max is wanted again.
    const tuesday = new Date('2030-06-04T06:00:00Z');
    expect(
      plan(desiredFrom(WINDOW), liveWith(actions, { min: 2, max: 4, desired: 2 }), tuesday).changes[0],
    ).toMatchObject({
      before: { max: 4 },
      after: { max: 6 },
      reason: 'max 4 → 6 (end of window weeknights, fired Tue 07:00 Europe/Berlin; YAML max 6)',
    });
  });

  it('leaves desired to the policies of a live group with triggers, but creates the group with it', () => {
    const yaml = `groups:
  web-asg:
    min: 1
    max: 6
    desired: 3
    triggers:
      steady: { target_tracking: { metric: ASGAverageCPUUtilization, target: 50 } }
`;
    const live = liveOf({
      groups: { 'web-asg': group('web-asg', { min: 1, max: 6, desired: 5 }) },
      policies: [],
    });
    expect(plan(desiredFrom(yaml), live, NOW).changes.filter((c) => c.type === 'autoscaling_group')).toEqual(
      [],
    );
  });

  it('reports a group whose occurrences cannot be worked out, and plans none of it', () => {
    // cron-parser 5.10.6 loops out on Lord Howe's half-hour spring change for this expression.
    const yaml = `groups:
  web-asg:
    min: 2
    max: 6
    schedules:
      odd: { recurrence: "0 0,2 * * *", until: "0 5 * * *", time_zone: Australia/Lord_Howe, min: 3 }
`;
    const result = plan(desiredFrom(yaml), liveWith([]), new Date(1917444600000));
    expect(result.changes).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^group web-asg: the sizes its schedules set cannot be worked out \(.+\); not planned$/,
      ),
    ]);
  });
});
