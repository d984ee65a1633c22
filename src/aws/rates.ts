/**
 * AWS's request rates, the one table: the pacer (pacing.ts) keeps our requests within them, and
 * the bench's rate model (test/support/aws-proxy.ts) throttles as AWS does when a bench exceeds
 * them. Both read the figures from here, so both cite the same sources.
 *
 * AWS throttles with token buckets per account and Region: a bucket holds `burst` tokens, each
 * request takes one, `perSecond` tokens come back every second. Where a service documents a plain
 * per-second quota (CloudWatch), the bucket holds one second's worth. A request may take from
 * several buckets: its category's, and the service's account-level bucket where one exists (ELB,
 * and EC2 Auto Scaling's single shared limit); it is throttled when any of them is empty.
 *
 * Sources (looked up December 2026; the figures are the defaults, quotas raised through Service
 * Quotas or AWS Support can be passed to the Pacer as `rates`):
 *
 * - EC2: "Request throttling for the Amazon EC2 API", table "Request token bucket sizes and
 *   refill rates" (docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html):
 *   Non-mutating actions (Describe*, List*, Search*, Get* not in another category) 100 / 20;
 *   Unfiltered and unpaginated non-mutating actions (DescribeInstances, DescribeInstanceStatus,
 *   ... "when requested without specifying either pagination or a filter") 50 / 10; Mutating
 *   actions 50 / 5; CreateTags, DeleteTags 100 / 10 (uncategorized actions).
 * - ECS: "Request throttling for the Amazon ECS API", table "Request Token Bucket Sizes and
 *   Refill Rates" (docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html):
 *   Service read actions (DescribeServices, ListServices) 100 / 20; Task definition read actions
 *   (DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies) 50 / 20; Cluster
 *   resource read actions (DescribeContainerInstances, DescribeTasks, ListAttributes,
 *   ListContainerInstances, ListTasks) 100 / 20; Cluster read actions (DescribeClusters,
 *   ListClusters) 50 / 20; Tag read actions (ListTagsForResource) 50 / 20; Service modify actions
 *   (CreateService, DeleteService, UpdateService) 50 / 5; Cluster resource modify actions
 *   (DeregisterContainerInstance, UpdateContainerInstancesState, StopTask, ...) 100 / 40; Tag
 *   modify actions (TagResource, UntagResource) 20 / 10. "All API actions in a category share
 *   the same token bucket."
 * - CloudWatch: "CloudWatch service quotas" (docs.aws.amazon.com/AmazonCloudWatch/latest/
 *   monitoring/cloudwatch_limits.html), per-second request quotas, all adjustable: "Rate of
 *   DescribeAlarms requests" 9 (quota L-21CB40A4), "Rate of GetMetricData requests" 50
 *   (L-5E141212), "Rate of PutMetricAlarm requests" 3 (L-0720E68F); DeleteAlarms 3 per second.
 *   A plain per-second quota: modelled as a bucket of one second's requests, refilled at that rate.
 * - Elastic Load Balancing: "Request throttling for the Elastic Load Balancing API"
 *   (docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html):
 *   Non-mutating (DescribeTargetGroups, DescribeTargetHealth, ...) 40 / 10; Registration
 *   (RegisterTargets, DeregisterTargets) 20 / 4; Mutating 20 / 3; and "an account-level
 *   throttling limit that is shared across all Elastic Load Balancing API actions": 40 / 10.
 * - EC2 Auto Scaling publishes NO rates. The knowledge-center article "Why are my Auto Scaling
 *   API calls throttled?" (repost.aws/knowledge-center/autoscaling-api-calls-throttled) says only
 *   that "all Amazon EC2 Auto Scaling API calls have a single, shared API limit" per account and
 *   Region. We model that as one bucket for every Auto Scaling call at 40 / 10: the account-level
 *   figure ELB publishes for its own single shared limit, the lowest read figure of the services
 *   EC2 Auto Scaling sits beside (EC2 100 / 20, ECS 50..100 / 20). Writes also take from a
 *   smaller bucket of 20 / 5, of the order of EC2's and ECS's mutating rates (50 / 5), so a large
 *   apply leaves room for the reads of others sharing the limit. Both are assumptions, not AWS's
 *   word; an account that knows better passes its own.
 */

/** A token bucket's shape: `burst` tokens at most, `perSecond` refilled each second. */
export interface Rate {
  readonly burst: number;
  readonly perSecond: number;
}

export type RatedService = 'AutoScaling' | 'EC2' | 'ECS' | 'CloudWatch' | 'ELBv2';

/** What a bucket covers within its service. */
export type BucketScope =
  /** These operations. */
  | readonly string[]
  /** Every read (Describe*, List*, Get*) of the service not covered by a listed bucket. */
  | 'other-reads'
  /** Every write of the service not covered by a listed bucket. */
  | 'other-writes'
  /** Every call of the service, on top of its category's bucket (an account-level limit). */
  | 'every-call';

