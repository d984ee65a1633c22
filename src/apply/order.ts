/**
 * Runs changes in dependency order with bounded parallelism. A change starts once every change
 * it depends on is applied; if one of them failed, was skipped or is blocked, it is skipped and
 * says why. Independent changes go on whatever fails. Past the run's deadline no change starts:
 * each one left is skipped and says so (those in flight finish).
 */
import type { RunDeadline } from '../deadline.ts';
import type { Change, ChangeResult } from '../model.ts';
import { reasonOf } from '../observe/scoped.ts';

export async function runInOrder(
  changes: readonly Change[],
  blocked: ReadonlySet<string>,
  concurrency: number,
  /** May resolve with a note for the result (a string); anything else is no note. */
  run: (change: Change) => Promise<unknown>,
  deadline?: RunDeadline,
): Promise<Map<string, ChangeResult>> {
  const results = new Map<string, ChangeResult>();
  const inPlan = new Set(changes.map((c) => c.address));
  const pending = [...changes];
  const running = new Set<Promise<void>>();

  /** 'ready', 'waiting', or why the change cannot run. */
  const stateOf = (change: Change): 'ready' | 'waiting' | string => {
    for (const dep of change.dependsOn) {
      if (blocked.has(dep)) return `depends on ${dep}, which is blocked`;
      if (!inPlan.has(dep)) continue;
      const result = results.get(dep);
      if (result === undefined) return 'waiting';
      if (result.status === 'failed') return `depends on ${dep}, which failed`;
      if (result.status === 'skipped') return `depends on ${dep}, which was skipped`;
    }
    return 'ready';
  };

  while (pending.length > 0 || running.size > 0) {
    for (let i = 0; i < pending.length; ) {
      const change = pending[i] as Change;
      const state = stateOf(change);
      if (state === 'waiting' || (state === 'ready' && running.size >= concurrency)) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      if (state === 'ready' && deadline?.passed) {
        results.set(change.address, { status: 'skipped', why: `${deadline.text} before it started` });
        i = 0;
        continue;
      }
      if (state !== 'ready') {
        results.set(change.address, { status: 'skipped', why: state });
        i = 0; // a skip can unblock (by skipping) changes seen earlier
        continue;
      }
      const task: Promise<void> = run(change)
        .then(
          (note) =>
            void results.set(change.address, {
              status: 'applied',
              ...(typeof note === 'string' ? { note } : {}),
            }),
          (error: unknown) => void results.set(change.address, { status: 'failed', error: reasonOf(error) }),
        )
        .finally(() => running.delete(task));
      running.add(task);
    }
    if (running.size === 0) {
      // Nothing runs and nothing can start: what is left waits on itself.
      for (const change of pending.splice(0)) {
        results.set(change.address, { status: 'skipped', why: 'its dependencies form a cycle' });
      }
      break;
    }
    await Promise.race(running);
  }
  return results;
}
