/** How the owned alarms' listing is split by name prefix (observe/alarm-prefixes.ts). Pure. */
import { describe, expect, it } from 'vitest';
import { alarmListings, type GroupAlarms } from '../../../src/observe/alarm-prefixes.ts';

const groups = (names: readonly string[], alarms = 2): GroupAlarms[] =>
  names.map((group) => ({ group, prefix: `gitops-${group}-`, alarms }));

/** The bench's names: fleet-g0000-asg … */
const fleet = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `fleet-g${String(i).padStart(4, '0')}-asg`);

/** Every group's prefix starts with exactly one listing's prefix, and that listing names it. */
function expectCovered(listings: ReturnType<typeof alarmListings>, input: readonly GroupAlarms[]): void {
  for (const g of input) {
    const holding = listings.filter((l) => g.prefix.startsWith(l.prefix));
    expect(holding.map((l) => l.prefix)).toHaveLength(1);
    expect(holding[0]?.groups).toContain(g.group);
  }
  expect(listings.flatMap((l) => l.groups).sort()).toEqual(input.map((g) => g.group).sort());
}

describe('alarm listings by name prefix', () => {
  it('splits 1,000 groups (2,000 alarms) into 10 listings of 2 pages: 20 calls, a chain of 2', () => {
    const input = groups(fleet(1000));
    const listings = alarmListings(input, 100);
    expect(listings.map((l) => l.prefix)).toEqual(
      Array.from({ length: 10 }, (_, i) => `gitops-fleet-g0${i}`),
    );
    expect(listings.map((l) => l.pages)).toEqual(Array(10).fill(2));
    expectCovered(listings, input);
  });

  it('keeps one listing, at the groups\u2019 common prefix, when a split would cost calls', () => {
    const input = groups(['web-prod', 'api-prod', 'worker-prod']);
    expect(alarmListings(input, 100)).toEqual([
      { prefix: 'gitops-', groups: ['api-prod', 'web-prod', 'worker-prod'], pages: 1 },
    ]);
    expect(alarmListings(groups(['shop-a', 'shop-b']), 100)).toEqual([
      { prefix: 'gitops-shop-', groups: ['shop-a', 'shop-b'], pages: 1 },
    ]);
    expect(alarmListings(groups(['solo']), 100)).toEqual([
      { prefix: 'gitops-solo-', groups: ['solo'], pages: 1 },
    ]);
  });

  it('never splits below a group whose prefix starts another\u2019s (web and web-api)', () => {
    const input = [...groups(['web', 'web-api'], 100), ...groups(['api'], 100)];
    const listings = alarmListings(input, 100);
    expect(listings).toEqual([
      { prefix: 'gitops-api-', groups: ['api'], pages: 1 },
      { prefix: 'gitops-web-', groups: ['web', 'web-api'], pages: 2 },
    ]);
    expectCovered(listings, input);
  });

  it('stays within 10 % of one listing\u2019s calls, whatever the names', () => {
    // Unpadded numbers split unevenly: g1 holds g1, g10–g19, g100–g199.
    const names = Array.from({ length: 1000 }, (_, i) => `g${i}x`);
    const input = groups(names);
    const listings = alarmListings(input, 100);
    const calls = listings.reduce((n, l) => n + l.pages, 0);
    expect(calls).toBeLessThanOrEqual(22);
    expectCovered(listings, input);
  });

  it('counts a listing of groups without alarms as one call', () => {
    const input = [...groups(['a1', 'a2'], 0), ...groups(['b1'], 0)];
    expect(alarmListings(input, 100)).toEqual([{ prefix: 'gitops-', groups: ['a1', 'a2', 'b1'], pages: 1 }]);
    expect(alarmListings([], 100)).toEqual([]);
  });

  it('never cuts a prefix in the middle of a character', () => {
    const input = groups(['\u{1F600}a', '\u{1F601}b'], 100);
    const listings = alarmListings(input, 100);
    expect(listings.map((l) => l.prefix)).toEqual(['gitops-\u{1F600}a-', 'gitops-\u{1F601}b-']);
    expectCovered(listings, input);
  });
});
