/**
 * planEcs: the ECS clusters of the YAML against the Live snapshot (issue 4). For each cluster,
 * every service's count (service.ts, events.ts), then its capacity from the tasks the services
 * will want (capacity.ts, packing.ts). Every service and capacity gets a decision saying why its
 * count is what the plan makes it, changed or not. Pure.
 */
import { type Desired, type Live, type ScalingDecision, scopeKey } from '../../model.ts';
import { message, newSink, type PlanSink } from '../sink.ts';
import { planCapacity } from './capacity.ts';
import { servicePlans } from './room.ts';
import type { ServicePlan } from './service.ts';

export interface EcsPlan extends PlanSink {
  readonly decisions: ScalingDecision[];
}

export function planEcs(desired: Desired, live: Live, now: Date): EcsPlan {
  const sink = newSink();
  const decisions: ScalingDecision[] = [];
  const metrics = live.metrics ?? new Map();
  for (const cluster of desired.clusters ?? []) {
    const at = { address: cluster.name, origin: cluster.origin };
    if (!cluster.enabled) {
      for (const service of cluster.services) {
        decisions.push(
          skipped(
            cluster.name,
            service.address,
            service.name,
            service.origin,
            'disabled',
            'cluster has enabled: false: not managed',
          ),
        );
      }
      if (cluster.capacity !== undefined) {
        const c = cluster.capacity;
        decisions.push(
          skipped(
            cluster.name,
            c.address,
            c.group,
            c.origin,
            'disabled',
            'cluster has enabled: false: capacity not managed',
            'ecs_capacity',
          ),
        );
      }
      continue;
    }
    const scope = live.scopes.get(scopeKey(cluster.scope));
    const liveCluster = scope?.ecs?.get(cluster.name);
    if (scope === undefined || liveCluster === undefined) {
      sink.errors.push(message(`ECS cluster ${cluster.name} was not read from AWS`, at));
      continue;
    }
    if (!liveCluster.exists) {
      sink.errors.push(
        message(
          `ECS cluster ${cluster.name} does not exist in ${cluster.scope.region}; nothing of it is planned`,
          at,
        ),
      );
      for (const service of cluster.services) {
        decisions.push(
          skipped(
            cluster.name,
            service.address,
            service.name,
            service.origin,
            'missing',
            `cluster ${cluster.name} does not exist`,
          ),
        );
      }
      continue;
    }
    const plans: ServicePlan[] = servicePlans(cluster, liveCluster.services, metrics, now, sink, decisions);
    if (cluster.capacity === undefined) continue;
    const sized = desired.groups.find(
      (g) =>
        g.name === cluster.capacity?.group &&
        scopeKey(g.scope) === scopeKey(cluster.scope) &&
        g.desired !== undefined,
    );
    if (sized !== undefined) {
      const c = cluster.capacity;
      sink.errors.push(
        message(
          `autoscale_group ${c.group} of cluster ${cluster.name} is also given a desired size at ${sized.origin.file}:${sized.origin.line}: the cluster's capacity is not planned (remove one)`,
          { address: c.address, origin: c.origin },
        ),
      );
      decisions.push(
        skipped(
          cluster.name,
          c.address,
          c.group,
          c.origin,
          'unknown',
          'the group\u2019s desired size is set under groups: capacity not planned',
          'ecs_capacity',
        ),
      );
      continue;
    }
    planCapacity(
      {
        cluster,
        capacity: cluster.capacity,
        group: scope.groups.get(cluster.capacity.group),
        live: liveCluster,
        services: plans,
      },
      sink,
      decisions,
    );
  }
  return { ...sink, decisions };
}

function skipped(
  cluster: string,
  address: string,
  id: string,
  origin: { readonly file: string; readonly line: number },
  outcome: ScalingDecision['outcome'],
  reason: string,
  kind: ScalingDecision['kind'] = 'ecs_service',
): ScalingDecision {
  return {
    kind,
    address,
    id,
    cluster,
    file: origin.file,
    line: origin.line,
    outcome,
    metrics: {},
    events: [],
    before: null,
    after: null,
    reason,
  };
}
