/**
 * The rate-limit floor: the least wall time one plan can take on AWS, given AWS's request rates
 * (src/aws/rates.ts, the table the pacer and the proxy's rate model use) and the calls the
 * honest lower bound needs (bounds.ts).
 *
 *   floor = max( max over buckets b of ( (N_b - B_b)⁺ / r_b + L ),  R × L )
 *
 * - N_b: the bound's calls that take a token of bucket b (a call may take from two: its
 *   category's and an account-level bucket); B_b its burst, r_b its refill per second. Starting
 *   full (an idle account), the bucket lets B_b calls go at once and one per 1/r_b s after, so
 *   the last of N_b cannot leave before (N_b - B_b) / r_b, and its answer comes L later.
 * - R × L: the longest chain of calls that each need the one before (pages of a listing),
 *   R round trips of L (the latency per request) each.
 *
 * Each term is a lower bound on its own, so their maximum is one too; the work between them
 * (our CPU, overlapping chains with buckets) only adds.
 */
import { bucketsOf, type RateBucket } from '../../src/aws/rates.ts';

export interface BucketDemand {
  readonly bucket: RateBucket;
  /** Calls of the bound that take a token of this bucket, and from which operations. */
  readonly calls: number;
  readonly operations: Readonly<Record<string, number>>;
  /** (N - B)⁺ / r + L, ms. */
  readonly ms: number;
}

export interface RateFloor {
  readonly ms: number;
  /** The slowest bucket's term, and the chain's. */
  readonly bucketMs: number;
  readonly chainMs: number;
  /** Buckets by their term, slowest first. */
  readonly buckets: readonly BucketDemand[];
}

/**
 * `calls`: the bound's calls per `Service:Operation`; `rounds`: the critical path's sequential
 * round trips; `latencyMs`: per request.
 */
export function rateFloor(
  calls: readonly { readonly operation: string; readonly calls: number }[],
  latencyMs: number,
  rounds: number,
): RateFloor {
  const demand = new Map<string, { bucket: RateBucket; calls: number; operations: Record<string, number> }>();
  for (const { operation: key, calls: n } of calls) {
    if (n <= 0) continue;
    const [service = '', operation = ''] = key.split(':');
    // Our reads are filtered or paged: EC2's larger bucket.
    for (const bucket of bucketsOf(service, operation, { unfilteredUnpaginated: false })) {
      const entry = demand.get(bucket.name) ?? { bucket, calls: 0, operations: {} };
      entry.calls += n;
      entry.operations[key] = (entry.operations[key] ?? 0) + n;
      demand.set(bucket.name, entry);
    }
  }
  const buckets = [...demand.values()]
    .map((d) => ({
      ...d,
      ms: (Math.max(0, d.calls - d.bucket.burst) / d.bucket.perSecond) * 1000 + latencyMs,
    }))
    .sort((a, b) => b.ms - a.ms);
  const bucketMs = buckets[0]?.ms ?? 0;
  const chainMs = rounds * latencyMs;
  return { ms: Math.max(bucketMs, chainMs), bucketMs, chainMs, buckets };
}

/** One line per bucket that costs more than a round trip: `name: N calls, B + r/s → t s`. */
export function describeBucket(d: BucketDemand): string {
  return `${d.bucket.name} (${Object.keys(d.operations).join(', ')}): ${d.calls} calls, burst ${d.bucket.burst}, ${d.bucket.perSecond}/s → ${(d.ms / 1000).toFixed(2)} s`;
}
