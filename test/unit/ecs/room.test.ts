/**
 * taskDefinitionsToPlace (plan/ecs/room.ts) names exactly the task definitions capacity planning
 * looks up: planning with only their sizes gives the plan that every size gives.
 */
import { describe, expect, it } from 'vitest';
import type { LiveEcsService } from '../../../src/model.ts';
import { taskDefinitionsToPlace } from '../../../src/plan/ecs/room.ts';
import { plan } from '../../../src/plan/index.ts';
import {
  asg,
  CLUSTER,
  desiredFrom,
  type EcsLiveInit,
  instance,
  liveFor,
  type MetricInit,
  NOW,
  service,
  taskDefinitionArn,
} from './fixtures.ts';

const YAML = `autoscale_group: ecs-asg
services:
  worker:
    min: 1
    max: 10
    metric_sources:
      cloudwatch:
        - { namespace: Custom, metric_name: Queue, statistics: [ { name: Maximum, alias: queue } ] }
    events:
      - { metric: queue, action: 2, min: 5, max: null }
  api:
    min: 1
    max: 10
    metric_sources:
      cloudwatch:
        - { namespace: Custom, metric_name: Load, statistics: [ { name: Maximum, alias: load } ] }
    events:
      - { metric: load, action: 1, min: 80, max: null }
`;

const SIZE = { cpu: 512, memory: 1024, source: 'task' as const };

function scenario(
  services: Record<string, LiveEcsService | null>,
  metrics: Record<string, MetricInit>,
): EcsLiveInit {
  return {
    services,
    metrics,
    instances: [instance('i-1', { used: { cpu: 1024, memory: 1024 } })],
    groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 5, desired: 1 }, ['i-1']) },
    taskSizes: { worker: SIZE, api: SIZE },
  };
}

const recently = new Date(NOW.getTime() - 60_000).toISOString();

const CASES: [string, EcsLiveInit, string[]][] = [
  [
    'an event scales worker out',
    scenario({ worker: service('worker'), api: service('api') }, { queue: 9, load: 10 }),
    ['worker'],
  ],
  [
    'pending tasks hold their room',
    scenario(
      { worker: service('worker', { desired: 3, running: 2, pending: 1 }), api: service('api') },
      { queue: 0, load: 10 },
    ),
    [],
  ],
  [
    'a count below min is raised',
    scenario(
      { worker: service('worker'), api: service('api', { desired: 0, running: 0 }) },
      { queue: 0, load: 10 },
    ),
    ['api'],
  ],
  [
    'in its cooldown, tasks not yet running still wait',
    scenario(
      {
        worker: service('worker', { desired: 3, running: 1, lastScaled: recently }),
        api: service('api'),
      },
      { queue: 9, load: 10 },
    ),
    ['worker'],
  ],
  [
    'a metric not read: the count holds, and its missing tasks wait',
    scenario(
      { worker: service('worker', { desired: 2, running: 1 }), api: service('api') },
      { queue: 'AccessDenied', load: 90 },
    ),
    ['worker', 'api'],
  ],
  [
    'a service AWS does not have',
    scenario({ worker: null, api: service('api') }, { queue: 9, load: 10 }),
    [],
  ],
];

describe('taskDefinitionsToPlace', () => {
  it.each(CASES)('%s', (_name, init, families) => {
    const desired = desiredFrom(YAML);
    const live = liveFor(desired, init);
    const cluster = desired.clusters?.[0];
    const liveCluster = [...live.scopes.values()][0]?.ecs?.get(CLUSTER);
    if (cluster === undefined || liveCluster === undefined) throw new Error('fixture');
    const needed = taskDefinitionsToPlace(cluster, liveCluster.services, live.metrics ?? new Map(), NOW);
    expect([...needed].sort()).toEqual(families.map(taskDefinitionArn).sort());

    const only = liveFor(desired, {
      ...init,
      taskSizes: Object.fromEntries(families.map((f) => [f, SIZE])),
    });
    const full = plan(desired, live, NOW);
    // Capacity was planned (every size it looks up was there), and planned alike from fewer.
    expect(full.decisions?.find((d) => d.kind === 'ecs_capacity')?.outcome).not.toBe('unknown');
    expect(plan(desired, only, NOW)).toEqual(full);
  });
});
