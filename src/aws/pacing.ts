/**
 * Pacing: our AWS requests, reads and writes, go out no faster than AWS's documented request
 * rates (rates.ts, with their sources), so a large plan or apply waits its turn instead of being
 * throttled and burning retries (and the adaptive retry mode's own slow-down) on every call past
 * the burst. On AWS a burst of our own reads would otherwise provoke throttling: 500
 * DescribeTaskDefinition at once against ECS's bucket of 50 refilled at 20 a second.
 *
 * {@link Pacer} keeps the same token buckets on our side, one set per account context (region,
 * endpoint, role: AWS's buckets are per account and Region), and makes each attempt (retries
 * included: AWS counts those too) wait for a token of every bucket its request takes from.
 *
 * Waits are bounded: with a run deadline (deadline.ts), a request whose token would come after
 * the deadline is not made to wait for it; it fails with a DeadlineError naming itself, like any
 * request past the deadline, and its tokens go back: at once when that is known at once, else as
 * soon as it is (a bucket that starts refilling late, see {@link TokenBucket}). A wait for a
 * bucket's start lasts at most the deadline's remaining time and {@link START_WAIT_LIMIT_MS}.
 *
 * A Pacer is per run (a ClientPool), so parallel runs or other tools in the account still share
 * AWS's buckets: pacing removes the throttling we would cause ourselves; the SDK's retries
 * handle the rest. Quotas raised through Service Quotas can be passed as `rates`.
 */
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable } from '@smithy/types';
import { DeadlineError, type RunDeadline } from '../deadline.ts';
import {
  bucketsOf,
  isReadOperation,
  type Rate,
  type RateBucket,
  type RatedService,
  type RequestShape,
  withRates,
} from './rates.ts';

export { isReadOperation, type Rate } from './rates.ts';

export type PacedService = RatedService;

/**
 * One bucket. {@link reserve} hands out tokens in call order: a caller that finds the bucket
 * empty takes a token "on credit" (the level goes negative) and is told how long to wait for it,
 * so waiters are served first come, first served without a timer or a queue of their own.
 * {@link tryTake} is AWS's side of the same bucket: a token now, or a refusal.
 *
 * `margin` (tokens) is kept in hand on our side: AWS's clock is not ours. A request reaches AWS
 * some time after its token comes here, and that time varies: the first request of a run pays
 * for a connection and code loaded on first use, later ones do not, and a busy event loop delays
 * some more than others. AWS's bucket runs from when the requests reach it; a pacer that spent
 * its bucket to the last fraction would meet AWS's bucket short whenever a request travels
 * faster than the first did. The margin absorbs that much variation; it costs its own time once,
 * when the bucket first runs dry, not per request.
 *
 * `started: false`: the bucket does not refill until {@link start}. AWS's bucket cannot refill
 * for us before our first request reaches it, and we only know it has when its answer is back;
 * a pacer refilling from its own first request would count refill AWS never gave whenever that
 * first request took long to get there (a busy machine: a second is not unusual). Until then,
 * {@link reserve} says how long after the start a caller must wait. The pacer does not wait for
 * that start forever (the first request may never be answered): see {@link Pacer.acquire}.
 */
export class TokenBucket {
  readonly rate: Rate;
  readonly #cap: number;
  #tokens: number;
  #updated: number;
  #startedAt: number | undefined;
  readonly #started: Promise<number>;
  #markStarted: (at: number) => void = () => {};

