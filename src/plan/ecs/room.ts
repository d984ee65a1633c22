/**
 * Which services have tasks waiting for room: the one question capacity planning asks of task
 * sizes. Pure. The planner (capacity.ts) and the reads (observe, through the pipeline) both ask it
 * here, so a task definition is read exactly when the plan will look its size up.
 */
import type { DesiredCluster, Known, LiveEcsService, MetricValue, ScalingDecision } from '../../model.ts';
import { newSink, type PlanSink } from '../sink.ts';
import { planService, type ServicePlan } from './service.ts';

/** Every service of the cluster planned (disabled ones too: they get their decision). */
export function servicePlans(
  cluster: DesiredCluster,
  services: ReadonlyMap<string, Known<LiveEcsService | null>>,
  metrics: ReadonlyMap<string, Known<MetricValue>>,
  now: Date,
  sink: PlanSink,
  decisions: ScalingDecision[],
): ServicePlan[] {
  return cluster.services.map((service) =>
    planService(
      {
        cluster,
        service,
        live: services.get(service.name) ?? { known: false, reason: 'not read' },
        metrics,
        now,
      },
      sink,
      decisions,
    ),
  );
}

/**
 * Tasks the plan wants of a service that have no room yet: its planned count minus its running
 * and pending tasks (pending ones already hold their room). 0 for a service not planned.
 */
export function tasksWaiting(plan: ServicePlan): number {
  if (plan.live === undefined || plan.after === undefined) return 0;
  return Math.max(0, plan.after - plan.live.running - plan.live.pending);
}

/**
 * The task definition ARNs whose sizes the capacity plan of this cluster will read: those of the
 * services with tasks waiting for room. The same plans planEcs makes (same inputs, same `now`),
 * their messages dropped.
 */
export function taskDefinitionsToPlace(
  cluster: DesiredCluster,
  services: ReadonlyMap<string, Known<LiveEcsService | null>>,
  metrics: ReadonlyMap<string, Known<MetricValue>>,
  now: Date,
): Set<string> {
  const arns = new Set<string>();
  for (const plan of servicePlans(cluster, services, metrics, now, newSink(), [])) {
    if (plan.live !== undefined && tasksWaiting(plan) > 0) arns.add(plan.live.taskDefinition);
  }
  return arns;
}
