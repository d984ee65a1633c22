/**
 * Write pacing: apply's AWS writes go out no faster than AWS's documented request rates, so a
 * large apply waits its turn instead of being throttled and burning retries (and the adaptive
 * retry mode's own slow-down) on every call past the burst.
 *
 * AWS throttles with token buckets per account and region, one bucket per API category: a
 * bucket holds `burst` tokens, each request takes one, and `perSecond` tokens come back every
 * second. {@link Pacer} keeps the same buckets on our side, one per (account context, category),
 * and makes each write attempt (retries included: AWS counts those too) wait for its token.
 * Reads are not paced: observe batches them at each API's maximum and bounds its concurrency.
 *
 * The rates, and where they come from (looked up November 2026):
 *
 * - CloudWatch, "CloudWatch service quotas" (docs.aws.amazon.com/AmazonCloudWatch/latest/
 *   monitoring/cloudwatch_limits.html): "Rate of PutMetricAlarm requests: 3 per second"
 *   (quota L-0720E68F, adjustable) and "Rate of DeleteAlarms requests: 3 per second". A plain
 *   per-second quota: modelled as a bucket of 3 refilled at 3 per second.
 * - ECS, "Request throttling for the Amazon ECS API" (docs.aws.amazon.com/AmazonECS/latest/
 *   APIReference/request-throttling.html): Service modify actions (CreateService,
 *   DeleteService, UpdateService) burst 50, sustained 5; Cluster resource modify actions
 *   (DeregisterContainerInstance, UpdateContainerInstancesState, StopTask, ...) 100 / 40; Tag
 *   modify actions (TagResource, UntagResource) 20 / 10.
 * - EC2, "Request throttling for the Amazon EC2 API" (docs.aws.amazon.com/ec2/latest/devguide/
 *   ec2-api-throttling.html): Mutating actions 50 / 5; TerminateInstances 100 / 5; CreateTags
 *   and DeleteTags 100 / 10.
 * - Elastic Load Balancing, "Request throttling for the ELB API" (docs.aws.amazon.com/
 *   elasticloadbalancing/latest/userguide/elb-api-throttling.html): token buckets per API
 *   version, with registration actions (RegisterTargets, DeregisterTargets) in a bucket of
 *   their own; the page's example is the non-mutating bucket (40, refilled at 10 per second)
 *   and mutating buckets are smaller. We pace registrations and other mutations at 10 / 2: at
 *   or below every published ELB figure. One call carries a whole batch of targets, so this
 *   rarely waits.
 * - EC2 Auto Scaling publishes no per-action rates ("API requests are throttled per account and
 *   Region"). We use 20 / 5, the same order as the published mutating rates of EC2 and ECS,
 *   which EC2 Auto Scaling sits beside.
 *
 * A Pacer is per run (a ClientPool), so parallel runs or other tools in the account still share
 * AWS's buckets: pacing removes the throttling we would cause ourselves; the SDK's retries
 * handle the rest. Quotas raised through Service Quotas can be passed as `rates`.
 */
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable } from '@smithy/types';

/** A token bucket's shape: `burst` tokens at most, `perSecond` refilled each second. */
export interface Rate {
  readonly burst: number;
  readonly perSecond: number;
}

export type PacedService = 'AutoScaling' | 'EC2' | 'ECS' | 'CloudWatch' | 'ELBv2';

export interface WriteCategory extends Rate {
  /** Unique; the key of {@link PacerOptions.rates}. */
  readonly name: string;
  readonly service: PacedService;
  /** The operations of this category; `'other-writes'`: every write of the service not listed elsewhere. */
  readonly operations: readonly string[] | 'other-writes';
}

/** AWS's documented write rates (see the file comment for the sources). */
export const WRITE_CATEGORIES: readonly WriteCategory[] = Object.freeze([
  {
    name: 'cloudwatch-put-metric-alarm',
    service: 'CloudWatch',
    operations: ['PutMetricAlarm'],
    burst: 3,
    perSecond: 3,
  },
  {
    name: 'cloudwatch-delete-alarms',
    service: 'CloudWatch',
    operations: ['DeleteAlarms'],
    burst: 3,
    perSecond: 3,
  },
  // Other CloudWatch writes have their own, higher quotas (PutMetricData 500/s, TagResource 20/s).
  {
    name: 'ecs-service-modify',
    service: 'ECS',
    operations: ['CreateService', 'DeleteService', 'UpdateService'],
    burst: 50,
    perSecond: 5,
  },
  {
    name: 'ecs-cluster-resource-modify',
    service: 'ECS',
    operations: [
      'DeleteAttributes',
      'DeregisterContainerInstance',
      'ExecuteCommand',
      'PutAttributes',
      'RunTask',
      'StartTask',
      'StopTask',
      'UpdateContainerAgent',
      'UpdateContainerInstancesState',
    ],
    burst: 100,
    perSecond: 40,
  },
  {
    name: 'ecs-tag-modify',
    service: 'ECS',
    operations: ['TagResource', 'UntagResource'],
    burst: 20,
    perSecond: 10,
  },
  {
    name: 'ec2-terminate-instances',
    service: 'EC2',
    operations: ['TerminateInstances'],
    burst: 100,
    perSecond: 5,
  },
  { name: 'ec2-tags', service: 'EC2', operations: ['CreateTags', 'DeleteTags'], burst: 100, perSecond: 10 },
  { name: 'ec2-mutating', service: 'EC2', operations: 'other-writes', burst: 50, perSecond: 5 },
  {
    name: 'elbv2-registration',
    service: 'ELBv2',
    operations: ['RegisterTargets', 'DeregisterTargets'],
    burst: 10,
    perSecond: 2,
  },
  { name: 'elbv2-mutating', service: 'ELBv2', operations: 'other-writes', burst: 10, perSecond: 2 },
  {
    name: 'autoscaling-mutating',
    service: 'AutoScaling',
    operations: 'other-writes',
    burst: 20,
    perSecond: 5,
  },
] satisfies WriteCategory[]);