  constructor(rate: Rate, now: number, margin = 0, started = true) {
    if (!(rate.burst >= 1) || !(rate.perSecond > 0)) {
      throw new RangeError(`a bucket needs burst >= 1 and perSecond > 0, got ${JSON.stringify(rate)}`);
    }
    if (!(margin >= 0 && margin <= rate.burst - 1)) {
      throw new RangeError(`a bucket's margin must be in [0, burst - 1], got ${margin}`);
    }
    this.rate = rate;
    this.#cap = rate.burst - margin;
    this.#tokens = this.#cap;
    this.#updated = now;
    this.#started = new Promise((resolve) => {
      this.#markStarted = resolve;
    });
    if (started) this.start(now);
  }

  get started(): boolean {
    return this.#startedAt !== undefined;
  }

  /** When the refill started (undefined: not yet). */
  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  /** Refill runs from `now` on (once; later calls change nothing). */
  start(now: number): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = now;
    this.#updated = now;
    this.#markStarted(now);
  }

  /** Resolves to when the refill started. */
  whenStarted(): Promise<number> {
    return this.#started;
  }

  /** Tokens in the bucket at `now` (negative: owed to callers already waiting). */
  level(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /**
   * Takes one token; returns the milliseconds to wait before using it (0: at once), counted from
   * now, or from the start when the bucket has not started.
   */
  reserve(now: number): number {
    this.#refill(now);
    this.#tokens -= 1;
    return this.waitFor(this.#tokens);
  }

  /** Gives back a token taken by {@link reserve} and not used. */
  refund(now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#cap, this.#tokens + 1);
  }

  /** Whether a whole token is there now (to within rounding: refills add up fractions). */
  hasToken(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= 1 - 1e-9;
  }

  /** Takes one token if there is a whole one now; false (nothing taken) otherwise. */
  tryTake(now: number): boolean {
    if (!this.hasToken(now)) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a level reached by reserving is paid back (0 when not negative). */
  waitFor(level: number): number {
    return level >= 0 ? 0 : Math.ceil((-level * 1000) / this.rate.perSecond);
  }

  #refill(now: number): void {
    if (this.#startedAt === undefined) return;
    const elapsed = Math.max(0, now - this.#updated);
    this.#updated = Math.max(this.#updated, now);
    this.#tokens = Math.min(this.#cap, this.#tokens + (elapsed * this.rate.perSecond) / 1000);
  }
}

/** Resolves after `ms`; when `signal` aborts first, it may resolve early or never (either is fine). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PacerOptions {
  /** Overrides by bucket name (raised quotas, or tests); an unknown name is an error. */
  readonly rates?: Readonly<Record<string, Rate>>;
  /** Pace reads too (the default), or writes only. */
  readonly reads?: boolean;
  /**
   * When a bucket starts refilling: at the first answer to a request through it (the default;
   * {@link Pacer.answered}, which the middleware calls), or at its first request (callers that
   * never report answers).
   */
  readonly refillFrom?: 'first-answer' | 'first-request';
  /** Milliseconds; default `performance.now`. */
  readonly now?: () => number;
  /** Default a timer. */
  readonly sleep?: Sleep;
}

export interface PacingStats {
  /** Attempts that went through a bucket, per bucket. */
  readonly paced: Readonly<Record<string, number>>;
  /** Of those, how many had to wait, per bucket (the one they waited longest for). */
  readonly waited: Readonly<Record<string, number>>;
  /** Total milliseconds waited (summed over callers). */
  readonly waitedMs: number;
}

/** What else an attempt brings to {@link Pacer.acquire}. */
export interface AcquireOptions {
  /** EC2's unfiltered, unpaginated reads take from a smaller bucket. */
  readonly shape?: RequestShape;
  /** A token due after it is not waited for: DeadlineError (see {@link Pacer.acquire}). */
  readonly deadline?: RunDeadline;
}

/**
 * How much variation in the time from our token to AWS's bucket the pacer absorbs (see
 * {@link TokenBucket}): a quarter of a second, a connection's set-up with room to spare. Measured
 * on the bench on a loaded 2-core machine, half a token (25 ms at 20 a second) still met 12
 * refusals in 512 DescribeTaskDefinition.
 */
export const PACING_MARGIN_SECONDS = 0.25;

/** The tokens a bucket of `rate` keeps in hand: {@link PACING_MARGIN_SECONDS} of refill, at most all but one. */
export function pacingMargin(rate: Rate): number {
  return Math.min(rate.burst - 1, rate.perSecond * PACING_MARGIN_SECONDS);
}

const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    // A timer raced against a bucket's start is cleared once the start wins.
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * The longest a request waits for the first answer through a bucket that has not started
 * refilling (see {@link TokenBucket}) before the bucket refills from then on regardless: an AWS
 * request's own default timeout (timeouts.ts), by which an answer has normally come.
 */
export const START_WAIT_LIMIT_MS = 30_000;

/** Token buckets per (context, bucket); share one per run. */
export class Pacer {
  readonly #table: readonly RateBucket[];
  readonly #reads: boolean;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #refillFromRequest: boolean;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #paced = new Map<string, number>();
  readonly #waited = new Map<string, number>();
  #waitedMs = 0;

  constructor(options: PacerOptions = {}) {
    this.#table = withRates(options.rates);
    this.#reads = options.reads ?? true;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? timerSleep;
    this.#refillFromRequest = options.refillFrom === 'first-request';
  }

  /** The buckets one attempt of `service:operation` takes from (none when not paced). */
  bucketsOf(service: string, operation: string, shape?: RequestShape): RateBucket[] {
    if (!this.#reads && isReadOperation(operation)) return [];
    return bucketsOf(service, operation, shape, this.#table);
  }

  /**
   * Waits for the tokens of one attempt of `service:operation` in `context` (one account and
   * region). Resolves to the milliseconds waited; rejects with a DeadlineError, giving the tokens
   * back, when they would come after the run's deadline: at once, or, for a bucket that has not
   * started refilling, once its start (or the deadline) shows they would.
   */
  async acquire(
    context: string,
    service: string,
    operation: string,
    options: AcquireOptions = {},
  ): Promise<number> {
    const rated = this.bucketsOf(service, operation, options.shape);
    if (rated.length === 0) return 0;
    const now = this.#now();
    let wait = 0;
    let longest: string | undefined;
    const taken: TokenBucket[] = [];
    // Buckets not refilling yet: the token comes `ms` after their start.
    const unstarted: { bucket: TokenBucket; ms: number }[] = [];
    for (const rate of rated) {
      const bucket = this.#bucket(context, rate, now);
      const ms = bucket.reserve(now);
      taken.push(bucket);
      bump(this.#paced, rate.name);
      if (ms > 0 && !bucket.started) unstarted.push({ bucket, ms });
      if (ms > wait) {
        wait = ms;
        longest = rate.name;
      }
    }
    // Refused: the tokens go back, and the request fails naming itself, like any past the deadline.
    const refuse = (deadline: RunDeadline, ms: number, when = ''): never => {
      const at = this.#now();
      for (const bucket of taken) bucket.refund(at);
      throw new DeadlineError(
        `${deadline.text}: ${service}:${operation} not started (AWS's request rate would have it wait ${(ms / 1000).toFixed(1)} s${when}, past the deadline)`,
      );
    };
    const { deadline } = options;
    if (wait > 0 && deadline !== undefined && wait >= deadline.remainingMs) refuse(deadline, wait);
    if (wait === 0 || longest === undefined) return 0;
    bump(this.#waited, longest);
    let until = now + wait;
    let startWait = 0;
    if (unstarted.length > 0) {
      // The first answer through those buckets usually comes within a request's own time, but
      // nothing promises one (the requests holding their tokens may still be waiting on another
      // bucket, or their answer may be slow): wait for it no longer than the deadline leaves,
      // nor than START_WAIT_LIMIT_MS, then refill from now (later than AWS's start: safe).
      const limit = Math.min(START_WAIT_LIMIT_MS, deadline?.remainingMs ?? START_WAIT_LIMIT_MS);
      const timer = new AbortController();
      await Promise.race([
        Promise.all(unstarted.map(({ bucket }) => bucket.whenStarted())),
        this.#sleep(limit, timer.signal),
      ]);
      timer.abort();
      for (const { bucket, ms } of unstarted) {
        if (!bucket.started) {
          if (deadline?.passed === true) refuse(deadline, ms, ' after a first answer that has not come');
          bucket.start(this.#now());
        }
        until = Math.max(until, (bucket.startedAt ?? now) + ms);
      }
      startWait = Math.max(0, Math.ceil(this.#now() - now));
    }
    // Checked again: a start that came late puts the token late, perhaps past the deadline.
    const left = Math.max(0, Math.ceil(until - this.#now()));
    if (left > 0 && deadline !== undefined && left >= deadline.remainingMs) refuse(deadline, left);
    if (left > 0) await this.#sleep(left);
    this.#waitedMs += startWait + left;
    return startWait + left;
  }

  /**
   * An attempt of `service:operation` in `context` was answered (or failed): AWS has seen our
   * first request through its buckets by now, so they refill from here on.
   */
  answered(context: string, service: string, operation: string, shape?: RequestShape): void {
    const now = this.#now();
    for (const rate of this.bucketsOf(service, operation, shape)) {
      this.#buckets.get(`${context}\u0000${rate.name}`)?.start(now);
    }
  }

  #bucket(context: string, rate: RateBucket, now: number): TokenBucket {
    const key = `${context}\u0000${rate.name}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(rate, now, pacingMargin(rate), this.#refillFromRequest);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  stats(): PacingStats {
    return {
      paced: Object.fromEntries(this.#paced),
      waited: Object.fromEntries(this.#waited),
      waitedMs: this.#waitedMs,
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function operationName(context: { commandName?: unknown }): string {
  const name = typeof context.commandName === 'string' ? context.commandName : 'Unknown';
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}

/** EC2's smaller bucket is for requests with no filter and no page; ids do not count (see RequestShape in rates.ts). */
export function requestShape(input: unknown): RequestShape {
  if (typeof input !== 'object' || input === null) return { unfilteredUnpaginated: true };
  const fields = input as { Filters?: unknown[]; MaxResults?: unknown; NextToken?: unknown };
  const filtered = Array.isArray(fields.Filters) && fields.Filters.length > 0;
  const paged = fields.MaxResults !== undefined || fields.NextToken !== undefined;
  return { unfilteredUnpaginated: !filtered && !paged };
}

/**
 * The pacing middleware as a plugin for any v3 client: inside the retry loop (so every attempt
 * takes a token) and before signing (so a request that waited is signed when it leaves).
 */
export function pacingPlugin<Input extends object, Output extends MetadataBearer>(
  service: PacedService,
  pacer: Pacer,
  context: string,
  deadline?: RunDeadline,
): Pluggable<Input, Output> {
  const pace: FinalizeRequestMiddleware<Input, Output> = (next, handlerContext) => async (args) => {
    const operation = operationName(handlerContext);
    const shape = service === 'EC2' ? requestShape(args.input) : undefined;
    await pacer.acquire(context, service, operation, {
      ...(shape === undefined ? {} : { shape }),
      ...(deadline === undefined ? {} : { deadline }),
    });
    try {
      return await next(args);
    } finally {
      pacer.answered(context, service, operation, shape);
    }
  };
  return {
    applyToStack(stack) {
      stack.addRelativeTo(pace, {
        relation: 'before',
        toMiddleware: 'httpSigningMiddleware',
        name: 'autoscaleGitopsPacing',
        override: true,
      });
    },
  };
}
