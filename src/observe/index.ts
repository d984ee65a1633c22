/**
 * observe: the only code that reads AWS. One scope (region, role) at a time in parallel; in each,
 * groups, policies, alarms and scheduled actions are read at once. A read that fails is recorded
 * as unknown, never as empty. The result is frozen.
 *
 * Reads follow need: task definitions only for the services whose tasks wait for room (given
 * {@link ObserveOptions.tasksToPlace}, asked once the services and the metrics are in), owned
 * alarms by the name prefixes of the YAML's groups (triggers.ts).
 */
import type { AwsClients } from '../aws/clients.ts';
import { metricSpecs, readMetrics } from '../metrics/index.ts';
import {
  type AwsScope,
  type Desired,
  type DesiredCluster,
  deepFreeze,
  type Known,
  known,
  type Live,
  type LiveEcsService,
  type LiveGroup,
  type LiveScope,
  type MetricValue,
  scopeKey,
  unknown,
} from '../model.ts';
import type { RegistryOptions } from '../registries/index.ts';
import { containerInstanceReader } from './container-instances.ts';
import { type EcsReadOptions, ecsScopes, readEcsScope } from './ecs.ts';
import { readGroups } from './groups.ts';
import { observeRegistrations } from './prune.ts';
import { reasonOf } from './scoped.ts';
import type { TaskSizeCache } from './task-size-cache.ts';
import {
  expectedAlarms,
  type GroupSet,
  readOwnedAlarms,
  readPolicies,
  readScheduledActions,
} from './triggers.ts';

export type ClientsFor = (scope: AwsScope) => AwsClients;

export interface ObserveOptions {
  /** The clock of the metric windows (issue 4); default the time of the call. */
  readonly now?: Date;
  /** How registries are listed (e.g. commands refused on a pull request's plan). */
  readonly registry?: RegistryOptions;
  /**
   * Ends the HTTP metric reads and the registry listings (requests and commands) early, e.g. at
   * the run's deadline; what it ends is unknown. (AWS calls take theirs from the client pool.)
   */
  readonly signal?: AbortSignal;
  /**
   * The task definitions whose sizes a cluster's capacity plan will look up (the pipeline gives
   * plan/ecs's taskDefinitionsToPlace with the run's clock). Absent: every service's task
   * definition of a capacity-managed cluster is read.
   */
  readonly tasksToPlace?: TaskDefinitionsNeeded;
  /** Task sizes kept between runs (`--cache-dir`): a size it holds is not read again. */
  readonly taskSizeCache?: TaskSizeCache;
}

export type TaskDefinitionsNeeded = (
  cluster: DesiredCluster,
  services: ReadonlyMap<string, Known<LiveEcsService | null>>,
  metrics: ReadonlyMap<string, Known<MetricValue>>,
) => Iterable<string>;

export async function observe(
  desired: Desired,
  clientsFor: ClientsFor,
  options: ObserveOptions = {},
): Promise<Live> {
  const scopes = new Map<string, { scope: AwsScope; names: string[] }>();
  const alarms = new Map<string, Map<string, number>>();
  for (const group of desired.groups) {
    const key = scopeKey(group.scope);
    const entry = scopes.get(key) ?? { scope: group.scope, names: [] };
    entry.names.push(group.name);
    scopes.set(key, entry);
    const expected = alarms.get(key) ?? new Map<string, number>();
    expected.set(group.name, (expected.get(group.name) ?? 0) + expectedAlarms(group));
    alarms.set(key, expected);
  }
  // Prune sections may name a scope without groups (an ECS-only file).
  for (const prune of desired.prune ?? []) {
    const key = scopeKey(prune.scope);
    if (!scopes.has(key)) scopes.set(key, { scope: prune.scope, names: [] });
  }
  // ECS clusters (issue 4): their scopes; capacity groups are read with the scope's groups.
  const ecs = ecsScopes(desired.clusters ?? []);
  for (const [key, { scope }] of ecs) if (!scopes.has(key)) scopes.set(key, { scope, names: [] });
  const specs = metricSpecs(desired.clusters ?? []);
  const metrics = specs.length === 0 ? undefined : readMetrics(specs, clientsFor, options);
  const need = options.tasksToPlace;
  const ecsOptions: EcsReadOptions = {
    ...(need === undefined
      ? {}
      : { tasksToPlace: async (cluster, services) => need(cluster, services, (await metrics) ?? new Map()) }),
    ...(options.taskSizeCache === undefined ? {} : { cache: options.taskSizeCache }),
  };
  const observed = await Promise.all(
    [...scopes].map(async ([key, { scope, names }]) => {
      const clients = clientsFor(scope);
      // Capacity and pruning both read a cluster's container instances: once per run.
      const readContainerInstances = containerInstanceReader(clients);
      const base = observeScope(clients, scope, names, ecs.get(key)?.groups, alarms.get(key));
      // Targets and stale registrations (issue 5): read beside the groups, merged after.
      const registrations = observeRegistrations(
        clients,
        {
          groups: desired.groups.filter((g) => scopeKey(g.scope) === key),
          prune: (desired.prune ?? []).filter((p) => scopeKey(p.scope) === key),
        },
        base.then((live) => live.groups),
        options.signal === undefined ? options.registry : { ...options.registry, signal: options.signal },
        readContainerInstances,
      );
      const [live, extra, clusters] = await Promise.all([
        base,
        registrations,
        readEcsScope(clients, ecs.get(key), readContainerInstances, ecsOptions),
      ]);
      const merged = extra === undefined ? live : { ...live, registrations: extra };
      return [key, clusters === undefined ? merged : { ...merged, ecs: clusters }] as const;
    }),
  );
  return deepFreeze({
    scopes: new Map(observed),
    ...(metrics === undefined ? {} : { metrics: await metrics }),
  });
}

export async function observeScope(
  clients: AwsClients,
  scope: AwsScope,
  names: readonly string[],
  /** More groups to read with these (ECS capacity groups): nothing else is read for them. */
  extraGroups: readonly string[] = [],
  /** Owned alarms the YAML makes per group: how the alarm listings are split. */
  expected?: ReadonlyMap<string, number>,
): Promise<LiveScope> {
  const groupsRead = readGroups(clients, [...names, ...extraGroups]);
  const groupSet: GroupSet = {
    names,
    mayExist: async () => {
      const groups = await groupsRead;
      return names.filter((n) => !isKnownMissing(groups.get(n)));
    },
    ...(expected === undefined ? {} : { alarms: expected }),
  };
  const [groups, policies, scheduledActions, alarms] = await Promise.all([
    groupsRead,
    settle(readPolicies(clients, groupSet)),
    settle(readScheduledActions(clients, groupSet)),
    settle(readOwnedAlarms(clients, groupSet)),
  ]);
  return { scope, groups, policies, scheduledActions, alarms };
}

function isKnownMissing(group: Known<LiveGroup | null> | undefined): boolean {
  return group?.known === true && group.value === null;
}

async function settle<T>(read: Promise<T>): Promise<Known<T>> {
  try {
    return known(await read);
  } catch (error) {
    return unknown(reasonOf(error));
  }
}