/** Reads (never paced): what AWS's throttling pages call non-mutating actions. */
export function isReadOperation(operation: string): boolean {
  return /^(Describe|List|Get)/.test(operation);
}

/** The write category of an operation, or undefined for reads and services not paced. */
export function categoryOf(
  service: string,
  operation: string,
  categories: readonly WriteCategory[] = WRITE_CATEGORIES,
): WriteCategory | undefined {
  if (isReadOperation(operation)) return undefined;
  const ofService = categories.filter((c) => c.service === service);
  return (
    ofService.find((c) => c.operations !== 'other-writes' && c.operations.includes(operation)) ??
    ofService.find((c) => c.operations === 'other-writes')
  );
}

/**
 * One bucket. {@link reserve} hands out tokens in call order: a caller that finds the bucket
 * empty takes a token "on credit" (the level goes negative) and is told how long to wait for it,
 * so waiters are served first come, first served without a timer or a queue of their own.
 */
export class TokenBucket {
  readonly rate: Rate;
  #tokens: number;
  #updated: number;

  constructor(rate: Rate, now: number) {
    if (!(rate.burst >= 1) || !(rate.perSecond > 0)) {
      throw new RangeError(`a bucket needs burst >= 1 and perSecond > 0, got ${JSON.stringify(rate)}`);
    }
    this.rate = rate;
    this.#tokens = rate.burst;
    this.#updated = now;
  }

  /** Tokens in the bucket at `now` (negative: owed to callers already waiting). */
  level(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Takes one token; resolves to the milliseconds to wait before using it (0: at once). */
  reserve(now: number): number {
    this.#refill(now);
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens * 1000) / this.rate.perSecond);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updated);
    this.#updated = Math.max(this.#updated, now);
    this.#tokens = Math.min(this.rate.burst, this.#tokens + (elapsed * this.rate.perSecond) / 1000);
  }
}

export type Sleep = (ms: number) => Promise<void>;

export interface PacerOptions {
  /** Overrides by category name (raised quotas, or tests). */
  readonly rates?: Readonly<Record<string, Rate>>;
  /** Milliseconds; default `performance.now`. */
  readonly now?: () => number;
  /** Default a timer. */
  readonly sleep?: Sleep;
}

export interface PacingStats {
  /** Write attempts that went through a bucket, per category. */
  readonly paced: Readonly<Record<string, number>>;
  /** Of those, how many had to wait, per category. */
  readonly waited: Readonly<Record<string, number>>;
  /** Total milliseconds waited (summed over callers). */
  readonly waitedMs: number;
}

const timerSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Token buckets per (context, category); share one per run. */
export class Pacer {
  readonly #categories: readonly WriteCategory[];
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #paced = new Map<string, number>();
  readonly #waited = new Map<string, number>();
  #waitedMs = 0;

  constructor(options: PacerOptions = {}) {
    const rates = options.rates ?? {};
    for (const name of Object.keys(rates)) {
      if (!WRITE_CATEGORIES.some((c) => c.name === name)) throw new Error(`unknown pacing category: ${name}`);
    }
    this.#categories = WRITE_CATEGORIES.map((c) => ({ ...c, ...rates[c.name] }));
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? timerSleep;
  }

  /**
   * Waits for the token of one attempt of `service:operation` in `context` (one account and
   * region: AWS's buckets are per account and Region). Reads return at once. Resolves to the
   * milliseconds waited.
   */
  async acquire(context: string, service: string, operation: string): Promise<number> {
    const category = categoryOf(service, operation, this.#categories);
    if (category === undefined) return 0;
    const key = `${context}\u0000${category.name}`;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(category, now);
      this.#buckets.set(key, bucket);
    }
    const wait = bucket.reserve(now);
    bump(this.#paced, category.name);
    if (wait > 0) {
      bump(this.#waited, category.name);
      this.#waitedMs += wait;
      await this.#sleep(wait);
    }
    return wait;
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

/**
 * The pacing middleware as a plugin for any v3 client: inside the retry loop (so every attempt
 * takes a token) and before signing (so a request that waited is signed when it leaves).
 */
export function pacingPlugin<Input extends object, Output extends MetadataBearer>(
  service: PacedService,
  pacer: Pacer,
  context: string,
): Pluggable<Input, Output> {
  const pace: FinalizeRequestMiddleware<Input, Output> = (next, handlerContext) => async (args) => {
    await pacer.acquire(context, service, operationName(handlerContext));
    return next(args);
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
