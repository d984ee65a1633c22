/**
 * The sizes schedules put in force (issue 12): examples of each kind of schedule, and
 * cron-parser's previous occurrences against a brute-force walk, minute by minute, across DST
 * changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredGroup } from '../../../src/model.ts';
import { describeSources, lastFiring, sizesInForce } from '../../../src/plan/groups/inforce.ts';
import { ownedObjects } from '../../../src/plan/groups/owned.ts';
import { desiredFrom } from './fixtures.ts';

function groupOf(yaml: string): DesiredGroup {
  const [only] = desiredFrom(yaml).groups;
  if (only === undefined) throw new Error('no group');
  return only;
}

/** Each size in force at `now`: value and what set it (`yaml` or the scheduled action's name). */
function inForce(yaml: string, now: string): Record<string, [number, string]> {
  const group = groupOf(yaml);
  const sizes = sizesInForce(group, ownedObjects(group).schedules, new Date(now));
  return Object.fromEntries(
    Object.entries(sizes).map(([field, s]) => [
      field,
      [s.value, s.source.from === 'schedule' ? s.source.action : s.source.from],
    ]),
  );
}

const GROUP = 'groups:\n  web:\n    min: 2\n    max: 6\n    schedules:\n';

describe('sizes in force', () => {
  it('one-off: the YAML before its start_time, its sizes from then on', () => {
    const yaml = `${GROUP}      launch: { start_time: "2030-06-01T06:00:00Z", max: 10 }\n`;
    expect(inForce(yaml, '2030-06-01T05:59:59Z')).toEqual({ min: [2, 'yaml'], max: [6, 'yaml'] });
    expect(inForce(yaml, '2030-06-01T06:00:00Z')).toEqual({
      min: [2, 'yaml'],
      max: [10, 'gitops-web-launch'],
    });
    expect(inForce(yaml, '2031-01-01T00:00:00Z').max).toEqual([10, 'gitops-web-launch']);
  });

  it('recurring: the occurrence that fired last wins, field by field', () => {
    const yaml = `${GROUP}      down: { recurrence: "0 22 * * *", min: 1, max: 3 }\n      up: { recurrence: "0 6 * * *", max: 6 }\n`;
    // 2030-06-03 is a Monday.
    expect(inForce(yaml, '2030-06-03T21:59:00Z')).toEqual({
      min: [1, 'gitops-web-down'],
      max: [6, 'gitops-web-up'],
    });
    expect(inForce(yaml, '2030-06-03T22:00:00Z')).toEqual({
      min: [1, 'gitops-web-down'],
      max: [3, 'gitops-web-down'],
    });
    expect(inForce(yaml, '2030-06-04T05:59:00Z').max).toEqual([3, 'gitops-web-down']);
    expect(inForce(yaml, '2030-06-04T06:00:00Z').max).toEqual([6, 'gitops-web-up']);
  });

  it('recurring in a time zone: the occurrence in local time', () => {
    const yaml = `${GROUP}      weeknights: { recurrence: "0 21 * * MON-FRI", time_zone: Europe/Berlin, max: 4 }\n      mornings: { recurrence: "0 7 * * *", time_zone: Europe/Berlin, max: 6 }\n`;
    // Monday 21:00 in Berlin (summer) is 19:00 UTC.
    expect(inForce(yaml, '2030-06-03T18:59:00Z').max).toEqual([6, 'gitops-web-mornings']);
    expect(inForce(yaml, '2030-06-03T19:00:00Z').max).toEqual([4, 'gitops-web-weeknights']);
    // Saturday 21:00 does not fire: Saturday morning's 6 holds until Monday night.
    expect(inForce(yaml, '2030-06-08T20:00:00Z').max).toEqual([6, 'gitops-web-mornings']);
  });

  it('bounded by start_time and end_time: nothing before the start, the last occurrence before the end', () => {
    const yaml = `${GROUP}      season: { recurrence: "0 6 * * *", start_time: "2030-11-20T00:00:00Z", end_time: "2030-12-01T00:00:00Z", min: 4 }\n`;
    expect(inForce(yaml, '2030-11-20T05:00:00Z').min).toEqual([2, 'yaml']);
    expect(inForce(yaml, '2030-11-20T06:00:00Z').min).toEqual([4, 'gitops-web-season']);
    // After end_time nothing fires again, but what the last occurrence set stays.
    const group = groupOf(yaml);
    const later = sizesInForce(group, ownedObjects(group).schedules, new Date('2030-12-15T12:00:00Z'));
    expect(later.min?.source).toMatchObject({ from: 'schedule', fired: '2030-11-30T06:00:00.000Z' });
  });

  it('window: its sizes between recurrence and until, the YAML outside', () => {
    const yaml = `${GROUP}      business-hours: { recurrence: "0 7 * * MON-FRI", until: "0 19 * * MON-FRI", time_zone: Europe/Berlin, min: 4, max: 8 }\n`;
    const inside = { min: [4, 'gitops-web-business-hours'], max: [8, 'gitops-web-business-hours'] };
    const outside = { min: [2, 'gitops-web-business-hours-end'], max: [6, 'gitops-web-business-hours-end'] };
    // Monday 2030-06-03: 07:00 Berlin is 05:00 UTC, 19:00 is 17:00 UTC.
    expect(inForce(yaml, '2030-06-03T04:59:00Z')).toEqual(outside);
    expect(inForce(yaml, '2030-06-03T05:00:00Z')).toEqual(inside);
    expect(inForce(yaml, '2030-06-03T16:59:00Z')).toEqual(inside);
    expect(inForce(yaml, '2030-06-03T17:00:00Z')).toEqual(outside);
    // All weekend the end of Friday's window holds.
    expect(inForce(yaml, '2030-06-09T12:00:00Z')).toEqual(outside);
  });

  it('window across a DST change: the same local hours before and after', () => {
    const yaml = `${GROUP}      business-hours: { recurrence: "0 7 * * *", until: "0 19 * * *", time_zone: Europe/Berlin, min: 4 }\n`;
    // 2030-03-31: clocks go forward at 02:00 local. 07:00 is 06:00 UTC before, 05:00 UTC after.
    expect(inForce(yaml, '2030-03-30T05:30:00Z').min).toEqual([2, 'gitops-web-business-hours-end']);
    expect(inForce(yaml, '2030-03-30T06:00:00Z').min).toEqual([4, 'gitops-web-business-hours']);
    expect(inForce(yaml, '2030-03-31T05:00:00Z').min).toEqual([4, 'gitops-web-business-hours']);
    expect(inForce(yaml, '2030-03-31T04:59:00Z').min).toEqual([2, 'gitops-web-business-hours-end']);
    expect(inForce(yaml, '2030-03-31T17:00:00Z').min).toEqual([2, 'gitops-web-business-hours-end']);
  });

  it('a field no schedule sets stays the YAML own, and one neither sets is absent', () => {
    const yaml =
      'groups:\n  web:\n    min: 2\n    schedules:\n      up: { recurrence: "0 6 * * *", desired: 3 }\n';
    expect(inForce(yaml, '2030-06-03T12:00:00Z')).toEqual({
      min: [2, 'yaml'],
      desired: [3, 'gitops-web-up'],
    });
  });

  it('say where a value comes from, in the schedule time zone', () => {
    const now = new Date('2030-06-04T08:00:00Z');
    const source = {
      from: 'schedule',
      label: 'schedule weeknights',
      action: 'gitops-web-weeknights',
      fired: '2030-06-03T19:00:00.000Z',
      timeZone: 'Europe/Berlin',
      yaml: 6,
    } as const;
    expect(describeSources({ max: source }, now)).toBe(
      'schedule weeknights, fired Mon 21:00 Europe/Berlin; YAML max 6',
    );
    expect(describeSources({ max: source }, new Date('2030-06-20T00:00:00Z'))).toBe(
      'schedule weeknights, fired Mon 2030-06-03 21:00 Europe/Berlin; YAML max 6',
    );
    const { yaml: _, ...noYaml } = source;
    expect(describeSources({ min: { ...noYaml, yaml: 2 }, max: source, desired: noYaml }, now)).toBe(
      'schedule weeknights, fired Mon 21:00 Europe/Berlin; YAML min 2, max 6, no desired',
    );
    expect(describeSources({ max: { from: 'yaml' } }, now)).toBeUndefined();
  });
});

