import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunk,
  collectPages,
  concurrencyLimit,
  mapWithConcurrency,
  type Page,
  paginateByToken,
  settleWithConcurrency,
} from '../../../src/aws/batch.ts';

/** A promise settled from outside, to drive concurrency tests step by step. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('chunk', () => {
  it('splits into consecutive arrays of at most size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(chunk([1, 2], 100)).toEqual([[1, 2]]);
    expect(chunk([], 3)).toEqual([]);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], -1)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
    expect(() => chunk([1], Number.NaN)).toThrow(RangeError);
  });

  it('keeps every item once, in order, in non-empty chunks no larger than size', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (items, size) => {
        const chunks = chunk(items, size);
        expect(chunks.flat()).toEqual(items);
        expect(chunks.length).toBe(Math.ceil(items.length / size));
        for (const c of chunks) {
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(size);
        }
      }),
    );
  });
});

describe('concurrencyLimit', () => {
  it('runs at most limit tasks at once, the rest in the order handed in', async () => {
    const limit = concurrencyLimit(2);
    const gates = [deferred<void>(), deferred<void>(), deferred<void>(), deferred<void>()];
    const started: number[] = [];
    const done = gates.map((gate, i) =>
      limit(async () => {
        started.push(i);
        await gate.promise;
        return i * 10;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]?.resolve();
    gates[3]?.resolve();
    expect(await Promise.all(done)).toEqual([0, 10, 20, 30]);
  });

  it('hands a freed slot to a waiter, not also to a task handed in at that moment', async () => {
    const limit = concurrencyLimit(1);
    let inFlight = 0;
    let most = 0;
    const counted = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      inFlight--;
    };
    const first = deferred<void>();
    // The first task is first.promise itself: the limiter reacts to it one microtask after
    // resolve(), right after this bookkeeping (registered earlier).
    void first.promise.then(() => {
      inFlight--;
    });
    inFlight++;
    const all = [limit(() => first.promise), limit(counted)];
    await tick();
    // The newcomer is queued right behind the limiter's own reaction to the first task's end:
    // it arrives when the slot has just been freed and the waiter has not resumed yet.
    first.resolve();
    queueMicrotask(() => all.push(limit(counted)));
    await Promise.all(all);
    await Promise.all(all);
    expect(all.length).toBe(3);
    expect(inFlight).toBe(0);
    expect(most).toBe(1);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const limit = concurrencyLimit(1);
    const failed = limit(async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => concurrencyLimit(0)).toThrow(RangeError);
    expect(() => concurrencyLimit(2.5)).toThrow(RangeError);
  });
});

describe('mapWithConcurrency', () => {
  it('returns results in input order whatever order calls finish in', async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>(), deferred<void>()];
    const run = mapWithConcurrency([10, 20, 30, 40], 4, async (n, i) => {
      await gates[i]?.promise;
      return n + i;
    });
    for (const i of [3, 1, 0, 2]) {
      gates[i]?.resolve();
      await tick();
    }
    expect(await run).toEqual([10, 21, 32, 43]);
  });

  it('never has more than limit calls in flight, and does use the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency(
      Array.from({ length: 25 }, (_, i) => i),
      3,
      async (n) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        await tick();
        inFlight--;
        return n * 2;
      },
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
  });

  it('rejects with the first error only after in-flight calls settle, starting nothing new', async () => {
    const gates = Array.from({ length: 6 }, () => deferred<string>());
    const started: number[] = [];
    const finished: number[] = [];
    let rejected = false;
    const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 3, async (i) => {
      started.push(i);
      try {
        return await (gates[i]?.promise ?? Promise.reject(new Error('no gate')));
      } finally {
        finished.push(i);
      }
    }).catch((error: unknown) => {
      rejected = true;
      throw error;
    });
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.reject(new Error('first'));
    await tick();
    gates[2]?.reject(new Error('second'));
    await tick();
    // Item 0 is still running: no rejection yet, and no new item started.
    expect(rejected).toBe(false);
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve('late');
    await expect(run).rejects.toThrow('first');
    expect(finished.sort()).toEqual([0, 1, 2]);
    expect(started).toEqual([0, 1, 2]);
  });

  it('handles an empty input and passes indexes', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
    expect(await mapWithConcurrency(['a', 'b'], 8, async (s, i) => `${s}${i}`)).toEqual(['a0', 'b1']);
  });

  it('rejects a limit that is not a positive integer', async () => {
    await expect(mapWithConcurrency([1], 0, async (n) => n)).rejects.toThrow(RangeError);
    await expect(settleWithConcurrency([1], 2.5, async (n) => n)).rejects.toThrow(RangeError);
  });
});

describe('settleWithConcurrency', () => {
  it('keeps every outcome in input order, failures included, within the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await settleWithConcurrency([1, 2, 3, 4, 5], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
      if (n % 2 === 0) throw new Error(`bad ${n}`);
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      'bad 2',
      30,
      'bad 4',
      50,
    ]);
  });
});

describe('collectPages', () => {
  it('flattens the picked items of every page, skipping pages without items', async () => {
    async function* pages() {
      yield { Groups: [1, 2] };
      yield {};
      yield { Groups: [3] };
    }
    expect(await collectPages(pages(), (p: { Groups?: number[] }) => p.Groups)).toEqual([1, 2, 3]);
  });
});

describe('paginateByToken', () => {
  it('follows tokens until none comes back and keeps item order', async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], nextToken: 'a' },
      a: { items: [], nextToken: 'b' },
      b: { items: [3], nextToken: '' },
    };
    const tokens: (string | undefined)[] = [];
    const items = await paginateByToken(async (token) => {
      tokens.push(token);
      return pages[token ?? 'start'] ?? {};
    });
    expect(items).toEqual([1, 2, 3]);
    expect(tokens).toEqual([undefined, 'a', 'b']);
  });

  it('rejects a repeated token instead of looping', async () => {
    await expect(paginateByToken(async () => ({ items: [1], nextToken: 'same' }))).rejects.toThrow(
      'pagination token repeated: same',
    );
  });

  it('rejects after maxPages pages', async () => {
    let n = 0;
    await expect(
      paginateByToken(async () => ({ items: [n], nextToken: `t${n++}` }), { maxPages: 5 }),
    ).rejects.toThrow('pagination stopped after 5 pages');
    expect(n).toBe(5);
  });
});