export interface RateBucket extends Rate {
  /** Unique; the key of rate overrides. */
  readonly name: string;
  readonly service: RatedService;
  readonly operations: BucketScope;
  /** Where the figures come from, or why we chose them where AWS publishes none. */
  readonly source: string;
}

const EC2_DOC = 'docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html';
const ECS_DOC = 'docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html';
const CW_DOC = 'docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html';
const ELB_DOC = 'docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html';
const AS_NOTE =
  'not published (repost.aws/knowledge-center/autoscaling-api-calls-throttled: one shared limit); assumed, see rates.ts';

/**
 * EC2 operations whose unfiltered, unpaginated requests take from the smaller bucket (the EC2
 * page's list; the ones outside EC2's client we build are listed for completeness).
 */
export const EC2_UNFILTERED_SMALL_BUCKET: readonly string[] = [
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
];

/** AWS's documented rates (sources in the file comment). */
export const RATE_BUCKETS: readonly RateBucket[] = Object.freeze([
  // ── EC2 Auto Scaling (assumed: AWS publishes no figures) ────────────────────────────────
  {
    name: 'autoscaling-account',
    service: 'AutoScaling',
    operations: 'every-call',
    burst: 40,
    perSecond: 10,
    source: AS_NOTE,
  },
  {
    name: 'autoscaling-mutating',
    service: 'AutoScaling',
    operations: 'other-writes',
    burst: 20,
    perSecond: 5,
    source: AS_NOTE,
  },
  // ── CloudWatch: per-second quotas ────────────────────────────────────────────────────────
  {
    name: 'cloudwatch-describe-alarms',
    service: 'CloudWatch',
    operations: ['DescribeAlarms'],
    burst: 9,
    perSecond: 9,
    source: `${CW_DOC}: Rate of DescribeAlarms requests, 9 per second (L-21CB40A4)`,
  },
  {
    name: 'cloudwatch-get-metric-data',
    service: 'CloudWatch',
    operations: ['GetMetricData'],
    burst: 50,
    perSecond: 50,
    source: `${CW_DOC}: Rate of GetMetricData requests, 50 per second (L-5E141212)`,
  },
  {
    name: 'cloudwatch-put-metric-alarm',
    service: 'CloudWatch',
    operations: ['PutMetricAlarm'],
    burst: 3,
    perSecond: 3,
    source: `${CW_DOC}: Rate of PutMetricAlarm requests, 3 per second (L-0720E68F)`,
  },
  {
    name: 'cloudwatch-delete-alarms',
    service: 'CloudWatch',
    operations: ['DeleteAlarms'],
    burst: 3,
    perSecond: 3,
    source: `${CW_DOC}: Rate of DeleteAlarms requests, 3 per second`,
  },
  // Other CloudWatch calls have their own, higher quotas (PutMetricData 500/s, TagResource 20/s).
  // ── EC2 ──────────────────────────────────────────────────────────────────────────────────
  {
    name: 'ec2-unfiltered-unpaginated',
    service: 'EC2',
    // Chosen by the request (see bucketsOf), not by the operation alone.
    operations: [],
    burst: 50,
    perSecond: 10,
    source: `${EC2_DOC}: Unfiltered and unpaginated non-mutating actions, 50 / 10`,
  },
  {
    name: 'ec2-non-mutating',
    service: 'EC2',
    operations: 'other-reads',
    burst: 100,
    perSecond: 20,
    source: `${EC2_DOC}: Non-mutating actions, 100 / 20`,
  },
  {
    name: 'ec2-tags',
    service: 'EC2',
    operations: ['CreateTags', 'DeleteTags'],
    burst: 100,
    perSecond: 10,
    source: `${EC2_DOC}: CreateTags, DeleteTags, 100 / 10`,
  },
  {
    name: 'ec2-mutating',
    service: 'EC2',
    operations: 'other-writes',
    burst: 50,
    perSecond: 5,
    source: `${EC2_DOC}: Mutating actions, 50 / 5`,
  },
  // ── ECS ──────────────────────────────────────────────────────────────────────────────────
  {
    name: 'ecs-service-read',
    service: 'ECS',
    operations: ['DescribeServices', 'ListServices'],
    burst: 100,
    perSecond: 20,
    source: `${ECS_DOC}: Service read actions, 100 / 20`,
  },
  {
    name: 'ecs-task-definition-read',
    service: 'ECS',
    operations: ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'],
    burst: 50,
    perSecond: 20,
    source: `${ECS_DOC}: Task definition read actions, 50 / 20`,
  },
  {
    name: 'ecs-cluster-resource-read',
    service: 'ECS',
    operations: [
      'DescribeContainerInstances',
      'DescribeTasks',
      'ListAttributes',
      'ListContainerInstances',
      'ListTasks',
    ],
    burst: 100,
    perSecond: 20,
    source: `${ECS_DOC}: Cluster resource read actions, 100 / 20`,
  },
  {
    name: 'ecs-cluster-read',
    service: 'ECS',
    operations: ['DescribeClusters', 'ListClusters'],
    burst: 50,
    perSecond: 20,
    source: `${ECS_DOC}: Cluster read actions, 50 / 20`,
  },
  {
    name: 'ecs-other-read',
    service: 'ECS',
    operations: 'other-reads',
    burst: 50,
    perSecond: 20,
    source: `${ECS_DOC}: the smallest read category there (Tag read, Capacity provider read, ...: 50 / 20)`,
  },
  {
    name: 'ecs-service-modify',
    service: 'ECS',
    operations: ['CreateService', 'DeleteService', 'UpdateService'],
    burst: 50,
    perSecond: 5,
    source: `${ECS_DOC}: Service modify actions, 50 / 5`,
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
    source: `${ECS_DOC}: Cluster resource modify actions, 100 / 40`,
  },
  {
    name: 'ecs-tag-modify',
    service: 'ECS',
    operations: ['TagResource', 'UntagResource'],
    burst: 20,
    perSecond: 10,
    source: `${ECS_DOC}: Tag modify actions, 20 / 10`,
  },
  {
    name: 'ecs-other-modify',
    service: 'ECS',
    operations: 'other-writes',
    burst: 20,
    perSecond: 1,
    source: `${ECS_DOC}: the smallest modify category there (Cluster modify, Task definition modify: 20 / 1)`,
  },
  // ── Elastic Load Balancing (v2) ──────────────────────────────────────────────────────────
  {
    name: 'elbv2-account',
    service: 'ELBv2',
    operations: 'every-call',
    burst: 40,
    perSecond: 10,
    source: `${ELB_DOC}: the account-level limit shared across all ELB API actions, 40 / 10`,
  },
  {
    name: 'elbv2-non-mutating',
    service: 'ELBv2',
    operations: 'other-reads',
    burst: 40,
    perSecond: 10,
    source: `${ELB_DOC}: Non-mutating, 40 / 10`,
  },
  {
    name: 'elbv2-registration',
    service: 'ELBv2',
    operations: ['RegisterTargets', 'DeregisterTargets'],
    burst: 20,
    perSecond: 4,
    source: `${ELB_DOC}: Registration, 20 / 4`,
  },
  {
    name: 'elbv2-mutating',
    service: 'ELBv2',
    operations: 'other-writes',
    burst: 20,
    perSecond: 3,
    source: `${ELB_DOC}: Mutating, 20 / 3`,
  },
] satisfies RateBucket[]);

