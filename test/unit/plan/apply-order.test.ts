/** apply's scheduler (src/apply/order.ts): dependency order, failures skip dependents only. */
import { describe, expect, it } from 'vitest';
import { runInOrder } from '../../../src/apply/order.ts';
import { RunDeadline } from '../../../src/deadline.ts';
import type { Change } from '../../../src/model.ts';

function change(address: string, dependsOn: string[] = []): Change {
  return {
    address,
    type: 'scaling_policy',
    action: 'create',
    id: address,
    before: null,
    after: {},
    reason: '',
    scope: { region: 'us-east-1' },
    dependsOn,
    operation: { kind: 'delete_alarm', name: address },
  };
}

describe('runInOrder', () => {
  it('past the deadline starts nothing more: what runs finishes, the rest is skipped and says why', async () => {
    let clock = 0;
    const deadline = new RunDeadline(60, () => clock);
    const changes = [change('a'), change('b'), change('c', ['a']), change('d')];
    const started: string[] = [];
    const results = await runInOrder(
      changes,
      new Set(),
      2,
      async (c) => {
        started.push(c.address);
        await Promise.resolve();
        // The deadline passes while a and b are in flight: both finish, nothing else starts.
        clock = 61_000;
      },
      deadline,
    );
    expect(started).toEqual(['a', 'b']);
    expect(results.get('a')).toEqual({ status: 'applied' });
    expect(results.get('b')).toEqual({ status: 'applied' });
    const why = "the run's timeout (1m) passed before it started";
    expect(results.get('c')).toEqual({ status: 'skipped', why });
    expect(results.get('d')).toEqual({ status: 'skipped', why });
  });

  it('runs a change only after what it depends on, independent ones in parallel', async () => {
    const log: string[] = [];
    const changes = [
      change('alarm', ['policy']),
      change('policy', ['group']),
      change('group'),
      change('other'),
    ];
    const results = await runInOrder(changes, new Set(), 4, async (c) => {
      log.push(`start ${c.address}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${c.address}`);
    });
    expect(log.indexOf('end group')).toBeLessThan(log.indexOf('start policy'));
    expect(log.indexOf('end policy')).toBeLessThan(log.indexOf('start alarm'));
    expect(log.slice(0, 2).sort()).toEqual(['start group', 'start other']);
    expect([...results.values()].every((r) => r.status === 'applied')).toBe(true);
  });

  it('skips the dependents of a failure, transitively, and goes on with the rest', async () => {
    const changes = [
      change('group'),
      change('policy', ['group']),
      change('alarm', ['policy']),
      change('other'),
    ];
    const results = await runInOrder(changes, new Set(), 2, async (c) => {
      if (c.address === 'group') throw Object.assign(new Error('no template'), { name: 'ValidationError' });
    });
    expect(Object.fromEntries(results)).toEqual({
      group: { status: 'failed', error: 'ValidationError: no template' },
      policy: { status: 'skipped', why: 'depends on group, which failed' },
      alarm: { status: 'skipped', why: 'depends on policy, which was skipped' },
      other: { status: 'applied' },
    });
  });

  it('skips what depends on a blocked change', async () => {
    const results = await runInOrder([change('policy', ['group'])], new Set(['group']), 2, async () => {});
    expect(results.get('policy')).toEqual({ status: 'skipped', why: 'depends on group, which is blocked' });
  });

  it('never runs more than the concurrency limit at once', async () => {
    let running = 0;
    let peak = 0;
    const changes = Array.from({ length: 10 }, (_, i) => change(`c${i}`));
    await runInOrder(changes, new Set(), 3, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
    });
    expect(peak).toBe(3);
  });

  it('skips a cycle instead of hanging', async () => {
    const results = await runInOrder([change('a', ['b']), change('b', ['a'])], new Set(), 2, async () => {});
    expect(results.get('a')).toEqual({ status: 'skipped', why: 'its dependencies form a cycle' });
  });
});
