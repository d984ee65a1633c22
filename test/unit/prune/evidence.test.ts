/** Gone and grace: EC2's transition time, the entry's time, and what happens with neither. */
import { describe, expect, it } from 'vitest';
import { indexInstances } from '../../../src/observe/instances.ts';
import {
  fateOf,
  formatAge,
  judge,
  transitionTime,
  UNKNOWN_TO_EC2,
} from '../../../src/plan/prune/evidence.ts';
import { iid, minutesAgo, NOW, running, terminated } from './fixtures.ts';

const GRACE = 600;

describe('transitionTime', () => {
  it('reads AWS (GMT) and moto (UTC) spellings, and nothing else', () => {
    expect(transitionTime('User initiated (2016-05-27 20:35:47 GMT)')?.toISOString()).toBe(
      '2016-05-27T20:35:47.000Z',
    );
    expect(transitionTime('User initiated (2026-11-22 02:33:03 UTC)')?.toISOString()).toBe(
      '2026-11-22T02:33:03.000Z',
    );
    expect(transitionTime('Service initiated (2026-01-02 03:04:05 GMT)')?.toISOString()).toBe(
      '2026-01-02T03:04:05.000Z',
    );
    expect(transitionTime('')).toBeUndefined();
    expect(transitionTime(undefined)).toBeUndefined();
    expect(transitionTime('Server.SpotInstanceTermination')).toBeUndefined();
  });
});

describe('fateOf', () => {
  const instances = indexInstances(
    [
      running(iid(1)),
      terminated(iid(2), 30),
      { id: iid(3), state: 'shutting-down' },
      { id: iid(4), state: 'stopped' },
    ],
    [iid(1), iid(2), iid(3), iid(4), iid(5)],
    [],
  );
  it('running and stopped are alive; terminated and shutting-down are gone; an unknown id is gone', () => {
    expect(fateOf(instances, iid(1))?.gone).toBe(false);
    expect(fateOf(instances, iid(4))?.gone).toBe(false);
    expect(fateOf(instances, iid(2))).toMatchObject({
      gone: true,
      state: 'terminated',
      since: minutesAgo(30),
    });
    expect(fateOf(instances, iid(3))).toMatchObject({ gone: true, state: 'shutting-down' });
    expect(fateOf(instances, iid(5))).toEqual({ gone: true, state: UNKNOWN_TO_EC2 });
  });
  it('decides nothing about an id that was not looked up', () => {
    expect(fateOf(instances, iid(6))).toBeUndefined();
  });
});

describe('judge', () => {
  const gone = (since?: Date) => ({ gone: true as const, state: 'terminated', ...(since ? { since } : {}) });
  const unknownToEc2 = { gone: true as const, state: UNKNOWN_TO_EC2 };

  it('uses EC2 time when there is one, whatever the entry says', () => {
    expect(judge('instance x', gone(minutesAgo(11)), minutesAgo(1).toISOString(), GRACE, NOW)).toMatchObject({
      prune: true,
      evidence: `instance x is terminated since ${minutesAgo(11).toISOString()} (11m ago, grace 10m)`,
      fields: { instance_state: 'terminated', gone_since: minutesAgo(11).toISOString() },
    });
    expect(judge('instance x', gone(minutesAgo(9)), minutesAgo(600).toISOString(), GRACE, NOW)).toEqual({
      prune: false,
      why: 'instance x is terminated since 9m ago: kept until grace (10m) has passed',
    });
  });

  it('grace is inclusive: exactly grace ago goes', () => {
    expect(judge('i', gone(minutesAgo(10)), undefined, GRACE, NOW).prune).toBe(true);
    expect(judge('i', gone(new Date(NOW.getTime() - GRACE * 1000 + 1000)), undefined, GRACE, NOW).prune).toBe(
      false,
    );
  });

  it('falls back to the entry time when EC2 gives none', () => {
    expect(judge('i', unknownToEc2, minutesAgo(20).toISOString(), GRACE, NOW)).toMatchObject({
      prune: true,
      fields: { entry_time: minutesAgo(20).toISOString() },
    });
    expect(judge('i', gone(), minutesAgo(2).toISOString(), GRACE, NOW)).toMatchObject({ prune: false });
  });

  it('with no time at all: an id EC2 forgot goes, one it lists as terminated waits', () => {
    expect(judge('i', unknownToEc2, undefined, GRACE, NOW).prune).toBe(true);
    expect(judge('i', gone(), undefined, GRACE, NOW)).toEqual({
      prune: false,
      why: 'i is terminated and no time is known: kept until EC2 gives a time or forgets the instance',
    });
  });

  it('a time in the future (clock skew) keeps the entry', () => {
    expect(judge('i', gone(new Date(NOW.getTime() + 60_000)), undefined, GRACE, NOW).prune).toBe(false);
  });
});

describe('formatAge', () => {
  it('reads at a glance', () => {
    expect([0, 45, 90, 600, 3600, 5400, 86_400 * 3 + 3600 * 4].map(formatAge)).toEqual([
      '0s',
      '45s',
      '1m 30s',
      '10m',
      '1h',
      '1h 30m',
      '3d 4h',
    ]);
  });
});