// --- cron-parser against a minute walk -------------------------------------------------------------

const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `zone` at instant `t`, as minutes since the epoch read as UTC. */
function wall(t: number, zone: string): number {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0) / MINUTE;
}

interface Cron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** Empty: every day. */
  readonly weekdays: readonly number[];
}

function text(c: Cron): string {
  return `${c.minutes.join(',')} ${c.hours.join(',')} * * ${c.weekdays.length === 0 ? '*' : c.weekdays.join(',')}`;
}

function matches(c: Cron, wallMinute: number): boolean {
  const d = new Date(wallMinute * MINUTE);
  return (
    c.minutes.includes(d.getUTCMinutes()) &&
    c.hours.includes(d.getUTCHours()) &&
    (c.weekdays.length === 0 || c.weekdays.includes(d.getUTCDay()))
  );
}

/**
 * The rule, minute by minute: an instant fires when its wall clock in the zone matches. A wall
 * time the spring change skips never fires that day; one the autumn change repeats fires twice.
 */
function walkBack(c: Cron, zone: string, now: number, days: number): number | undefined {
  const last = Math.floor(now / MINUTE) * MINUTE;
  for (let t = last; t >= last - days * 86_400_000; t -= MINUTE) {
    if (matches(c, wall(t, zone))) return t;
  }
  return undefined;
}

