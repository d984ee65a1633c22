/**
 * ECS reads for one scope (issue 4), each at its API's maximum batch, in parallel:
 *
 * - DescribeServices, 10 services per call, tags included (the cooldown tag comes with them);
 * - for clusters whose capacity is managed: ListContainerInstances (100 per page, every status
 *   but INACTIVE in one listing) then DescribeContainerInstances, 100 per call; and
 *   DescribeTaskDefinition once per distinct task definition ARN whose size the capacity plan
 *   needs: given {@link TasksToPlace}, only those of services with tasks waiting for room (known
 *   once the services and the metrics are read); without it, every service's. A size kept by a
 *   {@link TaskSizeCache} is not read again.
 *
 * Failures become unknown for exactly what they cover; ClusterNotFoundException marks the
 * cluster missing.
 */
import {
  type ContainerInstance,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type Resource,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { chunk, concurrencyLimit, settleWithConcurrency } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import {
  type DesiredCluster,
  type Known,
  known,
  LAST_SCALED_TAG,
  type LiveEcsCluster,
  type LiveEcsInstance,
  type LiveEcsService,
  type Resources,
  scopeKey,
  type TaskSize,
  unknown,
} from '../model.ts';
import { type ContainerInstanceReader, containerInstanceReader } from './container-instances.ts';
import { READ_CONCURRENCY, reasonOf } from './scoped.ts';
import type { TaskSizeCache } from './task-size-cache.ts';

export const SERVICES_PER_CALL = 10;

/**
 * The task definition ARNs of a cluster whose sizes its capacity plan will look up, from the
 * cluster's services as read (the pipeline gives plan/ecs's taskDefinitionsToPlace, which asks
 * the planner's own question, with the run's metrics and clock). May resolve later than the
 * services (it waits for the metrics).
 */
export type TasksToPlace = (
  cluster: DesiredCluster,
  services: ReadonlyMap<string, Known<LiveEcsService | null>>,
) => Promise<Iterable<string>>;

export interface EcsReadOptions {
  /** Which task definitions to read; absent: every service's of a capacity-managed cluster. */
  readonly tasksToPlace?: TasksToPlace;
  /** Sizes kept from earlier runs, and where this run's are kept. */
  readonly cache?: TaskSizeCache;
}

/** The enabled clusters of one scope, by name. */
export async function readEcs(
  clients: AwsClients,
  clusters: readonly DesiredCluster[],
  readContainerInstances: ContainerInstanceReader = containerInstanceReader(clients),
  options: EcsReadOptions = {},
): Promise<Map<string, LiveEcsCluster>> {
  const enabled = clusters.filter((c) => c.enabled);
  // Task sizes matter only where capacity is planned; one call per distinct ARN in the scope.
  const planned = enabled.filter((c) => c.capacity !== undefined);
  const taskSize = taskSizeReader(clients, options.cache);
  const { tasksToPlace } = options;
  // Without a way to tell which are needed, every one is: started as each batch of services
  // arrives rather than after the last one.
  const plannedNames = new Set(planned.map((c) => c.name));
  const servicesRead = readServices(
    clients,
    enabled,
    tasksToPlace !== undefined
      ? undefined
      : (cluster, service) => {
          if (plannedNames.has(cluster)) void taskSize(service.taskDefinition);
        },
  );
  const sizesRead = servicesRead.then(async (services) => {
    const sizes = new Map<string, Known<TaskSize>>();
    await Promise.all(
      planned.map(async (cluster) => {
        const read = services.get(cluster.name)?.services ?? new Map();
        const arns = await neededArns(cluster, read, tasksToPlace);
        // All at once (the reader bounds them); an ARN asked twice is read once.
        await Promise.all(arns.map(async (arn) => sizes.set(arn, await taskSize(arn))));
      }),
    );
    return sizes;
  });
  const [services, instances, sizes] = await Promise.all([
    servicesRead,
    readInstances(readContainerInstances, [...plannedNames]),
    sizesRead,
  ]);
  const out = new Map<string, LiveEcsCluster>();
  for (const cluster of enabled) {
    const read = services.get(cluster.name);
    const listed = instances.get(cluster.name);
    const missing = read?.missing === true || listed?.missing === true;
    const taskSizes = new Map<string, Known<TaskSize>>();
    for (const service of read?.services.values() ?? []) {
      if (!service.known || service.value === null) continue;
      const size = sizes.get(service.value.taskDefinition);
      if (size !== undefined) taskSizes.set(service.value.taskDefinition, size);
    }
    out.set(cluster.name, {
      name: cluster.name,
      exists: !missing,
      services: read?.services ?? new Map(),
      taskSizes,
      ...(listed === undefined ? {} : { instances: listed.instances }),
    });
  }
  return out;
}

/**
 * The ARNs to read for a cluster. Should the question fail (it is pure code; it should not),
 * every service's ARN is read: reading too much costs calls, reading too little would leave the
 * plan without a size it looks up.
 */
async function neededArns(
  cluster: DesiredCluster,
  services: ReadonlyMap<string, Known<LiveEcsService | null>>,
  tasksToPlace: TasksToPlace | undefined,
): Promise<string[]> {
  const every = [...services.values()].flatMap((s) =>
    s.known && s.value !== null ? [s.value.taskDefinition] : [],
  );
  if (tasksToPlace === undefined) return every;
  try {
    return [...(await tasksToPlace(cluster, services))];
  } catch {
    return every;
  }
}

interface ServicesRead {
  services: Map<string, Known<LiveEcsService | null>>;
  missing: boolean;
}

async function readServices(
  clients: AwsClients,
  clusters: readonly DesiredCluster[],
  /** Told of each service as its batch arrives, while other batches are still being read. */
  onService: (cluster: string, service: LiveEcsService) => void = () => {},
): Promise<Map<string, ServicesRead>> {
  const batches = clusters.flatMap((cluster) =>
    chunk(
      cluster.services.filter((s) => s.enabled).map((s) => s.name),
      SERVICES_PER_CALL,
    ).map((names) => ({ cluster: cluster.name, names })),
  );
  const settled = await settleWithConcurrency(batches, READ_CONCURRENCY, async ({ cluster, names }) => {
    const out = await clients.ecs.send(
      new DescribeServicesCommand({ cluster, services: names, include: ['TAGS'] }),
    );
    // Converted once, here: the caller hears of each service now, the map below is built later.
    const services = (out.services ?? []).map(toLiveService);
    for (const service of services) onService(cluster, service);
    return { services, failures: out.failures ?? [] };
  });
  const out = new Map<string, ServicesRead>(
    clusters.map((c) => [c.name, { services: new Map(), missing: false }]),
  );
  settled.forEach((result, i) => {
    const batch = batches[i];
    if (batch === undefined) return;
    const read = out.get(batch.cluster) as ServicesRead;
    if (result.status === 'rejected') {
      if (isClusterNotFound(result.reason)) {
        read.missing = true;
        for (const name of batch.names) read.services.set(name, known(null));
      } else {
        const reason = reasonOf(result.reason);
        for (const name of batch.names) read.services.set(name, unknown(reason));
      }
      return;
    }
    const found = new Map(result.value.services.map((s) => [s.name, s]));
    const failed = new Map(
      result.value.failures.map((f) => [lastSegment(f.arn ?? ''), f.reason ?? 'failed']),
    );
    for (const name of batch.names) {
      const service = found.get(name);
      if (service !== undefined) {
        read.services.set(name, known(service));
        continue;
      }
      const reason = failed.get(name);
      read.services.set(
        name,
        reason === undefined || reason === 'MISSING' ? known(null) : unknown(`DescribeServices: ${reason}`),
      );
    }
  });
  return out;
}

interface InstancesRead {
  instances: Known<readonly LiveEcsInstance[]>;
  missing: boolean;
}

async function readInstances(
  read: ContainerInstanceReader,
  clusters: readonly string[],
): Promise<Map<string, InstancesRead>> {
  const settled = await settleWithConcurrency(clusters, READ_CONCURRENCY, async (cluster) => {
    const instances: LiveEcsInstance[] = [];
    for (const ci of await read(cluster)) {
      const instance = toLiveInstance(ci);
      if (instance !== undefined && instance.status !== 'INACTIVE') instances.push(instance);
    }
    return instances.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  });
  const out = new Map<string, InstancesRead>();
  clusters.forEach((cluster, i) => {
    const result = settled[i];
    if (result === undefined) return;
    if (result.status === 'fulfilled') {
      out.set(cluster, { instances: known(result.value), missing: false });
    } else if (isClusterNotFound(result.reason)) {
      out.set(cluster, { instances: known([]), missing: true });
    } else {
      out.set(cluster, { instances: unknown(reasonOf(result.reason)), missing: false });
    }
  });
  return out;
}

/**
 * DescribeTaskDefinition takes one ARN a call, so a large fleet makes many; ECS lets an account
 * burst 50 of them (then 20 a second): 25 at a time keeps a plan's round trips few and stays
 * inside the burst.
 */
const TASK_DEFINITION_CONCURRENCY = 25;

/**
 * DescribeTaskDefinition of an ARN, once however often asked, 25 calls at a time; a size the cache
 * keeps is not read, a size read is kept there. Never rejects.
 */
function taskSizeReader(
  clients: AwsClients,
  cache?: TaskSizeCache,
): (arn: string) => Promise<Known<TaskSize>> {
  const limit = concurrencyLimit(TASK_DEFINITION_CONCURRENCY);
  const reads = new Map<string, Promise<Known<TaskSize>>>();
  return (arn) => {
    let read = reads.get(arn);
    if (read === undefined) {
      const kept = cache?.get(arn);
      read =
        kept !== undefined
          ? Promise.resolve(known(kept))
          : limit(() => clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).then(
              (result) => {
                if (result.taskDefinition === undefined)
                  return unknown('DescribeTaskDefinition returned nothing');
                const size = taskSize(result.taskDefinition);
                cache?.put(arn, size);
                return known(size);
              },
              (error: unknown) => unknown(reasonOf(error)),
            );
      reads.set(arn, read);
    }
    return read;
  };
}

/**
 * What one task reserves on an instance: the task-level cpu and memory where the task definition
 * sets them, else the sum over its containers (cpu; memoryReservation, else memory: the soft
 * limit is what EC2 placement reserves when both are given).
 */
export function taskSize(definition: TaskDefinition): TaskSize {
  const containers = definition.containerDefinitions ?? [];
  const containerCpu = containers.reduce((n, c) => n + (c.cpu ?? 0), 0);
  const containerMemory = containers.reduce((n, c) => n + (c.memoryReservation ?? c.memory ?? 0), 0);
  const taskCpu = parseCpu(definition.cpu);
  const taskMemory = parseMemory(definition.memory);
  return {
    cpu: taskCpu ?? containerCpu,
    memory: taskMemory ?? containerMemory,
    source: taskCpu !== undefined || taskMemory !== undefined ? 'task' : 'containers',
  };
}

/** `1024`, `"1024"`, `"1 vCPU"`, `"0.5 vcpu"` → CPU units; undefined when absent or unreadable. */
export function parseCpu(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(text);
  if (match === null) return undefined;
  const n = Number(match[1]);
  return match[2] === undefined ? n : Math.round(n * 1024);
}

/** `2048`, `"2048"`, `"2 GB"`, `"0.5gb"` → MiB; undefined when absent or unreadable. */
export function parseMemory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb|mib|gib)?\s*$/i.exec(text);
  if (match === null) return undefined;
  const n = Number(match[1]);
  const unit = match[2]?.toLowerCase();
  return unit === 'gb' || unit === 'gib' ? Math.round(n * 1024) : n;
}