/** Reads: what AWS's throttling pages call non-mutating actions. */
export function isReadOperation(operation: string): boolean {
  return /^(Describe|List|Get)/.test(operation);
}

/** What of a request, beyond its operation, picks a bucket (EC2's unfiltered, unpaginated reads). */
export interface RequestShape {
  /**
   * True when the request names no filter (Filters) and no page (MaxResults / NextToken). Ids
   * (InstanceIds, ...) do not count: EC2's page defines this bucket by pagination and filters
   * alone, so a by-id request with neither takes from the smaller bucket (the safe side, should
   * AWS count ids as a filter).
   */
  readonly unfilteredUnpaginated?: boolean;
}

/**
 * The buckets one request of `service:operation` takes a token from: its category's, then the
 * service's account-level bucket if it has one. Empty for services without rates (STS).
 */
export function bucketsOf(
  service: string,
  operation: string,
  shape: RequestShape = {},
  buckets: readonly RateBucket[] = RATE_BUCKETS,
): RateBucket[] {
  const ofService = buckets.filter((b) => b.service === service);
  if (ofService.length === 0) return [];
  const read = isReadOperation(operation);
  const named = (name: string) => ofService.find((b) => b.name === name);
  const category =
    (service === 'EC2' &&
    read &&
    shape.unfilteredUnpaginated === true &&
    EC2_UNFILTERED_SMALL_BUCKET.includes(operation)
      ? named('ec2-unfiltered-unpaginated')
      : undefined) ??
    ofService.find((b) => Array.isArray(b.operations) && b.operations.includes(operation)) ??
    ofService.find((b) => b.operations === (read ? 'other-reads' : 'other-writes'));
  const account = ofService.filter((b) => b.operations === 'every-call');
  return [...(category === undefined ? [] : [category]), ...account];
}

/** The table with `overrides` (by bucket name) applied; an unknown name is an error. */
export function withRates(
  overrides: Readonly<Record<string, Rate>> = {},
  buckets: readonly RateBucket[] = RATE_BUCKETS,
): RateBucket[] {
  for (const name of Object.keys(overrides)) {
    if (!buckets.some((b) => b.name === name)) throw new Error(`unknown rate bucket: ${name}`);
  }
  return buckets.map((b) => {
    const override = overrides[b.name];
    return override === undefined ? b : { ...b, burst: override.burst, perSecond: override.perSecond };
  });
}