/** DST changes of 2030 (UTC) in each zone, and none in UTC. */
const CHANGES: Readonly<Record<string, readonly string[]>> = {
  'Europe/Berlin': ['2030-03-31T01:00:00Z', '2030-10-27T01:00:00Z'],
  'America/New_York': ['2030-03-10T07:00:00Z', '2030-11-03T06:00:00Z'],
  'Australia/Sydney': ['2030-04-06T16:00:00Z', '2030-10-05T16:00:00Z'],
  'Europe/London': ['2030-03-31T01:00:00Z', '2030-10-27T01:00:00Z'],
  'Etc/UTC': ['2030-06-01T00:00:00Z'],
};

const cronArb = fc.record({
  minutes: fc.uniqueArray(fc.constantFrom(0, 15, 30, 45, 59), { minLength: 1, maxLength: 2 }),
  // Biased to the small hours, where the changes are.
  hours: fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 23 })), {
    minLength: 1,
    maxLength: 3,
  }),
  weekdays: fc.oneof(
    fc.constant([]),
    fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
  ),
});

const caseArb = fc
  .record({
    cron: cronArb,
    zone: fc.constantFrom(...Object.keys(CHANGES)),
    change: fc.nat(1),
    // Within two days either side of the change, to the millisecond.
    offset: fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }),
  })
  .map(({ cron, zone, change, offset }) => {
    const list = CHANGES[zone] ?? [];
    const base = Date.parse(list[change % list.length] ?? '2030-01-01T00:00:00Z');
    return { cron, zone, now: base + offset };
  });

describe('lastFiring against a minute walk across DST changes', () => {
  it('agrees on the last occurrence at or before now', () => {
    fc.assert(
      fc.property(caseArb, ({ cron, zone, now }) => {
        // Far enough back for the occurrence before one a spring change skipped: a weekly one is
        // then up to 14 days before a `now` two days past the change.
        const days = cron.weekdays.length === 0 ? 3 : 16;
        const expected = walkBack(cron, zone, now, days);
        const got = lastFiring({ recurrence: text(cron), timeZone: zone }, new Date(now));
        expect(got?.getTime()).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('a weekly time the spring change skips: the occurrence a week before it holds', () => {
    // Sunday 02:00 does not exist in Berlin on 2030-03-31 (found by the property above, seed 1912577568).
    const got = lastFiring(
      { recurrence: '0 2 * * 0', timeZone: 'Europe/Berlin' },
      new Date('2030-04-01T01:01:00Z'),
    );
    expect(got?.toISOString()).toBe('2030-03-24T01:00:00.000Z');
  });

  it('skips a time the spring change skips, and fires twice in the repeated autumn hour', () => {
    const at = (now: string) =>
      lastFiring({ recurrence: '30 2 * * *', timeZone: 'Europe/Berlin' }, new Date(now))?.toISOString();
    expect(at('2030-03-31T01:30:00Z')).toBe('2030-03-30T01:30:00.000Z');
    expect(at('2030-10-27T00:45:00Z')).toBe('2030-10-27T00:30:00.000Z');
    expect(at('2030-10-27T01:45:00Z')).toBe('2030-10-27T01:30:00.000Z');
  });
});
