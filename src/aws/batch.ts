/**
 * Small generic helpers for reading AWS in batches: split names at an API's maximum, run the
 * batches with bounded parallelism, and walk token-paginated APIs.
 *
 * The SDK's own `paginateX` functions (paginateDescribeAutoScalingGroups, paginateDescribeAlarms,
 * paginateDescribeInstances, paginateListContainerInstances, ...) are fine where they exist;
 * {@link collectPages} flattens them. {@link paginateByToken} is for the rest (and for code that
 * wants the loop guard: a token that repeats ends the walk with an error instead of spinning).
 */

/** Splits `items` into consecutive arrays of at most `size` (the last may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns every outcome in input
 * order. Never rejects because of `fn`: each item becomes a `PromiseSettledResult`, so a caller
 * can mark what a failed batch covers as unknown and keep the rest.
 */
export async function settleWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  checkLimit(limit);
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        // `as T`: index < items.length, checked above.
        results[index] = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; resolves with the results in input
 * order. On the first failure no new call starts; the calls already in flight are awaited (so
 * nothing keeps running after this returns), then the promise rejects with that FIRST error.
 * Later errors are dropped. Use {@link settleWithConcurrency} to keep partial results.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  checkLimit(limit);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        if (!failed) {
          failed = true;
          firstError = error;
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw firstError;
  return results;
}

/**
 * A gate that lets at most `limit` tasks run at once, for calls that are discovered while others
 * are in flight (so no list exists up front for {@link settleWithConcurrency}). Tasks start in the
 * order they were handed in; each call's promise settles as its task does.
 */
export function concurrencyLimit(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  checkLimit(limit);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    // A finished task hands its slot straight to the next waiter: counting it free in between
    // would let a newcomer take it too.
    if (running >= limit) await new Promise<void>((start) => waiting.push(start));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}

/** Flattens the pages of an SDK paginator (or any async iterable of pages) into one array. */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    const items = pick(page);
    if (items !== undefined) out.push(...items);
  }
  return out;
}

export interface Page<T> {
  readonly items?: readonly T[] | undefined;
  /** Absent, undefined or empty: this was the last page. */
  readonly nextToken?: string | undefined;
}

export interface PaginateOptions {
  /** Stop with an error after this many pages (a runaway guard). Default 1000. */
  readonly maxPages?: number;
}

/**
 * Walks a token-paginated API: calls `fetchPage(undefined)`, then `fetchPage(token)` while a
 * token comes back, and returns every item in order. A token seen before, or more than
 * `maxPages` pages, rejects (an emulator or API bug must not loop forever).
 */
export async function paginateByToken<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  options: PaginateOptions = {},
): Promise<T[]> {
  const maxPages = options.maxPages ?? 1000;
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; ; ) {
    if (pages >= maxPages) throw new Error(`pagination stopped after ${maxPages} pages`);
    const page = await fetchPage(token);
    pages++;
    if (page.items !== undefined) out.push(...page.items);
    token = page.nextToken === undefined || page.nextToken === '' ? undefined : page.nextToken;
    if (token === undefined) return out;
    if (seen.has(token)) throw new Error(`pagination token repeated: ${token}`);
    seen.add(token);
  }
}
