/**
 * The least AWS could be asked for one plan of a fleet: calls per operation at each API's
 * maximum batch or page, counting only what the plan's decisions need, and the sequential round
 * trips no amount of parallelism removes.
 *
 * What the decisions need (issue 14): the task definitions of the services with tasks waiting for
 * room (capacity planning looks up no other size), the alarms under the owned prefixes of the
 * YAML's groups (`gitops-<group>-`), and listings split where the API lets them be: DescribeAlarms
 * by name prefix, so its pages need not follow one another. DescribePolicies and
 * DescribeScheduledActions take one group a call or the whole account in pages; per group would
 * cost a call per group (1,000 here against 20), so their pages stay one chain.
 */
import type { Fleet } from './fleet.ts';

export type Capability =
  | 'groups'
  | 'triggers'
  | 'schedules'
  | 'ecs services'
  | 'ecs capacity'
  | 'metrics'
  | 'targets'
  | 'prune';

export interface Bound {
  readonly operation: string;
  readonly calls: number;
  readonly why: string;
  readonly capability: Capability;
}

const ceil = (n: number, per: number): number => Math.ceil(n / per);

/**
 * What EC2 must be asked about: registrations that may name gone instances. A target of a group
 * listing its target group is in step by definition; the strays and the container instances are not.
 */
export interface InstanceLookups {
  /** Instances in the account: an unfiltered walk reads them all, 1000 a page. */
  readonly accountInstances: number;
  /** Instance ids the registrations name outside the groups that own them. */
  readonly ids: number;
}

/** What the ECS decisions need read, from the fleet's live state (bench/lib/fleet.ts). */
export interface ReadNeeds extends InstanceLookups {
  /** Distinct task definitions of the services with tasks waiting for room. */
  readonly taskDefinitionsToPlace: number;
}

/** One DescribeInstances batch: the cheaper of id filters (200 a call) and the region's pages. */
function instanceCalls(lookups: InstanceLookups): number {
  return lookups.ids === 0 ? 0 : Math.min(ceil(lookups.ids, 200), ceil(lookups.accountInstances, 1000));
}

/** Calls per operation. Listings that can also be read per group take the cheaper way. */
export function callBounds(fleet: Fleet, lookups: ReadNeeds): Bound[] {
  const groups = fleet.groupNames.length + fleet.capacityGroups.length;
  const managed = fleet.groupNames.length;
  const bounds: Bound[] = [
    {
      operation: 'AutoScaling:DescribeAutoScalingGroups',
      calls: ceil(groups, 100),
      why: `${groups} groups, 100 names a call`,
      capability: 'groups',
    },
    {
      operation: 'AutoScaling:DescribePolicies',
      calls: Math.min(ceil(fleet.policies, 100), managed),
      why: `${fleet.policies} policies, 100 a page`,
      capability: 'triggers',
    },
    {
      operation: 'CloudWatch:DescribeAlarms',
      calls: Math.min(ceil(fleet.alarms, 100), managed),
      why: `${fleet.alarms} alarms under the groups' owned prefixes, 100 a page`,
      capability: 'triggers',
    },
    {
      operation: 'AutoScaling:DescribeScheduledActions',
      calls: Math.min(ceil(fleet.schedules, 100), managed),
      why: `${fleet.schedules} scheduled actions, 100 a page`,
      capability: 'schedules',
    },
  ];
  if (fleet.services > 0) {
    bounds.push(
      {
        operation: 'ECS:DescribeServices',
        calls: fleet.perCluster.reduce((n, c) => n + ceil(c.services, 10), 0),
        why: `${fleet.services} services in ${fleet.clusterNames.length} clusters, 10 a call`,
        capability: 'ecs services',
      },
      {
        operation: 'CloudWatch:GetMetricData',
        calls: ceil(fleet.metricQueries, 500),
        why: `${fleet.metricQueries} queries, 500 a call`,
        capability: 'metrics',
      },
      {
        operation: 'ECS:ListContainerInstances',
        calls: fleet.perCluster.reduce((n, c) => n + Math.max(1, ceil(c.containerInstances, 100)), 0),
        why: `${fleet.containerInstances} container instances, 100 a page, per cluster`,
        capability: 'ecs capacity',
      },
      {
        operation: 'ECS:DescribeContainerInstances',
        calls: fleet.perCluster.reduce((n, c) => n + ceil(c.containerInstances, 100), 0),
        why: '100 a call, per cluster',
        capability: 'ecs capacity',
      },
      {
        operation: 'ECS:DescribeTaskDefinition',
        calls: lookups.taskDefinitionsToPlace,
        why: `${lookups.taskDefinitionsToPlace} of ${fleet.taskDefinitions} task definitions are of services with tasks waiting for room, one a call`,
        capability: 'ecs capacity',
      },
    );
  }
  if (fleet.targetGroupArns.length > 0) {
    bounds.push(
      {
        operation: 'ELBv2:DescribeTargetGroups',
        calls: ceil(fleet.targetGroupArns.length, 400),
        why: `${fleet.targetGroupArns.length} target groups, 400 a call`,
        capability: 'targets',
      },
      {
        operation: 'ELBv2:DescribeTargetHealth',
        calls: fleet.targetGroupArns.length,
        why: 'one target group a call',
        capability: 'targets',
      },
      {
        operation: 'EC2:DescribeInstances',
        calls: instanceCalls(lookups),
        why: `${lookups.ids} instance ids outside the groups listing their target group (strays, container instances), 200 a call; ${lookups.accountInstances} instances in the account`,
        capability: 'prune',
      },
    );
  }
  return bounds;
}

/**
 * Sequential round trips: the longest chain of calls that each need the one before (pages of a
 * listing need the previous page's token; task definitions need the services). Independent
 * calls all go at once.
 */
export function criticalPath(fleet: Fleet, lookups: ReadNeeds): { rounds: number; chain: string } {
  const maxCi = Math.max(0, ...fleet.perCluster.map((c) => c.containerInstances));
  const chains: [string, number][] = [
    ['DescribeAutoScalingGroups (all batches at once)', fleet.groupNames.length > 0 ? 1 : 0],
    ['DescribePolicies pages', ceil(fleet.policies, 100)],
    // Split by name prefix into listings of a page each, all at once.
    ['DescribeAlarms (by name prefix, side by side)', fleet.alarms > 0 ? 1 : 0],
    ['DescribeScheduledActions pages', ceil(fleet.schedules, 100)],
  ];
  if (fleet.services > 0) {
    chains.push(
      lookups.taskDefinitionsToPlace > 0
        ? ['DescribeServices and GetMetricData, then DescribeTaskDefinition', 2]
        : ['DescribeServices', 1],
      ['GetMetricData (all batches at once)', 1],
      ['ListContainerInstances pages, then DescribeContainerInstances', ceil(maxCi, 100) + 1],
    );
  }
  if (fleet.targetGroupArns.length > 0) {
    chains.push(
      // The id filters of DescribeInstances all go at once.
      ['DescribeTargetHealth, then DescribeInstances', lookups.ids > 0 ? 2 : 1],
    );
  }
  const [chain, rounds] = chains.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { rounds, chain };
}