export function toLiveService(service: Service): LiveEcsService {
  const tag = service.tags?.find((t) => t.key === LAST_SCALED_TAG)?.value;
  return {
    name: service.serviceName ?? '',
    arn: service.serviceArn ?? '',
    status: service.status ?? '',
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    pending: service.pendingCount ?? 0,
    taskDefinition: service.taskDefinition ?? '',
    ...(tag === undefined ? {} : { lastScaled: tag }),
  };
}

export function toLiveInstance(instance: ContainerInstance): LiveEcsInstance | undefined {
  if (instance.containerInstanceArn === undefined) return undefined;
  return {
    arn: instance.containerInstanceArn,
    ec2InstanceId: instance.ec2InstanceId ?? '',
    status: instance.status ?? '',
    // Absent means the field was not reported, not a lost agent: count the room as before.
    agentConnected: instance.agentConnected ?? true,
    runningTasks: instance.runningTasksCount ?? 0,
    pendingTasks: instance.pendingTasksCount ?? 0,
    registered: resources(instance.registeredResources),
    remaining: resources(instance.remainingResources),
  };
}

function resources(list: readonly Resource[] | undefined): Resources {
  const value = (name: string): number => list?.find((r) => r.name === name)?.integerValue ?? 0;
  return { cpu: value('CPU'), memory: value('MEMORY') };
}

function isClusterNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ClusterNotFoundException';
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The ECS clusters of each scope and the capacity groups to read with that scope's groups. */
export interface EcsScope {
  readonly scope: DesiredCluster['scope'];
  readonly clusters: DesiredCluster[];
  /** The enabled clusters' autoscale_group names. */
  readonly groups: string[];
}

export function ecsScopes(clusters: readonly DesiredCluster[]): Map<string, EcsScope> {
  const out = new Map<string, EcsScope>();
  for (const cluster of clusters) {
    const key = scopeKey(cluster.scope);
    const entry = out.get(key) ?? { scope: cluster.scope, clusters: [], groups: [] };
    entry.clusters.push(cluster);
    if (cluster.enabled && cluster.capacity !== undefined) entry.groups.push(cluster.capacity.group);
    out.set(key, entry);
  }
  return out;
}

/** readEcs for a scope that has ECS clusters; undefined for one that has none. */
export async function readEcsScope(
  clients: AwsClients,
  ecs: EcsScope | undefined,
  readContainerInstances?: ContainerInstanceReader,
  options: EcsReadOptions = {},
): Promise<Map<string, LiveEcsCluster> | undefined> {
  if (ecs === undefined) return undefined;
  return readEcs(clients, ecs.clusters, readContainerInstances, options);
}
